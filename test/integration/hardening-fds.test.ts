// Issue 18 item 2: running out of file descriptors. Under `ulimit -n 128` with 60 services the
// daemon keeps running and answering: the services it cannot afford go `failed` with a lastError
// that says so, and SIGTERM still stops everything. And when the daemon dies of an internal error
// with no descriptor left, the emergency kill (which keeps its own in reserve) still leaves no
// process, no daemon.json and no lock behind. /proc and the file system are the witness.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir, waitFor } from '../helpers/index.js';
import { BIN, daemonReaper, useDaemons } from '../helpers/daemon.js';
import { killAll, processesOfHome } from '../helpers/home-procs.js';
import type { ServiceStatus } from '../../main/contract/status.js';

useDaemons(); // cleanup of whatever these tests start

function manyServices(n: number): string {
  let y = 'api: { port: 0 }\nservices:\n';
  for (let i = 0; i < n; i++) y += `  s${i}:\n    command: "exec sleep 300"\n`;
  return y;
}

/** `hypha daemon` under `ulimit -n 128`, with extra env. */
function limitedDaemon(dir: string, env: Record<string, string> = {}) {
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  const config = join(dir, 'hypha.yaml');
  writeFileSync(config, manyServices(60));
  const child = spawn('/bin/sh', ['-c', `ulimit -n 128 && exec "$0" "$1" daemon -c "$2"`, process.execPath, BIN, config], {
    env: { ...process.env, HYPHA_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemonReaper.add(child.pid as number);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, home, exited, out: () => out };
}

describe('hardening: file descriptors run out', () => {
  it('ulimit -n 128 and 60 services: the daemon keeps answering, the rest fail with a clear lastError, SIGTERM leaves nothing', async () => {
    const dir = tempDir('hypha-hard-');
    const d = limitedDaemon(dir);
    const info = await waitFor(() => (existsSync(join(d.home, 'daemon.json')) ? (JSON.parse(readFileSync(join(d.home, 'daemon.json'), 'utf8')) as { url: string; token: string }) : null), {
      timeoutMs: 60_000,
      message: `daemon.json\n${d.out()}`,
    });
    const list = async (): Promise<ServiceStatus[]> =>
      ((await (await fetch(`${info.url}/api/services/status`, { headers: { authorization: `Bearer ${info.token}` } })).json()) as { services: ServiceStatus[] }).services;
    // Every service settles: running, or failed for want of descriptors.
    const settled = await waitFor(
      async () => {
        const s = await list();
        return s.every((x) => x.state === 'running' || x.state === 'failed') ? s : null;
      },
      { timeoutMs: 60_000, message: 'every service running or failed' },
    );
    const failed = settled.filter((s) => s.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.filter((s) => !/too many open files: \d+ of 128 file descriptors in use/.test(s.lastError ?? ''))).toEqual([]);
    expect(settled.filter((s) => s.state === 'running').length).toBeGreaterThan(0);
    // Still alive and answering, a while later too.
    expect((await (await fetch(`${info.url}/api/ping`)).json()) as { ok: boolean }).toMatchObject({ ok: true });
    expect(await list()).toHaveLength(60);

    d.child.kill('SIGTERM');
    const exit = await d.exited;
    const left = processesOfHome(d.home);
    killAll(left);
    expect(exit.code).toBe(0);
    expect(left).toEqual([]);
    expect(existsSync(join(d.home, 'hypha.lock'))).toBe(false);
    expect(existsSync(join(d.home, 'daemon.json'))).toBe(false);
  }, 180_000);

  it('an internal error with every descriptor in use: the emergency kill leaves no process, daemon.json or lock', async () => {
    const dir = tempDir('hypha-hard-');
    // Loaded into the daemon: once the fault file exists, use up every descriptor, then throw.
    const hook = join(dir, 'exhaust-then-fail.mjs');
    writeFileSync(
      hook,
      `import { existsSync, openSync } from 'node:fs';
const file = process.env.HYPHA_FAULT_FILE;
if (file && process.argv[1]?.endsWith('/bin/hypha') && process.argv.includes('daemon')) {
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    clearInterval(timer);
    try { for (;;) openSync('/dev/null', 'r'); } catch {}
    throw new Error('injected fault with no descriptor left');
  }, 20);
  timer.unref();
}
`,
    );
    const faultFile = join(dir, 'fault');
    const d = limitedDaemon(dir, { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, HYPHA_FAULT_FILE: faultFile });
    await waitFor(() => existsSync(join(d.home, 'daemon.json')), { timeoutMs: 60_000, message: `daemon.json\n${d.out()}` });
    await waitFor(() => processesOfHome(d.home, [d.child.pid as number]).length >= 10, { timeoutMs: 60_000, message: 'services running' });
    writeFileSync(faultFile, '');
    const exit = await d.exited;
    const left = processesOfHome(d.home);
    killAll(left);
    expect(d.out()).toContain('injected fault with no descriptor left');
    expect(exit.code).toBe(1);
    expect(left).toEqual([]);
    expect(existsSync(join(d.home, 'hypha.lock'))).toBe(false);
    expect(existsSync(join(d.home, 'daemon.json'))).toBe(false);
  }, 180_000);
});
