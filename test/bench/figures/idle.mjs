// Two figures of a daemon with 50 idle services (`sleep 3600`, stop timeout 5 s):
// - idle CPU: the supervisor's CPU (utime + stime from /proc/<pid>/stat) over a 30 s window once
//   every service runs and the start has settled (40 s), in % of one core. Floor: a bare Node process
//   holding 50 piped children (it does nothing, so ~0).
// - stop all: from `POST /api/services/all/stop` until no process of the home is left (read from
//   /proc, apart from the daemon's bookkeeping) AND every service says `stopped`, and how many
//   processes of the home were left after that (must be 0). Then, for the record, `hypha stop all`
//   as typed (the CLI's start-up, its request and its own wait) beside `hypha --version`. Floor: a bare Node process that SIGTERMs its
//   50 children's groups at once and waits for their exit events.
import { execFile, spawn } from 'node:child_process';
import { BIN } from '../lib/hypha.mjs';
import { join } from 'node:path';
import { aliveIdents, cpuSeconds, descendants, identify, pollUntil, processesOfHome, sleep } from '../lib/proc.mjs';
import { runDir } from '../lib/systems.mjs';

export const N = 50;
// V8's memory reducer runs a few full GCs (~100 ms in all) some 30 s after the start's
// allocations stop: a one-off, so the window opens after it.
const SETTLE_MS = 40_000;
const CPU_WINDOW_MS = 30_000;

function services() {
  return Array.from({ length: N }, (_, i) => ({ name: `idle-${i}`, argv: ['/bin/sleep', '3600'], autorestart: true, stopTimeoutMs: 5000 }));
}

function cli(args, home) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(BIN, args, { env: { ...process.env, HYPHA_HOME: home }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, ms: performance.now() - t0, out: `${stdout}${stderr}` });
    });
  });
}

async function cpuWindow(pid) {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(CPU_WINDOW_MS);
  return ((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 100;
}

function floorChild(script) {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'lib', script), String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  return { child, out: () => out };
}

export async function cpuFloor() {
  const f = floorChild('floor-idle.mjs');
  await pollUntil(() => f.out().includes('ready'), 20_000);
  try {
    await sleep(8000); // a bare loop has no start to settle from
    return await cpuWindow(f.child.pid);
  } finally {
    f.child.kill('SIGTERM');
    await new Promise((r) => f.child.once('exit', r));
  }
}

export async function stopFloor() {
  const f = floorChild('floor-stop.mjs');
  await pollUntil(() => f.out().includes('ready'), 20_000);
  await sleep(2000);
  f.child.stdin.write('stop\n');
  const ms = await pollUntil(() => /stopped ms=([\d.]+)/.exec(f.out())?.[1], 30_000, 5);
  await new Promise((r) => (f.child.exitCode !== null ? r() : f.child.once('exit', r)));
  return Number(ms);
}

/** Idle CPU (%) then stop all (ms; processes left after it), on one daemon. */
export async function measure(system) {
  const dir = runDir(`idle-${system.name}`);
  const sys = await system.start({ dir, services: services() });
  try {
    const ok = await pollUntil(async () => (await sys.daemon.list()).every((s) => s.state === 'running'), 60_000, 100);
    if (!ok) throw new Error('not every idle service reached running');
    await sleep(SETTLE_MS);
    const cpuPercent = await cpuWindow(sys.pid);
    const home = sys.home;
    // What runs now, named by pid and start time: watching just these costs the daemon nothing
    // (a scan of every process's environment each few ms would take a core of this machine).
    const idents = processesOfHome(home, [sys.pid]);
    if (idents.length < N) throw new Error(`only ${idents.length} processes of the home before stop all`);
    const t0 = performance.now();
    await sys.daemon.api('POST', '/api/services/all/stop');
    const gone = await pollUntil(() => aliveIdents(idents).length === 0, 60_000, 2);
    const goneMs = performance.now() - t0;
    if (!gone) throw new Error('stop all did not end every process within 60 s');
    const said = await pollUntil(async () => (await sys.daemon.list()).every((s) => s.state === 'stopped'), 60_000, 5);
    const saidMs = performance.now() - t0;
    if (!said) throw new Error('the daemon never said every service stopped');
    const left = processesOfHome(home, [sys.pid]).length;
    // The same through the CLI as a person types it, beside the CLI's own start-up (`--version`).
    await sys.daemon.api('POST', '/api/services/all/start');
    if (!(await pollUntil(async () => (await sys.daemon.list()).every((s) => s.state === 'running'), 60_000, 100))) throw new Error('start all did not bring every service back');
    await sleep(2000);
    const cliStartMs = (await cli(['--version'], home)).ms;
    const stop = await cli(['stop', 'all'], home);
    if (stop.code !== 0) throw new Error(`hypha stop all exited ${stop.code}: ${stop.out.slice(-300)}`);
    return { cpuPercent, stopMs: Math.max(goneMs, saidMs), goneMs, left, cliStopMs: stop.ms, cliStartMs };
  } finally {
    await sys.shutdown();
  }
}

/**
 * The same two figures for PM2 or supervisord: idle CPU of its daemon, and stop all as a person
 * types it (`pm2 stop all`, `supervisorctl stop all`: their CLI's start-up included, so it is to
 * be read beside `hypha stop all` as typed) until none of the 50 processes is left, and how many
 * of the daemon's descendants are left after it.
 */
export async function measurePeer(system) {
  const dir = runDir(`idle-${system.name}`);
  const sys = await system.start({ dir, services: services() });
  const children = () => descendants(sys.pid);
  try {
    if (!(await pollUntil(() => children().length >= N, 60_000, 100))) throw new Error(`not every idle service of ${system.name} started`);
    await sleep(SETTLE_MS);
    const cpuPercent = await cpuWindow(sys.pid);
    const idents = children().map(identify).filter(Boolean);
    const t0 = performance.now();
    await sys.stopAll();
    const gone = await pollUntil(() => aliveIdents(idents).length === 0, 120_000, 2);
    if (!gone) throw new Error(`stop all of ${system.name} did not end every process within 120 s`);
    return { cpuPercent, cliStopMs: performance.now() - t0, left: children().length };
  } finally {
    await sys.shutdown();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { availableSystems } = await import('../lib/systems.mjs');
  const which = process.argv[2] ?? 'hypha';
  if (which === 'floor') process.stdout.write(`${JSON.stringify({ stopFloorMs: await stopFloor(), cpuFloor: await cpuFloor() })}\n`);
  else process.stdout.write(`${JSON.stringify(await measure(availableSystems()[0]))}\n`);
  (await import('../lib/systems.mjs')).removeRunDirs();
}
