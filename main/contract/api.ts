// The one interface the status window and the web dashboard talk to. Inside Electron the
// preload exposes an object implementing it as `window.hypha`; in a browser the renderer's
// HTTP + SSE transport implements it. Types only: this file is read by both the Node build
// and the renderer build, so it must not import electron, Node or DOM values.
import type { ServiceConfig } from './config.js';
import type { Action } from './control.js';
import type { RemoteInput, RemoteView } from './remotes.js';
import type { LogLine, OneshotRun, ServiceStatus, SupervisorEvent, SupervisorMessage } from './status.js';

export type { Action };

/** What every failed call rejects with, whichever transport carried it. */
export interface HyphaError {
  message: string;
  /** The HTTP status that fits (400, 401, 403, 404, 409, 500); 0 when the daemon could not be reached. */
  status: number;
}

export interface HyphaInfo {
  version: string;
  /** Path of the config file in use, or '<built-in>'. */
  configFile: string;
  /** The active environment profile (`--profile`, HYPHA_PROFILE); null or absent = none. */
  profile?: string | null;
}

/**
 * The live stream's health. IPC is always `open`; the HTTP transport goes `retrying` while
 * it reconnects with backoff and `unauthorized` when the daemon refuses the token (it then
 * stops retrying).
 */
export type ConnectionState = 'connecting' | 'open' | 'retrying' | 'unauthorized';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Why the stream is down, in words a person can act on. */
  message?: string;
  /** When `retrying`: how long until the next attempt. */
  retryInMs?: number;
}

export type MessageListener = (message: SupervisorMessage) => void;
export type ConnectionListener = (info: ConnectionInfo) => void;

/** Other Hyphas this one reaches; the daemon keeps their tokens and never hands them out. */
export interface RemotesApi {
  list(): Promise<RemoteView[]>;
  add(input: RemoteInput): Promise<RemoteView>;
  remove(name: string): Promise<void>;
  act(name: string, action: Action, id: string): Promise<ServiceStatus[]>;
}

export interface HyphaApi {
  list(): Promise<ServiceStatus[]>;
  /** Resolves once the action is accepted; `id` may be 'all'. */
  act(action: Action, id: string): Promise<ServiceStatus[]>;
  /** Ends the strays of `id` (their trees too); resolves with the pids ended. */
  stopStrays(id: string): Promise<number[]>;
  logs(id: string, lines: number): Promise<LogLine[]>;
  events(id: string): Promise<SupervisorEvent[]>;
  /** A oneshot's last 20 runs, oldest first (empty for a daemon). */
  runs(id: string): Promise<OneshotRun[]>;
  settings(id: string): Promise<ServiceConfig>;
  info(): Promise<HyphaInfo>;
  /** Live status, log and event messages until the returned function is called. */
  subscribe(onMessage: MessageListener, onConnection?: ConnectionListener): () => void;
  /** Absent where the transport carries no remotes (a test's stand-in). */
  remotes?: RemotesApi;
}
