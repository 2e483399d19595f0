// The status window's only door to the main process: one `window.hypha` object implementing
// HyphaApi. CommonJS because a sandboxed preload cannot be an ES module, and self-contained
// because a sandboxed preload can require nothing but electron: the channel names are
// repeated here, and `satisfies IpcChannels` makes the compiler hold them equal to main's.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcCallName, IpcCalls, IpcChannels, IpcReply } from '../main/contract/ipc.js';
import type { SupervisorMessage } from '../main/contract/status.js';
import type { HyphaApi, HyphaError } from '../main/contract/api.js';

const channels = {
  list: 'hypha:list',
  act: 'hypha:act',
  stopStrays: 'hypha:stop-strays',
  logs: 'hypha:logs',
  events: 'hypha:events',
  runs: 'hypha:runs',
  settings: 'hypha:settings',
  info: 'hypha:info',
  remotesList: 'hypha:remotes-list',
  remotesAdd: 'hypha:remotes-add',
  remotesRemove: 'hypha:remotes-remove',
  remotesAct: 'hypha:remotes-act',
  message: 'hypha:message',
} as const satisfies IpcChannels;

/**
 * Rejects with a plain `{message, status}` object rather than an Error: the context bridge
 * copies Errors with their message only, and the renderer needs the status.
 */
async function invoke<K extends IpcCallName>(name: K, ...args: Parameters<IpcCalls[K]>): Promise<ReturnType<IpcCalls[K]>> {
  let reply: IpcReply<ReturnType<IpcCalls[K]>>;
  try {
    reply = (await ipcRenderer.invoke(channels[name], ...args)) as IpcReply<ReturnType<IpcCalls[K]>>;
  } catch (thrown) {
    const failure: HyphaError = { message: thrown instanceof Error ? thrown.message : String(thrown), status: 500 };
    throw failure;
  }
  if ('error' in reply) {
    const failure: HyphaError = { message: reply.error.message, status: reply.error.status };
    throw failure;
  }
  return reply.ok;
}

const hypha: HyphaApi = {
  list: () => invoke('list'),
  act: (action, id) => invoke('act', action, id),
  stopStrays: (id) => invoke('stopStrays', id),
  logs: (id, lines) => invoke('logs', id, lines),
  events: (id) => invoke('events', id),
  runs: (id) => invoke('runs', id),
  settings: (id) => invoke('settings', id),
  info: () => invoke('info'),
  remotes: {
    list: () => invoke('remotesList'),
    add: (input) => invoke('remotesAdd', input),
    remove: async (name) => void (await invoke('remotesRemove', name)),
    act: (name, action, id) => invoke('remotesAct', name, action, id),
  },
  subscribe(onMessage, onConnection) {
    const listener = (_event: IpcRendererEvent, message: SupervisorMessage): void => onMessage(message);
    ipcRenderer.on(channels.message, listener);
    onConnection?.({ state: 'open' });
    return () => {
      ipcRenderer.removeListener(channels.message, listener);
    };
  },
};

contextBridge.exposeInMainWorld('hypha', hypha);
