// Validation of every IPC call's arguments on the main side: the window is trusted code, but a
// compromised renderer is not. No electron import here, so it is tested under plain Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HyphaError } from '../contract/api.js';
import { ACTIONS, CommandError, SERVICE_ID, type Action } from '../contract/control.js';
import { REMOTE_NAME, RemoteError, type RemoteInput } from '../contract/remotes.js';
import { MAX_LOG_LINES, type IpcCallName, type IpcCalls, type IpcHandlers, type IpcReply } from '../contract/ipc.js';

// ---- argument validation: the window is trusted code, but a compromised renderer is not ------


// 'all' fits the pattern but is reserved: it names every service, and only actions take it.
function id(value: unknown, allowAll: boolean): string {
  if (typeof value !== 'string' || !SERVICE_ID.test(value) || (value === 'all' && !allowAll)) {
    throw new CommandError(`invalid service id ${JSON.stringify(value)}`);
  }
  return value;
}

function arity(args: readonly unknown[], n: number, name: string): void {
  if (args.length !== n) throw new CommandError(`${name} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
}

function action(value: unknown): Action {
  if (typeof value !== 'string' || !(ACTIONS as readonly string[]).includes(value)) {
    throw new CommandError(`invalid action ${JSON.stringify(value)}: expected one of ${ACTIONS.join(', ')}`);
  }
  return value as Action;
}

function remoteName(value: unknown): string {
  if (typeof value !== 'string' || !REMOTE_NAME.test(value)) throw new CommandError(`invalid remote name ${JSON.stringify(value)}`);
  return value;
}

export const ipcValidators: { [K in IpcCallName]: (args: readonly unknown[]) => Parameters<IpcCalls[K]> } = {
  list: (args) => (arity(args, 0, 'list'), []),
  info: (args) => (arity(args, 0, 'info'), []),
  act(args) {
    arity(args, 2, 'act');
    const action = args[0];
    if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
      throw new CommandError(`invalid action ${JSON.stringify(action)}: expected one of ${ACTIONS.join(', ')}`);
    }
    return [action as Action, id(args[1], true)];
  },
  remotesList: (args) => (arity(args, 0, 'remotesList'), []),
  remotesRemove: (args) => (arity(args, 1, 'remotesRemove'), [remoteName(args[0])]),
  remotesAct: (args) => (arity(args, 3, 'remotesAct'), [remoteName(args[0]), action(args[1]), id(args[2], true)]),
  remotesAdd(args) {
    arity(args, 1, 'remotesAdd');
    const input = args[0];
    if (input === null || typeof input !== 'object') throw new CommandError('remotesAdd takes {name, url, token, remotePort?}');
    // Only the known fields cross; the daemon checks each (core/remotes/validate.ts).
    const { name, url, token, remotePort } = input as Record<string, unknown>;
    const picked = { name, url, token, ...(remotePort === undefined ? {} : { remotePort }) };
    return [picked as RemoteInput];
  },
  stopStrays: (args) => (arity(args, 1, 'stopStrays'), [id(args[0], false)]),
  events: (args) => (arity(args, 1, 'events'), [id(args[0], false)]),
  runs: (args) => (arity(args, 1, 'runs'), [id(args[0], false)]),
  settings: (args) => (arity(args, 1, 'settings'), [id(args[0], false)]),
  logs(args) {
    arity(args, 2, 'logs');
    const lines = args[1];
    if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0 || lines > MAX_LOG_LINES) {
      throw new CommandError(`invalid line count ${JSON.stringify(lines)}: expected a whole number 0–${MAX_LOG_LINES}`);
    }
    return [id(args[0], false), lines];
  },
};

/** Any thrown value as the `{error}` half of a reply; CommandError keeps its status. */
export function toIpcError(thrown: unknown): { error: HyphaError } {
  if (thrown instanceof CommandError || thrown instanceof RemoteError) return { error: { message: thrown.message, status: thrown.status } };
  if (thrown instanceof Error) return { error: { message: thrown.message, status: 500 } };
  return { error: { message: String(thrown), status: 500 } };
}

/** Validates, calls, and wraps: the one path every IPC call takes on the main side. */
export async function dispatchIpc<K extends IpcCallName>(
  handlers: IpcHandlers,
  name: K,
  args: readonly unknown[],
): Promise<IpcReply<ReturnType<IpcCalls[K]>>> {
  try {
    const valid = ipcValidators[name](args);
    const handler = handlers[name] as (...a: Parameters<IpcCalls[K]>) => ReturnType<IpcCalls[K]> | Promise<ReturnType<IpcCalls[K]>>;
    return { ok: await handler(...valid) };
  } catch (thrown) {
    return toIpcError(thrown);
  }
}

export interface SenderFacts {
  senderId: number;
  /** Our window's webContents id, or null while there is no window. */
  windowId: number | null;
  /** The calling frame's URL (null when the frame is gone). */
  frameUrl: string | null;
  /** The renderer's index.html that the window loads. */
  pageFile: string;
}

/**
 * Only our own window may call: the sender must be its webContents and the calling frame our
 * own index.html over file://, never a page it was somehow navigated to.
 */
export function isTrustedSender(facts: SenderFacts): boolean {
  if (facts.windowId === null || facts.senderId !== facts.windowId || facts.frameUrl === null) return false;
  try {
    const url = new URL(facts.frameUrl);
    return url.protocol === 'file:' && path.resolve(fileURLToPath(url)) === path.resolve(facts.pageFile);
  } catch {
    return false;
  }
}
