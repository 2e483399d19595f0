// The one command set every adapter (HTTP API, Electron IPC, tray) drives. The Supervisor
// implements it; adapters hold no service state of their own.
import type { ConfigError, ServiceConfig } from './config.js';
import type { Disposable, LogLine, OneshotRun, ReloadResult, ServiceStatus, Stray, SupervisorEvent, SupervisorMessage } from './status.js';

/** A service id (SPEC §1); 'all' fits the pattern but is reserved. The one copy of this rule. */
export const SERVICE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const ACTIONS = ['start', 'stop', 'restart', 'run'] as const;
export type Action = (typeof ACTIONS)[number];

/** A command that cannot be carried out, with the HTTP status that fits it. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export type ReloadOutcome = ({ ok: true } & ReloadResult) | { ok: false; errors: ConfigError[] };

export interface SupervisorControl {
  readonly version: string;
  /** Path of the config file in use, or '<built-in>'. */
  readonly configFile: string;
  /** The active environment profile (`--profile`, HYPHA_PROFILE), or null. */
  readonly profile: string | null;
  list(): ServiceStatus[];
  /** Throws CommandError(404) for an unknown id. */
  get(id: string): ServiceStatus;
  /** The service's settings, read-only (for the detail view). */
  settings(id: string): ServiceConfig;
  /**
   * Acts and resolves once the action is accepted (not finished). `id` may be 'all':
   * start goes in dependency order, stop in reverse. Unknown ids reject with CommandError(404).
   */
  act(action: Action, id: string): Promise<ServiceStatus[]>;
  /**
   * `hypha signal ID SIGNAL`: sends SIGNAL (HUP, SIGUSR1 …) to the running service's main process,
   * or to its whole process group with `group`. 400 for a bad signal, 409 when not running.
   */
  signal(id: string, signal: string, group?: boolean): Promise<ServiceStatus[]>;
  /** `hypha reload ID`: runs the service's reload.command (systemd ExecReload=); 409 when it fails or there is none. */
  reloadService(id: string): Promise<ServiceStatus[]>;
  /** Scans afresh and answers the strays of `id`, or of every service. */
  scanStrays(id?: string): Promise<{ id: string; strays: Stray[] }[]>;
  /** Scans afresh, ends the strays of `id` with their trees, returns their pids. */
  /** `spare`: pids that, with their ancestors, are never ended (the CLI asking, and its shell). */
  stopStrays(id: string, spare?: readonly number[]): Promise<number[]>;
  logs(id: string, lines: number): LogLine[];
  events(id: string): SupervisorEvent[];
  /** The last 20 runs of a oneshot, oldest first (empty for a daemon). */
  runs(id: string): OneshotRun[];
  reload(): Promise<ReloadOutcome>;
  /**
   * Every message from now on. `logs: false` leaves out log lines: a listener that shows none
   * (the tray) then does not count as someone watching, and a flood makes no objects.
   */
  subscribe(listener: (message: SupervisorMessage) => void, opts?: { logs?: boolean }): Disposable;
  /** Prometheus exposition text. */
  metrics(): string;
}
