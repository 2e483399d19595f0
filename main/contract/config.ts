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
  /** Run first on stop (systemd ExecStop=), with the service's env and cwd; null = none. */
  command: Command | null;
  signal: NodeJS.Signals; // default SIGTERM
  timeoutMs: number; // default 10s
}

export interface LogConfig {
  maxSizeBytes: number; // default 10 MiB
  /** Rotated files kept besides the live one (default 2). */
  keep: number;
  timestamps: boolean; // default true
  /** Absolute path; null = $HYPHA_HOME/logs/ID.log. */
  file: string | null;
}

export interface WatchConfig {
  /** Absolute files or folders (folders watched recursively). */
  paths: string[];
  /** Glob patterns relative to each path (`.git` and `node_modules` are always ignored). */
  ignore: string[];
  debounceMs: number; // default 500ms
}

/** One copy of a service with `replicas: N`: its id is `<of>-<index>` (when N ≥ 2). */
export interface ReplicaInfo {
  /** The id written in hypha.yaml. */
  of: string;
  index: number; // 0 … count-1, also HYPHA_REPLICA in its env
  count: number;
}

export interface ReloadConfig {
  /** Run to make the service reload (systemd ExecReload=); gets MAINPID in its env. */
  command: Command;
  timeoutMs: number; // default 30s
}

/** `readiness:` — a probe (ready after a success) or a regex on output lines (ready once one matches). */
export type ReadinessConfig =
  | { kind: 'probe'; probe: HealthProbe; intervalMs: number; timeoutMs: number; retries: number }
  | { kind: 'log'; pattern: string };

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
  /** The top-level env merged under the service's own (service wins); `${VAR}` already expanded. */
  env: Record<string, string>;
  envFile: string | null; // absolute path, read at each spawn; under env
  /** The top-level env_file (absolute), read at each spawn, under envFile. */
  globalEnvFile: string | null;
  /** Shell for a string command (`shell -c command`); null = the platform shell (/bin/sh). */
  shell: string | null;
  /** Account to run as (name or uid); null = Hypha's own. */
  user: string | null;
  /** For a replica: the config port + its index (also HYPHA_PORT in its env). */
  port: number | null;
  /** Set when the service has `replicas:`; null otherwise. */
  replica: ReplicaInfo | null;
  autostart: boolean; // default true
  dependsOn: Dependency[];
  health: HealthConfig | null;
  /** Gates status online and dependents' condition healthy; never restarts. null = none. */
  readiness: ReadinessConfig | null;
  restart: RestartConfig;
  stop: StopConfig;
  log: LogConfig;
  /** max_memory in bytes: restart after 3 samples above it; null = no limit. */
  maxMemoryBytes: number | null;
  /** `reload.command`; null = none (then `hypha reload ID` refuses and says to use a signal). */
  reload: ReloadConfig | null;
  /** Restart on file change; null = not watched. */
  watch: WatchConfig | null;
  match: string | null; // regex source
  strays: StraysMode; // default report
  /** A program that forks into the background: the service is the pid in this file (absolute). */
  pidfile: string | null;
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
  /**
   * The active environment profile (`--profile NAME`, HYPHA_PROFILE): its `env_NAME` maps are
   * merged over `env` at each level, already in each service's env. null = none.
   */
  profile: string | null;
  /** The profiles the file defines (`env_NAME` keys anywhere), first met first. */
  profiles: string[];
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
