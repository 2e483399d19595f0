// The normalized config every other part of Hypha reads. The loader (load.ts) turns a
// hypha.yaml, validated by schema.ts, into this shape: defaults filled, durations in ms,
// paths absolute, depends_on as a list of {id, condition}.

export type RestartPolicy = 'always' | 'on-failure' | 'never';
export type DependencyCondition = 'started' | 'healthy' | 'completed' | 'completed_successfully';
export type ServiceType = 'daemon' | 'oneshot';
export type StraysMode = 'report' | 'stop';

/** A command: a string runs through the platform shell, an array is exec'd directly. */
export type Command = string | string[];

export type HealthProbe =
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'exec'; command: Command };

export interface HealthConfig {
  probe: HealthProbe;
  intervalMs: number; // default 10s
  timeoutMs: number; // default 2s
  retries: number; // default 3
  startPeriodMs: number; // default 0
  startIntervalMs: number; // default 250ms: probe spacing until the first success (see README)
  restartOnUnhealthy: boolean; // default true
}

export interface RestartConfig {
  policy: RestartPolicy; // default on-failure (daemon), never (oneshot: retries drive it)
  delayMs: number; // default 1s
  maxDelayMs: number; // default 60s
  minUptimeMs: number; // default 5s
  maxRestarts: number; // default 10
  windowMs: number; // default 5m
}

export interface StopConfig {
  signal: NodeJS.Signals; // default SIGTERM
  timeoutMs: number; // default 10s
}

export interface Dependency {
  id: string;
  condition: DependencyCondition;
  /** A restart of the dependency restarts this service (compose's `restart: true`). */
  restart: boolean;
}

export interface ServiceConfig {
  id: string;
  name: string; // default = id
  type: ServiceType; // default daemon
  command: Command;
  cwd: string; // absolute; default = config file's folder
  env: Record<string, string>; // env_file merged under env (env wins)
  envFile: string | null; // absolute path, read at each spawn
  port: number | null;
  autostart: boolean; // default true
  dependsOn: Dependency[];
  health: HealthConfig | null;
  restart: RestartConfig;
  stop: StopConfig;
  match: string | null; // regex source
  strays: StraysMode; // default report
  // oneshot only (null for daemons)
  schedule: string | null; // an interval ("1h") or a 5-field cron expression, as written
  timeoutMs: number | null;
  retries: number; // default 0
  successExitCodes: number[]; // default [0]; exit codes that count as a successful run
}

export interface ApiConfig {
  port: number; // default 8780; 0 = any free port
}

export interface HyphaConfig {
  /** Absolute path of the file this came from, or '<built-in>' for the default. */
  file: string;
  /** Folder relative paths resolve against. */
  dir: string;
  api: ApiConfig;
  /** In file order. */
  services: ServiceConfig[];
}

export interface ConfigError {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  message: string;
}

export type LoadResult = { ok: true; config: HyphaConfig } | { ok: false; errors: ConfigError[] };

export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}
