// The IPC contract between the main process and the status window, Podman-Desktop style: one
// `as const` object of channel names and one interface of their signatures, which types both the
// main-side handlers (ipc.ts) and the preload's invokes (preload.cts). Errors never cross as
// thrown values (Electron mangles their message and drops their fields); replies are
// `{ok}` | `{error}` envelopes and the preload rebuilds the error. No electron import here, so
// the validation is tested under plain Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HyphaError, HyphaInfo } from '../../preload/api.js';
import type { ServiceConfig } from '../core/config/types.js';
import { CommandError, type Action } from '../core/control.js';
import type { LogLine, ServiceStatus, SupervisorEvent } from '../core/types.js';

export const ipcChannels = {
  list: 'hypha:list',
  act: 'hypha:act',
  stopStrays: 'hypha:stop-strays',
  logs: 'hypha:logs',
  events: 'hypha:events',
  settings: 'hypha:settings',
  info: 'hypha:info',
  /** main → window: every SupervisorMessage, pushed with webContents.send. */
  message: 'hypha:message',
} as const;

export type IpcChannels = typeof ipcChannels;

/** Renderer → main calls; the push channel `message` is not among them. */
export interface IpcCalls {
  list(): ServiceStatus[];
  act(action: Action, id: string): ServiceStatus[];
  stopStrays(id: string): number[];
  logs(id: string, lines: number): LogLine[];
  events(id: string): SupervisorEvent[];
  settings(id: string): ServiceConfig;
  info(): HyphaInfo;
}

export type IpcCallName = keyof IpcCalls;
export const ipcCallNames = ['list', 'act', 'stopStrays', 'logs', 'events', 'settings', 'info'] as const satisfies readonly IpcCallName[];

export type IpcReply<T> = { ok: T } | { error: HyphaError };

export type IpcHandlers = {
  [K in IpcCallName]: (...args: Parameters<IpcCalls[K]>) => ReturnType<IpcCalls[K]> | Promise<ReturnType<IpcCalls[K]>>;
};

// ---- argument validation: the window is trusted code, but a compromised renderer is not ------

export const SERVICE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ACTIONS: readonly Action[] = ['start', 'stop', 'restart', 'run'];
export const MAX_LOG_LINES = 10_000;

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

export const ipcValidators: { [K in IpcCallName]: (args: readonly unknown[]) => Parameters<IpcCalls[K]> } = {
  list: (args) => (arity(args, 0, 'list'), []),
  info: (args) => (arity(args, 0, 'info'), []),
  act(args) {
    arity(args, 2, 'act');
    const action = args[0];
    if (typeof action !== 'string' || !ACTIONS.includes(action as Action)) {
      throw new CommandError(`invalid action ${JSON.stringify(action)}: expected one of ${ACTIONS.join(', ')}`);
    }
    return [action as Action, id(args[1], true)];
  },
  stopStrays: (args) => (arity(args, 1, 'stopStrays'), [id(args[0], false)]),
  events: (args) => (arity(args, 1, 'events'), [id(args[0], false)]),
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
  if (thrown instanceof CommandError) return { error: { message: thrown.message, status: thrown.status } };
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
