// Shapes shared by the supervisor and its adapters (API, desktop, renderer). SPEC §2–§3.

export type State = 'stopped' | 'starting' | 'running' | 'stopping' | 'backoff' | 'failed' | 'completed';
export type Health = 'none' | 'unknown' | 'healthy' | 'unhealthy';
export type Status = 'online' | 'starting' | 'unhealthy' | 'stopping' | 'offline' | 'backoff' | 'failed' | 'completed';
export type LogStream = 'stdout' | 'stderr' | 'supervisor';

export interface ProcessRef {
  pid: number;
  command: string;
}

export interface Stray {
  pid: number;
  command: string;
  startedAt: string | null; // ISO
  ancestry: ProcessRef[]; // parent first, up to init
  /** One line a person understands: "spawned by cron (pid 812) → /bin/sh -c …", "parent gone (orphaned)". */
  verdict?: string;
  /** Why it counts: it matches `match`, holds `port`, or both. */
  reason?: 'match' | 'port' | 'match+port';
}

export type Containment = 'cgroup' | 'tree' | 'job-object';

/** One run of a oneshot, for its history (the last 20; SPEC §7 `GET /api/services/:id/runs`). */
export interface OneshotRun {
  startedAt: string; // ISO
  endedAt: string | null; // ISO; null while it runs
  exit: { code: number | null; signal: string | null } | null;
  /** Why it failed (timed out, exit code, the first stderr line), null when it succeeded. */
  error: string | null;
}

export interface LastExit {
  code: number | null;
  signal: string | null;
  at: string; // ISO
}

export interface ServiceStatus {
  id: string;
  name: string;
  type: 'daemon' | 'oneshot';
  status: Status;
  state: State;
  health: Health;
  statusCode: number | null;
  pid: number | null;
  port: number | null;
  autostart: boolean;
  restarts: number;
  uptimeMs: number | null;
  lastExit: LastExit | null;
  lastError: string | null;
  cpu: number | null; // percent of one core
  memoryBytes: number | null; // RSS of the whole tree
  dependsOn: string[];
  nextRunAt: string | null; // ISO
  strays: Stray[];
  /** How the service's processes are held: its own cgroup, a tracked process tree, or a Windows job object. */
  containment: Containment;
  /**
   * `replicas:` — which written service this copy is (`{of: "web", index: 1, count: 3}`), else
   * null. Always sent by the API; optional in the type so fixtures need not spell it.
   */
  replica?: { of: string; index: number; count: number } | null;
}

export interface LogLine {
  ts: string; // ISO
  stream: LogStream;
  text: string;
}

export type EventKind =
  | 'started'
  | 'exited'
  | 'restarting'
  | 'gave-up'
  | 'stopped'
  | 'failed'
  | 'unhealthy'
  | 'recovered'
  | 'healthy'
  | 'completed'
  | 'skipped'
  | 'reaped'
  | 'strays'
  | 'reload'
  | 'waiting'
  | 'memory'
  | 'watch'
  | 'signal'
  /** The service's log file could not be written (full disk…), or can be again. */
  | 'log-file';

export interface SupervisorEvent {
  id: string;
  kind: EventKind;
  message: string;
  ts: string; // ISO
}

/** The supervisor's outward stream: what the API sends as SSE and the desktop as IPC. */
export type SupervisorMessage =
  | { type: 'status'; data: ServiceStatus }
  | { type: 'log'; data: { id: string; line: LogLine } }
  | { type: 'event'; data: SupervisorEvent };

export interface ReloadResult {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface Disposable {
  dispose(): void;
}
