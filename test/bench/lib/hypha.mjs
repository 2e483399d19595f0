// Runs the real `hypha daemon` (the built CLI) on a config text and a HYPHA_HOME, for the bench
// and the chaos run, and talks to it over its HTTP API.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from './http.mjs';
import { isAlive, pollUntil } from './proc.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'hypha');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** A YAML double-quoted string. */
export const q = (s) => JSON.stringify(String(s));

/** A YAML flow array of strings. */
export const yamlArray = (items) => `[${items.map(q).join(', ')}]`;

/** `node <fixture> args…` as a YAML flow array. */
export const nodeFixture = (name, ...args) => yamlArray([process.execPath, join(FIXTURES, name), ...args]);

/** The Node flags in bin/hypha's `#!/usr/bin/env -S node …` line. */
function shebangFlags() {
  const first = readFileSync(BIN, 'utf8').split('\n')[0];
  return first.split(/\s+/).slice(first.split(/\s+/).indexOf('node') + 1);
}

/**
 * Starts `hypha daemon -c <dir>/hypha.yaml` with HYPHA_HOME=`home` and waits for its daemon.json.
 * Output is kept as a bounded tail so long runs cost no memory here.
 * @param {{dir: string, home: string, yaml?: string, env?: Record<string, string>, nodeFlags?: string[], onOutput?: (chunk: Buffer) => void, timeoutMs?: number}} o
 */
export async function startHyphaDaemon(o) {
  const configFile = join(o.dir, 'hypha.yaml');
  if (o.yaml !== undefined) writeFileSync(configFile, o.yaml);
  mkdirSync(o.home, { recursive: true });
  // Run as a user runs it: bin/hypha itself, so its shebang's Node flags apply; with extra Node
  // flags, the same Node and the shebang's flags plus those.
  const [file, args] = o.nodeFlags?.length ? [process.execPath, [...shebangFlags(), ...o.nodeFlags, BIN]] : [BIN, []];
  const child = spawn(file, [...args, 'daemon', '-c', configFile], {
    cwd: o.dir,
    env: { ...process.env, ...o.env, HYPHA_HOME: o.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (c) => {
    tail = (tail + c.toString('utf8')).slice(-20_000);
    o.onOutput?.(c);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitInfo = null;
  const exited = new Promise((r) =>
    child.once('exit', (code, sig) => {
      exitInfo = { code, signal: sig };
      r(exitInfo);
    }),
  );
  const infoFile = join(o.home, 'daemon.json');
  const info = await pollUntil(() => {
    if (exitInfo) throw new Error('exited');
    if (!existsSync(infoFile)) return null;
    const i = JSON.parse(readFileSync(infoFile, 'utf8'));
    return i.pid === child.pid ? i : null;
  }, o.timeoutMs ?? 60_000);
  if (!info) {
    child.kill('SIGKILL');
    throw new Error(`hypha daemon did not come up (exit ${JSON.stringify(exitInfo)}):\n${tail}`);
  }
  const auth = { authorization: `Bearer ${info.token}` };
  const api = async (method, path, body) => {
    const r = await request(`${info.url}${path}`, { method, headers: auth, body });
    let json = null;
    try {
      json = JSON.parse(r.text);
    } catch {
      json = null;
    }
    return { status: r.status, body: json, text: r.text, ms: r.ms };
  };
  return {
    pid: child.pid,
    child,
    url: info.url,
    token: info.token,
    home: o.home,
    dir: o.dir,
    configFile,
    exited,
    output: () => tail,
    api,
    /** @returns {Promise<any[]>} */
    list: async () => (await api('GET', '/api/services/status')).body.services,
    status: async (id) => (await api('GET', `/api/services/${id}`)).body,
    /** SIGTERM, then wait for the clean exit (SIGKILL after `timeoutMs`). */
    stop: async (timeoutMs = 30_000) => {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
    kill: async () => {
      if (!exitInfo && isAlive(child.pid)) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Waits until every service of the daemon satisfies `pred` (or `timeoutMs`); resolves with the list or null. */
export function waitServices(d, pred, timeoutMs = 60_000, intervalMs = 100) {
  return pollUntil(async () => {
    const list = await d.list();
    return list.every(pred) ? list : null;
  }, timeoutMs, intervalMs);
}
