// Valid raw config → HyphaConfig: defaults filled in, durations in ms, paths absolute, `${VAR}`
// expanded in command, env and cwd (interpolate.ts; its problems are the caller's to report), the
// active profile's `env_<profile>` maps merged over the `env` beside them (profiles.ts).
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { parseHostPort } from './probe-target.js';
import { Interpolator, type ProfileLayer } from './interpolate.js';
import { definedProfiles, profileKey, type ProfileEnvs } from './profiles.js';
import { parseSize } from './size.js';
import type { VarScope } from './expand.js';
import type { Problem } from './problem.js';
import type { Path } from './yaml-positions.js';
import type { RawConfig, RawDependsOn, RawHealth, RawService } from './schema.js';
import type { Dependency, HealthConfig, ReadinessConfig, ReplicaInfo, WatchConfig, HyphaConfig, RestartConfig, ServiceConfig, StopConfig } from '../../contract/config.js';

export const DEFAULT_API_PORT = 8780;

const RESTART_DEFAULTS = { delayMs: 1000, maxDelayMs: 60_000, minUptimeMs: 5000, maxRestarts: 10, windowMs: 300_000 };
const HEALTH_DEFAULTS = { intervalMs: 10_000, timeoutMs: 2000, retries: 3, startPeriodMs: 0, startIntervalMs: 250, restartOnUnhealthy: true };
const LOG_DEFAULTS = { maxSizeBytes: 10 * 1024 * 1024, keep: 2, timestamps: true };
const STOP_DEFAULTS: StopConfig = { command: null, signal: 'SIGTERM', timeoutMs: 10_000 };

export interface NormalizeContext {
  file: string;
  dir: string;
  /** A value as written, so `VERSION: 1.10` stays "1.10" instead of YAML's number 1.1. */
  sourceText?: (path: Path) => string | null;
  /** Where `${VAR}` looks first (default: this process's environment). */
  processEnv?: NodeJS.ProcessEnv;
  /** Expansion problems land here (a value that fails to expand is kept as written). */
  problems?: Problem[];
  /** Service ids in file order: a JS object lists integer-like keys ("8080") first. */
  serviceOrder?: readonly string[];
  /** The active profile (`--profile`, HYPHA_PROFILE); null or absent = none. */
  profile?: string | null;
  /** The file's `env_<profile>` maps, taken out of `raw` by splitProfiles. */
  profileEnvs?: ProfileEnvs;
}

export function normalizeConfig(raw: RawConfig, ctx: NormalizeContext): HyphaConfig {
  const byId = raw?.services ?? {};
  const ids = Object.keys(byId);
  const written = (ctx.serviceOrder ?? []).filter((id) => Object.hasOwn(byId, id));
  const ordered = [...written, ...ids.filter((id) => !written.includes(id))];
  const interp = new Interpolator({ processEnv: ctx.processEnv ?? process.env, sourceText: ctx.sourceText });
  const globalEnvFile = raw?.env_file === undefined ? null : resolvePath(ctx.dir, raw.env_file);
  const profile = ctx.profile ?? null;
  const layer = (env: ProfileEnvs['top'] | undefined, at: Path): ProfileLayer | undefined => {
    const values = profile === null ? undefined : env?.get(profile);
    return values && profile !== null ? { env: values, at: [...at, profileKey(profile)] } : undefined;
  };
  const top = interp.topLevel(raw?.env, globalEnvFile, layer(ctx.profileEnvs?.top, []));
  const profileOf = (id: string): ProfileLayer | undefined => layer(ctx.profileEnvs?.services.get(id), ['services', id]);
  const shared: Shared = { interp, scope: top.scope, env: top.env, globalEnvFile, profileOf };
  const groups = new Map(ordered.map((id) => [id, replicaIds(id, byId[id]?.replicas)]));
  const services = ordered.flatMap((id) => {
    const ids = groups.get(id) as string[];
    const count = byId[id]?.replicas;
    if (count === undefined) return [normalizeService(id, byId[id], ctx, shared, null, groups)];
    return ids.map((rid, index) => normalizeService(rid, byId[id], ctx, shared, { of: id, index, count }, groups));
  });
  ctx.problems?.push(...interp.problems);
  const profiles = ctx.profileEnvs ? definedProfiles(ctx.profileEnvs) : [];
  return { file: ctx.file, dir: ctx.dir, api: { port: raw?.api?.port ?? DEFAULT_API_PORT }, profile, profiles, services };
}

interface Shared {
  interp: Interpolator;
  scope: VarScope;
  env: Record<string, string>;
  globalEnvFile: string | null;
  /** The active profile's env_<profile> of a service (by its id as written), if it has one. */
  profileOf: (id: string) => ProfileLayer | undefined;
}

/**
 * `replicas: N` (N ≥ 2) makes N services `ID-0` … `ID-(N-1)`, like a StatefulSet's pods: ids that
 * keep SPEC §1's id rule, so every route and command takes them as they are. One replica keeps
 * the plain id.
 */
export function replicaIds(id: string, replicas: number | undefined): string[] {
  if (replicas === undefined || replicas <= 1) return [id];
  return Array.from({ length: replicas }, (_, i) => `${id}-${i}`);
}

function normalizeService(
  id: string,
  raw: RawService,
  ctx: NormalizeContext,
  shared: Shared,
  replica: ReplicaInfo | null,
  groups: ReadonlyMap<string, string[]>,
): ServiceConfig {
  const type = raw.type ?? 'daemon';
  const oneshot = type === 'oneshot';
  const rawId = replica?.of ?? id;
  const at: Path = ['services', rawId];
  const envFile = raw.env_file === undefined ? null : resolvePath(ctx.dir, raw.env_file);
  const port = raw.port === undefined ? null : raw.port + (replica?.index ?? 0);
  const extra: Record<string, string> = replica ? { HYPHA_REPLICA: String(replica.index), HYPHA_REPLICAS: String(replica.count) } : {};
  if (replica && port !== null) extra.HYPHA_PORT = String(port);
  const own = shared.interp.service(shared.scope, at, raw.env, envFile, extra, shared.profileOf(rawId));
  const cwd = raw.cwd === undefined ? '.' : shared.interp.string(own.scope, [...at, 'cwd'], raw.cwd);
  const absCwd = resolvePath(ctx.dir, cwd);
  return {
    id,
    name: replica && replica.count > 1 ? `${raw.name ?? rawId} #${replica.index}` : (raw.name ?? id),
    type,
    command: shared.interp.command(own.scope, [...at, 'command'], raw.command),
    cwd: absCwd,
    env: { ...shared.env, ...own.env, ...extra },
    envFile,
    globalEnvFile: shared.globalEnvFile,
    shell: raw.shell ?? null,
    user: raw.user ?? null,
    port,
    replica,
    autostart: raw.autostart ?? true,
    dependsOn: normalizeDependsOn(raw.depends_on).flatMap((d) => (groups.get(d.id) ?? [d.id]).map((dep) => ({ ...d, id: dep }))),
    health: raw.health ? shiftProbePort(normalizeHealth(raw.health), raw.port, port) : null,
    readiness: raw.readiness ? shiftReadinessPort(normalizeReadiness(raw.readiness), raw.port, port) : null,
    restart: normalizeRestart(raw, oneshot),
    stop: {
      command: raw.stop?.command ?? STOP_DEFAULTS.command,
      signal: raw.stop?.signal ?? STOP_DEFAULTS.signal,
      timeoutMs: ms(raw.stop?.timeout) ?? STOP_DEFAULTS.timeoutMs,
    },
    log: {
      maxSizeBytes: parseSize(raw.log?.max_size) ?? LOG_DEFAULTS.maxSizeBytes,
      keep: raw.log?.keep ?? LOG_DEFAULTS.keep,
      timestamps: raw.log?.timestamps ?? LOG_DEFAULTS.timestamps,
      file: raw.log?.file === undefined ? null : resolvePath(ctx.dir, raw.log.file),
    },
    maxMemoryBytes: raw.max_memory === undefined ? null : parseSize(raw.max_memory),
    reload: raw.reload ? { command: shared.interp.command(own.scope, [...at, 'reload', 'command'], raw.reload.command), timeoutMs: ms(raw.reload.timeout) ?? 30_000 } : null,
    watch: normalizeWatch(raw.watch, absCwd),
    match: raw.match ?? null,
    strays: raw.strays ?? 'report',
    pidfile: raw.pidfile === undefined ? null : resolvePath(ctx.dir, raw.pidfile),
    schedule: oneshot && raw.schedule !== undefined ? String(raw.schedule).trim() : null,
    timeoutMs: oneshot ? (ms(raw.timeout) ?? null) : null,
    retries: oneshot ? (raw.retries ?? 0) : 0,
    successExitCodes: oneshot && raw.success_exit_codes ? [...new Set(raw.success_exit_codes)] : [0],
  };
}

function normalizeReadiness(raw: NonNullable<RawService['readiness']>): ReadinessConfig {
  if (raw.log_line !== undefined) return { kind: 'log', pattern: raw.log_line };
  const h = normalizeHealth({ http: raw.http, tcp: raw.tcp, exec: raw.exec, interval: raw.interval, timeout: raw.timeout, retries: raw.retries });
  return { kind: 'probe', probe: h.probe, intervalMs: h.intervalMs, timeoutMs: h.timeoutMs, retries: h.retries };
}

function shiftReadinessPort(r: ReadinessConfig, base: number | undefined, own: number | null): ReadinessConfig {
  if (r.kind !== 'probe') return r;
  const shifted = shiftProbePort({ ...HEALTH_DEFAULTS, probe: r.probe }, base, own);
  return { ...r, probe: shifted.probe };
}

/** A replica's probe aimed at the service's `port` follows that replica's own port. */
function shiftProbePort(h: HealthConfig, base: number | undefined, own: number | null): HealthConfig {
  if (base === undefined || own === null || own === base) return h;
  const p = h.probe;
  if (p.kind === 'tcp' && p.port === base) return { ...h, probe: { ...p, port: own } };
  if (p.kind === 'http') {
    try {
      const url = new URL(p.url);
      const urlPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
      if (urlPort !== base) return h;
      url.port = String(own);
      return { ...h, probe: { ...p, url: url.toString() } };
    } catch {
      return h;
    }
  }
  return h;
}

function normalizeWatch(raw: RawService['watch'], cwd: string): WatchConfig | null {
  if (raw === undefined || raw === false) return null;
  const opts = raw === true ? {} : raw;
  return {
    paths: (opts.paths ?? ['.']).map((p) => resolvePath(cwd, p)),
    ignore: opts.ignore ?? [],
    debounceMs: ms(opts.debounce) ?? 500,
  };
}

function normalizeDependsOn(raw: RawDependsOn | undefined): Dependency[] {
  if (raw === undefined) return [];
  const list: Dependency[] = Array.isArray(raw)
    ? raw.map((id) => ({ id, condition: 'started', restart: false }))
    : Object.entries(raw).map(([id, opts]) => ({ id, condition: opts?.condition ?? 'started', restart: opts?.restart ?? false }));
  const byId = new Map<string, Dependency>();
  for (const d of list) if (!byId.has(d.id)) byId.set(d.id, d);
  return [...byId.values()];
}

function normalizeHealth(raw: RawHealth): HealthConfig {
  const tcp = raw.tcp === undefined ? null : parseHostPort(raw.tcp);
  const probe: HealthConfig['probe'] =
    raw.http !== undefined
      ? { kind: 'http', url: raw.http }
      : tcp
        ? { kind: 'tcp', host: tcp.host, port: tcp.port }
        : { kind: 'exec', command: raw.exec ?? '' };
  return {
    probe,
    intervalMs: ms(raw.interval) ?? HEALTH_DEFAULTS.intervalMs,
    timeoutMs: ms(raw.timeout) ?? HEALTH_DEFAULTS.timeoutMs,
    retries: raw.retries ?? HEALTH_DEFAULTS.retries,
    startPeriodMs: ms(raw.start_period) ?? HEALTH_DEFAULTS.startPeriodMs,
    startIntervalMs: ms(raw.start_interval) ?? HEALTH_DEFAULTS.startIntervalMs,
    restartOnUnhealthy: raw.restart_on_unhealthy ?? HEALTH_DEFAULTS.restartOnUnhealthy,
  };
}

function normalizeRestart(raw: RawService, oneshot: boolean): RestartConfig {
  const r = raw.restart ?? {};
  const delayMs = ms(r.delay) ?? RESTART_DEFAULTS.delayMs;
  // A delay written above the default cap without a cap of its own means that delay, not 60s.
  const maxDelayMs = ms(r.max_delay) ?? Math.max(RESTART_DEFAULTS.maxDelayMs, delayMs);
  return {
    policy: r.policy ?? (oneshot ? 'never' : 'on-failure'),
    delayMs,
    maxDelayMs,
    minUptimeMs: ms(r.min_uptime) ?? RESTART_DEFAULTS.minUptimeMs,
    maxRestarts: r.max_restarts ?? RESTART_DEFAULTS.maxRestarts,
    windowMs: ms(r.window) ?? RESTART_DEFAULTS.windowMs,
  };
}

function ms(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return parseDuration(v) ?? undefined;
}

/** Relative to the config file's folder; a leading `~/` means the user's home, as in a shell. */
function resolvePath(dir: string, p: string): string {
  if (p === '~') return homedir();
  if (/^~[\\/]/.test(p)) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? resolve(p) : resolve(dir, p);
}
