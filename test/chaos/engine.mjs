// The chaos run: a real `hypha daemon` over 20 services of mixed kinds, and for N cycles one
// random act (seeded), then the invariants of invariants.mjs, polled until they hold or a
// settle deadline passes. At the end the daemon is stopped and no process of its home may live.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startHyphaDaemon } from '../bench/lib/hypha.mjs';
import { identify, isSame, processesOfHome, signal, sleep } from '../bench/lib/proc.mjs';
import { createRng } from './rng.mjs';
import { createServices, extraService, writeConfig, zeroDelayLooper } from './world.mjs';
import { generationProblems, readStamps, snapshot, spawnProblems, stateFileProblems, statusProblems, strays } from './invariants.mjs';

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
  reloadTwice: 4,
  fdLimit: 3,
  zeroDelayLoop: 3,
};

/** The daemon's soft and hard limits on open files, from /proc. */
function nofile(pid) {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? { soft: m[1], hard: m[2] } : null;
}

/** Every ping must be answered (generously: this is about a frozen daemon, not a slow one). */
async function pingAnswers(daemon) {
  try {
    const r = await fetch(`${daemon.url}/api/ping`, { signal: AbortSignal.timeout(15_000) });
    return r.ok;
  } catch {
    return false;
  }
}

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
  // Six distinct ports (the OS may hand the same free port out twice in a row).
  while (ports.length < 6) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const services = createServices({ dataDir, ports });
  let live = [...services];
  const model = () => new Map(live.map((s) => [s.id, s]));
  writeConfig(join(dir, 'hypha.yaml'), live, dataDir);

  const acts = Object.fromEntries(Object.keys(ACT_WEIGHTS).map((k) => [k, 0]));
  const violations = [];
  let checks = 0;
  /** Epoch starts per crasher id (acts that may start it afresh). */
  const boundaries = new Map(services.filter((s) => s.kind === 'crash').map((s) => [s.id, []]));
  /**
   * An epoch boundary for each id: the time, and the pids of runs that the act found, reported by
   * the daemon just before the act and in its answer. A run spawned before the act whose fixture
   * stamps itself only after it (bash can take tens of ms to get going on a loaded machine) thus
   * still counts for the epoch before. Returns `seen(statuses)` to add the runs the act is stopping.
   * @param {string[]} ids @param {{id: string, pid: number | null}[]} [before] statuses read before the act
   */
  const markBoundary = async (ids, before) => {
    const list = before ?? (await daemon.list());
    const t = Date.now();
    const marks = new Map();
    for (const id of ids) {
      const b = { t, pids: [] };
      marks.set(id, b);
      boundaries.get(id)?.push(b);
    }
    const seen = (statuses) => {
      for (const st of statuses ?? []) if (st && st.pid !== null) marks.get(st.id)?.pids.push(st.pid);
    };
    seen(list);
    // In the act's answer only a run being stopped is an old one (a start spawns at once).
    return (statuses) => seen((statuses ?? []).filter((st) => st?.state === 'stopping'));
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

  const doAct = async (kind, cycle) => {
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
        const seen = action !== 'stop' ? await markBoundary([s.id]) : null;
        const r = await daemon.api('POST', `/api/services/${s.id}/${action}`);
        if (r.status !== 200) throw new Error(`${action} ${s.id}: HTTP ${r.status} ${r.text}`);
        seen?.([r.body?.service]);
        return `${action} ${s.id}`;
      }
      case 'apiAll': {
        const action = rng.pick(['start', 'stop', 'restart']);
        const seen = action !== 'stop' ? await markBoundary([...boundaries.keys()]) : null;
        const r = await daemon.api('POST', `/api/services/all/${action}`);
        if (r.status !== 200) throw new Error(`${action} all: HTTP ${r.status} ${r.text}`);
        seen?.(r.body?.services);
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
        const seen = await markBoundary(changed);
        writeConfig(join(dir, 'hypha.yaml'), live, dataDir);
        const r = await daemon.api('POST', '/api/reload');
        if (r.status !== 200) throw new Error(`reload: HTTP ${r.status} ${r.text}`);
        // A changed service's old run shows as stopping right after the reload.
        seen(await daemon.list());
        return `changed ${[...new Set(changed)].join(',')}; extra ${live.some((s) => s.kind === 'extra') ? 'present' : 'absent'}`;
      }
      case 'reloadTwice': {
        // Two saves in quick succession, each followed by a reload, while changed services are
        // still stopping: the second file must win (generationProblems checks every run's GEN).
        const picks = [rng.pick(live), rng.pick(live)];
        const seen = await markBoundary(picks.map((s) => s.id));
        picks[0].gen++;
        const hasExtra = live.some((s) => s.kind === 'extra');
        if (rng.chance(0.5)) live = hasExtra ? live.filter((s) => s.kind !== 'extra') : [...live, extraService()];
        writeConfig(join(dir, 'hypha.yaml'), live, dataDir);
        const first = daemon.api('POST', '/api/reload');
        await sleep(rng.int(0, 150));
        picks[1].gen++;
        writeConfig(join(dir, 'hypha.yaml'), live, dataDir);
        const second = daemon.api('POST', '/api/reload');
        for (const r of await Promise.all([first, second])) if (r.status !== 200) throw new Error(`reload: HTTP ${r.status} ${r.text}`);
        seen(await daemon.list());
        return `changed ${picks.map((s) => s.id).join(',')}; extra ${live.some((s) => s.kind === 'extra') ? 'present' : 'absent'}`;
      }
      case 'fdLimit': {
        // Lower the daemon's soft limit on open files to a little above what it holds, restart
        // everything, check it still answers, then give the limit back and start what failed.
        const lim = nofile(daemon.pid);
        if (!lim) return 'no limits';
        const open = readdirSync(`/proc/${daemon.pid}/fd`).length;
        const seen = await markBoundary([...boundaries.keys()]);
        execFileSync('prlimit', ['--pid', String(daemon.pid), `--nofile=${open + 40}:`]);
        try {
          const r = await daemon.api('POST', '/api/services/all/restart');
          if (r.status !== 200) throw new Error(`restart all: HTTP ${r.status} ${r.text}`);
          seen(r.body?.services);
          await sleep(rng.int(300, 1500));
          if (!(await pingAnswers(daemon))) violation(cycle, 'fdLimit', 'no answer to /api/ping while file descriptors were short');
        } finally {
          execFileSync('prlimit', ['--pid', String(daemon.pid), `--nofile=${lim.soft}:`]);
        }
        const seen2 = await markBoundary([...boundaries.keys()]);
        const r = await daemon.api('POST', '/api/services/all/start');
        if (r.status !== 200) throw new Error(`start all: HTTP ${r.status} ${r.text}`);
        seen2(r.body?.services);
        return `limit ${open + 40} (had ${open} open), restored ${lim.soft}`;
      }
      case 'zeroDelayLoop': {
        // Add (or remove) a service that crashes every 0.1 s with restart delay 0; while it loops,
        // the daemon must keep answering.
        const present = live.some((s) => s.kind === 'zloop');
        live = present ? live.filter((s) => s.kind !== 'zloop') : [...live, zeroDelayLooper()];
        writeConfig(join(dir, 'hypha.yaml'), live, dataDir);
        const r = await daemon.api('POST', '/api/reload');
        if (r.status !== 200) throw new Error(`reload: HTTP ${r.status} ${r.text}`);
        if (!present) {
          for (let i = 0; i < 5; i++) {
            await sleep(200);
            if (!(await pingAnswers(daemon))) {
              violation(cycle, 'zeroDelayLoop', 'no answer to /api/ping during a delay-0 crash loop');
              break;
            }
          }
        }
        return present ? 'removed zloop' : 'added zloop';
      }
      case 'daemonKill': {
        const before = await daemon.list();
        signal(daemon.pid, 'SIGKILL');
        await daemon.exited;
        await markBoundary([...boundaries.keys()], before);
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
    // A status or state.json finding counts only once it has held for a second: the daemon writes
    // state.json a turn of its event loop after a spawn, and a poll can fall in between (on a
    // machine loaded with parallel runs, once seen to last over 100 ms).
    const since = new Map();
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
      const current = [...statusProblems(snap, model()), ...stateFileProblems(snap, daemon.pid), ...generationProblems(snap, model())];
      for (const p of current) if (!since.has(p)) since.set(p, now);
      for (const p of [...since.keys()]) if (!current.includes(p)) since.delete(p);
      problems.push(...current.filter((p) => now - since.get(p) >= 1000));
      checks += snap.procs.length + snap.statuses.length * 3 + 1;
      if ((current.length === 0 && outliving.length === 0) || now >= deadline) break;
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
      const what = await doAct(kind, cycle);
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
