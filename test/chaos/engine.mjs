// The chaos run: a real `hypha daemon` over 20 services of mixed kinds, and for N cycles one
// random act (seeded), then the invariants of invariants.mjs, polled until they hold or a
// settle deadline passes. At the end the daemon is stopped and no process of its home may live.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startHyphaDaemon } from '../bench/lib/hypha.mjs';
import { identify, isSame, processesOfHome, signal, sleep } from '../bench/lib/proc.mjs';
import { createRng } from './rng.mjs';
import { createServices, extraService, writeConfig } from './world.mjs';
import { readStamps, snapshot, spawnProblems, stateFileProblems, statusProblems, strays } from './invariants.mjs';

/** A process that outlived its run may live this long from when it was first seen so. */
const SETTLE_MS = 5000;

const ACT_WEIGHTS = {
  killService: 14,
  killGrandchild: 12,
  stopCont: 8,
  flipHealth: 8,
  apiStop: 8,
  apiStart: 10,
  apiRestart: 10,
  apiAll: 3,
  runJob: 4,
  reload: 6,
  daemonKill: 4,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * @param {{cycles?: number, seed?: number, maxSeconds?: number, log?: (line: string) => void, signal?: AbortSignal}} [opts]
 */
export async function runChaos(opts = {}) {
  const cycles = opts.cycles ?? 300;
  const seed = opts.seed ?? (Date.now() % 2 ** 31);
  const maxSeconds = opts.maxSeconds ?? 900;
  const log = opts.log ?? (() => undefined);
  const rng = createRng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'hypha-chaos-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const home = join(dir, 'home');
  const ports = [];
  for (let i = 0; i < 5; i++) ports.push(await freePort());
  const services = createServices({ dataDir, ports });
  let live = [...services];
  const model = () => new Map(live.map((s) => [s.id, s]));
  writeConfig(join(dir, 'hypha.yaml'), live, dataDir);

  const acts = Object.fromEntries(Object.keys(ACT_WEIGHTS).map((k) => [k, 0]));
  const violations = [];
  let checks = 0;
  /** Epoch starts per crasher id (acts that may start it afresh). */
  const boundaries = new Map(services.filter((s) => s.kind === 'crash').map((s) => [s.id, []]));
  const markBoundary = (ids) => {
    const t = Date.now();
    for (const id of ids) boundaries.get(id)?.push(t);
  };
  /** Processes seen outliving their run: "pid:startTime" → first seen (ms). */
  const staleSince = new Map();
  const stopped = new Set(); // SIGSTOPped pids, to be continued whatever happens
  const daemonPids = [];

  let daemon = await startHyphaDaemon({ dir, home });
  daemonPids.push(identify(daemon.pid));
  const started = Date.now();
  log(`chaos: seed ${seed}, ${cycles} cycles, ${live.length} services, home ${home}`);

  const violation = (cycle, act, message) => {
    violations.push({ cycle, act, message });
    log(`  VIOLATION (cycle ${cycle}, after ${act}): ${message}`);
  };

  const running = async () => (await daemon.list()).filter((s) => s.pid !== null);

  const doAct = async (kind) => {
    switch (kind) {
      case 'killService': {
        const s = rng.pick(await running());
        if (s) signal(s.pid, 'SIGKILL');
        return s ? s.id : 'none running';
      }
      case 'killGrandchild': {
        const procs = processesOfHome(home, daemonPids.map((d) => d.pid));
        const list = await daemon.list();
        const leaders = new Set(list.map((s) => s.pid).filter((p) => p !== null));
        const p = rng.pick(procs.filter((x) => !leaders.has(x.pid)));
        if (p) signal(p.pid, 'SIGKILL');
        return p ? `${p.service} pid ${p.pid}` : 'none';
      }
      case 'stopCont': {
        const s = rng.pick(await running());
        if (!s) return 'none running';
        const who = identify(s.pid);
        if (!who) return 'gone';
        signal(s.pid, 'SIGSTOP');
        stopped.add(who);
        await sleep(rng.int(100, 1500));
        if (isSame(who)) signal(who.pid, 'SIGCONT');
        stopped.delete(who);
        return s.id;
      }
      case 'flipHealth': {
        const s = rng.pick(live.filter((x) => x.kind === 'web'));
        if (existsSync(s.flag)) unlinkSync(s.flag);
        else writeFileSync(s.flag, 'sick\n');
        return `${s.id} ${existsSync(s.flag) ? 'sick' : 'well'}`;
      }
      case 'apiStop':
      case 'apiStart':
      case 'apiRestart': {
        const action = kind.slice(3).toLowerCase();
        const s = rng.pick(live);
        if (action !== 'stop') markBoundary([s.id]);
        const r = await daemon.api('POST', `/api/services/${s.id}/${action}`);
        if (r.status !== 200) throw new Error(`${action} ${s.id}: HTTP ${r.status} ${r.text}`);
        return `${action} ${s.id}`;
      }
      case 'apiAll': {
        const action = rng.pick(['start', 'stop', 'restart']);
        if (action !== 'stop') markBoundary([...boundaries.keys()]);
        const r = await daemon.api('POST', `/api/services/all/${action}`);
        if (r.status !== 200) throw new Error(`${action} all: HTTP ${r.status} ${r.text}`);
        return `${action} all`;
      }
      case 'runJob': {
        const s = rng.pick(live.filter((x) => x.kind === 'job'));
        const r = await daemon.api('POST', `/api/services/${s.id}/run`);
        if (r.status !== 200) throw new Error(`run ${s.id}: HTTP ${r.status} ${r.text}`);
        return `run ${s.id}`;
      }
      case 'reload': {
        const changed = [];
        for (let i = rng.int(1, 3); i > 0; i--) {
          const s = rng.pick(live);
          s.gen++;
          changed.push(s.id);
        }
        const hasExtra = live.some((s) => s.kind === 'extra');
        if (rng.chance(0.4)) live = hasExtra ? live.filter((s) => s.kind !== 'extra') : [...live, extraService()];
        markBoundary(changed);
        writeConfig(join(dir, 'hypha.yaml'), live, dataDir);
        const r = await daemon.api('POST', '/api/reload');
        if (r.status !== 200) throw new Error(`reload: HTTP ${r.status} ${r.text}`);
        return `changed ${[...new Set(changed)].join(',')}; extra ${live.some((s) => s.kind === 'extra') ? 'present' : 'absent'}`;
      }
      case 'daemonKill': {
        signal(daemon.pid, 'SIGKILL');
        await daemon.exited;
        markBoundary([...boundaries.keys()]);
        daemon = await startHyphaDaemon({ dir, home });
        daemonPids.push(identify(daemon.pid));
        return `new daemon pid ${daemon.pid}`;
      }
      default:
        throw new Error(`unknown act ${kind}`);
    }
  };

  /** Spawn-count findings are about history: each is reported once. */
  const reportedSpawnProblems = new Set();
  const daemonLines = (id) =>
    daemon
      .output()
      .split('\n')
      .filter((l) => l.includes(`${id}:`) || l.includes('reloaded'))
      .slice(-12)
      .map((l) => `      ${l}`)
      .join('\n');

  /** Polls the invariants until they hold or SETTLE_MS passes; records what still fails. */
  const check = async (cycle, act) => {
    const deadline = Date.now() + SETTLE_MS;
    let problems = [];
    for (;;) {
      const snap = await snapshot(daemon);
      const now = Date.now();
      const outliving = strays(snap);
      const seen = new Set();
      problems = [];
      for (const p of outliving) {
        const key = `${p.pid}:${p.startTime}`;
        seen.add(key);
        if (!staleSince.has(key)) staleSince.set(key, now);
        if (now - staleSince.get(key) > SETTLE_MS) {
          problems.push(`pid ${p.pid} (${p.service ?? '?'}, run ${p.run ?? '?'}) outlived its run by more than ${SETTLE_MS} ms`);
        }
      }
      for (const key of [...staleSince.keys()]) if (!seen.has(key)) staleSince.delete(key);
      problems.push(...statusProblems(snap, model()), ...stateFileProblems(snap, daemon.pid));
      checks += snap.procs.length + snap.statuses.length * 3 + 1;
      if ((problems.length === 0 && outliving.length === 0) || now >= deadline) break;
      await sleep(100);
    }
    for (const p of problems) violation(cycle, act, p);
    for (const s of live.filter((x) => x.kind === 'crash')) {
      checks++;
      for (const p of spawnProblems(s.id, readStamps(s.stamps), boundaries.get(s.id) ?? [], s.maxRestarts, s.delayMs)) {
        if (reportedSpawnProblems.has(p)) continue;
        reportedSpawnProblems.add(p);
        violation(cycle, act, `${p}\n    daemon output for ${s.id}:\n${daemonLines(s.id)}`);
      }
    }
  };

  let cycle = 0;
  try {
    for (cycle = 1; cycle <= cycles; cycle++) {
      if (opts.signal?.aborted) {
        log(`interrupted after ${cycle - 1} cycles`);
        break;
      }
      if ((Date.now() - started) / 1000 > maxSeconds) {
        log(`time bound of ${maxSeconds} s reached after ${cycle - 1} cycles`);
        break;
      }
      const kind = rng.weighted(ACT_WEIGHTS);
      acts[kind]++;
      const what = await doAct(kind);
      log(`cycle ${cycle}: ${kind} ${what}`);
      await sleep(rng.int(0, 300));
      await check(cycle, kind);
    }
  } finally {
    for (const who of stopped) if (isSame(who)) signal(who.pid, 'SIGCONT');
    const exit = await daemon.stop(60_000);
    if (exit.code !== 0) violation(cycle, 'final stop', `daemon exited with ${JSON.stringify(exit)}`);
    const deadline = Date.now() + SETTLE_MS;
    let left = processesOfHome(home);
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(50);
      left = processesOfHome(home);
    }
    for (const p of left) {
      violation(cycle, 'final stop', `pid ${p.pid} (${p.service}) still alive after the daemon stopped`);
      signal(p.pid, 'SIGKILL');
    }
    for (const d of daemonPids) if (d && isSame(d)) signal(d.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return { seed, cycles: cycle - 1, acts, checks, violations, seconds: (Date.now() - started) / 1000 };
}
