// The IPC contract between the main process and the status window, Podman-Desktop style: one
// `as const` object of channel names and one interface of their signatures, which types both the
// main-side handlers (ipc.ts) and the preload's invokes (preload.cts). Errors never cross as
// thrown values (Electron mangles their message and drops their fields); replies are
// `{ok}` | `{error}` envelopes and the preload rebuilds the error. Types and constant data only;
// the main side's argument validation lives in main/desktop/ipc-validate.ts.
import type { HyphaError, HyphaInfo } from './api.js';
import type { ServiceConfig } from './config.js';
import type { Action } from './control.js';
import type { RemoteInput, RemoteView } from './remotes.js';
import type { LogLine, OneshotRun, ServiceStatus, SupervisorEvent } from './status.js';

export const ipcChannels = {
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
  runs(id: string): OneshotRun[];
  settings(id: string): ServiceConfig;
  info(): HyphaInfo;
  remotesList(): RemoteView[];
  remotesAdd(input: RemoteInput): RemoteView;
  remotesRemove(name: string): null;
  remotesAct(name: string, action: Action, id: string): ServiceStatus[];
}

export type IpcCallName = keyof IpcCalls;
export const ipcCallNames = ['list', 'act', 'stopStrays', 'logs', 'events', 'runs', 'settings', 'info', 'remotesList', 'remotesAdd', 'remotesRemove', 'remotesAct'] as const satisfies readonly IpcCallName[];

export type IpcReply<T> = { ok: T } | { error: HyphaError };

export type IpcHandlers = {
  [K in IpcCallName]: (...args: Parameters<IpcCalls[K]>) => ReturnType<IpcCalls[K]> | Promise<ReturnType<IpcCalls[K]>>;
};

/** The most log lines one call may ask for. */
export const MAX_LOG_LINES = 10_000;
