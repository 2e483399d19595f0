// Valid raw config → HyphaConfig: defaults filled in, durations in ms, paths absolute.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { parseHostPort } from './probe-target.js';
import type { RawConfig, RawDependsOn, RawHealth, RawService } from './schema.js';
import type { Dependency, HealthConfig, HyphaConfig, RestartConfig, ServiceConfig, StopConfig } from '../../contract/config.js';

export const DEFAULT_API_PORT = 8780;

const RESTART_DEFAULTS = { delayMs: 1000, maxDelayMs: 60_000, minUptimeMs: 5000, maxRestarts: 10, windowMs: 300_000 };
const HEALTH_DEFAULTS = { intervalMs: 10_000, timeoutMs: 2000, retries: 3, startPeriodMs: 0, startIntervalMs: 250, restartOnUnhealthy: true };
const STOP_DEFAULTS: StopConfig = { signal: 'SIGTERM', timeoutMs: 10_000 };

export interface NormalizeContext {
  file: string;
  dir: string;
  /** The env value as written, so `VERSION: 1.10` stays "1.10" instead of YAML's number 1.1. */
  envSource?: (serviceId: string, key: string) => string | null;
  /** Service ids in file order: a JS object lists integer-like keys ("8080") first. */
  serviceOrder?: readonly string[];
}

export function normalizeConfig(raw: RawConfig, ctx: NormalizeContext): HyphaConfig {
  const byId = raw?.services ?? {};
  const ids = Object.keys(byId);
  const written = (ctx.serviceOrder ?? []).filter((id) => Object.hasOwn(byId, id));
  const ordered = [...written, ...ids.filter((id) => !written.includes(id))];
  const services = ordered.map((id) => normalizeService(id, byId[id], ctx));
  return { file: ctx.file, dir: ctx.dir, api: { port: raw?.api?.port ?? DEFAULT_API_PORT }, services };
}

function normalizeService(id: string, raw: RawService, ctx: NormalizeContext): ServiceConfig {
  const type = raw.type ?? 'daemon';
  const oneshot = type === 'oneshot';
  return {
    id,
    name: raw.name ?? id,
    type,
    command: raw.command,
    cwd: resolvePath(ctx.dir, raw.cwd ?? '.'),
    env: normalizeEnv(id, raw.env ?? {}, ctx),
    envFile: raw.env_file === undefined ? null : resolvePath(ctx.dir, raw.env_file),
    port: raw.port ?? null,
    autostart: raw.autostart ?? true,
    dependsOn: normalizeDependsOn(raw.depends_on),
    health: raw.health ? normalizeHealth(raw.health) : null,
    restart: normalizeRestart(raw, oneshot),
    stop: {
      signal: raw.stop?.signal ?? STOP_DEFAULTS.signal,
      timeoutMs: ms(raw.stop?.timeout) ?? STOP_DEFAULTS.timeoutMs,
    },
    match: raw.match ?? null,
    strays: raw.strays ?? 'report',
    schedule: oneshot && raw.schedule !== undefined ? String(raw.schedule).trim() : null,
    timeoutMs: oneshot ? (ms(raw.timeout) ?? null) : null,
    retries: oneshot ? (raw.retries ?? 0) : 0,
    successExitCodes: oneshot && raw.success_exit_codes ? [...new Set(raw.success_exit_codes)] : [0],
  };
}

function normalizeEnv(id: string, env: Record<string, string | number | boolean>, ctx: NormalizeContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = typeof value === 'number' ? (ctx.envSource?.(id, key) ?? String(value)) : String(value);
  }
  return out;
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
