// The supervisors under comparison behind one shape: launch with a list of bench services, the
// supervisor's pid, a service's pid, stop a service, SIGKILL the supervisor, shut down. Hypha is
// always there; PM2 and supervisord only where installed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { q, startHyphaDaemon, yamlArray } from './hypha.mjs';
import { pm2Path, startPm2 } from './pm2.mjs';
import { aliveIdents, descendants, identify, killIdents, pollUntil, signal } from './proc.mjs';
import { startSupervisord, supervisordPath } from './supervisord.mjs';

const created = [];

/** A fresh folder for one measurement (with `data/` for stamps and pid files, apart from the config's folder watch). */
export function runDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `hypha-bench-${prefix}-`));
  mkdirSync(join(dir, 'data'), { recursive: true });
  created.push(dir);
  return dir;
}

/** Removes every folder runDir made (their processes must have been ended first). */
export function removeRunDirs() {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * hypha.yaml for bench services: restart at once (delay 0) without a limit that a bench could
 * reach, unless `restart` overrides it.
 * @param {import('./pm2.mjs').BenchService[]} services
 * @param {{restart?: string, extra?: (s: import('./pm2.mjs').BenchService) => string[]}} [o]
 */
export function hyphaYaml(services, o = {}) {
  const lines = ['api: { port: 0 }', 'services:'];
  for (const s of services) {
    const env = Object.entries(s.env ?? {}).map(([k, v]) => `${k}: ${q(v)}`);
    lines.push(
      `  ${s.name}:`,
      `    command: ${yamlArray(s.argv)}`,
      ...(env.length ? [`    env: { ${env.join(', ')} }`] : []),
      ...(s.autostart === false ? ['    autostart: false'] : []),
      `    restart: ${o.restart ?? `{ policy: ${s.autorestart ? 'always' : 'never'}, delay: 0, min_uptime: 0, max_restarts: 1000000, window: 1h }`}`,
      `    stop: { timeout: ${s.stopTimeoutMs}ms }`,
      ...(o.extra ? o.extra(s).map((l) => `    ${l}`) : []),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** @param {{dir: string, services: import('./pm2.mjs').BenchService[], yaml?: string, env?: Record<string, string>, nodeFlags?: string[], onOutput?: (chunk: Buffer) => void}} o */
export async function startHyphaSystem(o) {
  const home = join(o.dir, 'home');
  const yaml = o.yaml ?? hyphaYaml(o.services);
  let d = null;
  const handle = {
    name: 'Hypha',
    home,
    get daemon() {
      return d;
    },
    get pid() {
      return d?.pid ?? null;
    },
    launch: async () => {
      d = await startHyphaDaemon({ dir: o.dir, home, yaml, env: o.env, nodeFlags: o.nodeFlags, onOutput: o.onOutput });
      return d;
    },
    appPid: async (name) => (await d.status(name))?.pid ?? null,
    stopService: async (name) => {
      await d.api('POST', `/api/services/${name}/stop`);
      await pollUntil(async () => (await d.status(name)).state === 'stopped', 60_000, 10);
    },
    startService: (name) => d.api('POST', `/api/services/${name}/start`),
    killSupervisor: () => signal(d.pid, 'SIGKILL'),
    shutdown: async () => {
      await d?.stop();
    },
  };
  await handle.launch();
  return handle;
}

/**
 * Whatever a supervisor under comparison leaves behind at shutdown (supervisord and PM2 can) is
 * ended by pid and start time afterwards, so a bench run leaves nothing running.
 */
function cleaning(start) {
  return async (o) => {
    const sys = await start(o);
    const shutdown = sys.shutdown;
    sys.shutdown = async () => {
      const seen = sys.pid ? descendants(sys.pid).map(identify).filter(Boolean) : [];
      await shutdown();
      await pollUntil(() => aliveIdents(seen).length === 0, 5000, 50);
      killIdents(seen);
    };
    return sys;
  };
}

/** The supervisors to compare here: Hypha, then PM2 and supervisord where installed. */
export function availableSystems() {
  const out = [{ name: 'Hypha', start: cleaning(startHyphaSystem) }];
  if (pm2Path()) out.push({ name: 'PM2', start: cleaning(startPm2) });
  if (supervisordPath()) out.push({ name: 'supervisord', start: cleaning(startSupervisord) });
  return out;
}

export const SYSTEM_NAMES = ['Hypha', 'PM2', 'supervisord'];
