// What must hold after every chaos act, checked against /proc and the daemon's API and state.json:
// - every live process started by this Hypha (HYPHA_HOME=<home> in its environment) carries the
//   HYPHA_RUN mark of its service's current run; one that does not has outlived its run, which
//   is allowed only for a short settle time from when it was first seen so;
// - state.json names the live daemon and exactly the live runs;
// - every status is legal (SPEC §2) and restarts never exceed max_restarts;
// - a crasher is never spawned more often than its policy allows (its stamp file counts spawns).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environOf, isSame, processesOfHome, readStat } from '../bench/lib/proc.mjs';

const STATES = ['stopped', 'starting', 'running', 'stopping', 'backoff', 'failed', 'completed'];
const HEALTHS = ['none', 'unknown', 'healthy', 'unhealthy'];
const STATUSES = ['online', 'starting', 'unhealthy', 'stopping', 'offline', 'backoff', 'failed', 'completed'];

/** SPEC §2: the summary a state and health make. */
export function summary(state, health) {
  if (state === 'running') return health === 'healthy' || health === 'none' ? 'online' : health === 'unhealthy' ? 'unhealthy' : 'starting';
  return state === 'stopped' ? 'offline' : state;
}

/**
 * One consistent look: statuses before and after a /proc scan, so a run that turned over in
 * between counts as current either way.
 */
export async function snapshot(daemon) {
  const before = await daemon.list();
  const procs = processesOfHome(daemon.home, [daemon.pid]);
  const after = await daemon.list();
  /** @type {Map<string, Set<string>>} service id → marks of its current run(s) */
  const current = new Map();
  const pids = new Map();
  for (const s of [...before, ...after]) {
    if (s.pid === null) continue;
    const mark = environOf(s.pid)?.get('HYPHA_RUN');
    if (!mark) continue;
    if (!current.has(s.id)) current.set(s.id, new Set());
    current.get(s.id).add(mark);
    if (!pids.has(s.id)) pids.set(s.id, new Set());
    pids.get(s.id).add(s.pid);
  }
  let state = null;
  try {
    state = JSON.parse(readFileSync(join(daemon.home, 'state.json'), 'utf8'));
  } catch {
    state = null;
  }
  return { statuses: after, procs, current, pids, state };
}

/** Processes that belong to no current run. */
export function strays(snap) {
  return snap.procs.filter((p) => !(p.service && p.run && snap.current.get(p.service)?.has(p.run)));
}

/** Problems in the statuses themselves. @param {Map<string, import('./world.mjs').ChaosService>} model */
export function statusProblems(snap, model) {
  const out = [];
  for (const s of snap.statuses) {
    const m = model.get(s.id);
    if (!m) {
      out.push(`${s.id}: listed but not configured`);
      continue;
    }
    if (!STATES.includes(s.state)) out.push(`${s.id}: illegal state ${s.state}`);
    if (!HEALTHS.includes(s.health)) out.push(`${s.id}: illegal health ${s.health}`);
    if (!STATUSES.includes(s.status)) out.push(`${s.id}: illegal status ${s.status}`);
    if (s.status !== summary(s.state, s.health)) out.push(`${s.id}: status ${s.status} does not follow from ${s.state}/${s.health}`);
    // While stopping, the leader may be gone before the rest of its tree: pid null is fair then.
    if (s.pid !== null && s.state !== 'running' && s.state !== 'stopping') out.push(`${s.id}: state ${s.state} with pid ${s.pid}`);
    if (s.state === 'running' && s.pid === null) out.push(`${s.id}: running without a pid`);
    if ((s.state === 'running') !== (s.uptimeMs !== null)) out.push(`${s.id}: state ${s.state} with uptimeMs ${s.uptimeMs}`);
    if (s.state === 'completed' && s.type !== 'oneshot') out.push(`${s.id}: a daemon cannot be completed`);
    if ((m.kind === 'web') !== (s.health !== 'none')) out.push(`${s.id}: health ${s.health} does not fit its probe`);
    if (m.maxRestarts !== null && s.restarts > m.maxRestarts) out.push(`${s.id}: ${s.restarts} restarts, max_restarts is ${m.maxRestarts}`);
  }
  for (const id of model.keys()) if (!snap.statuses.some((s) => s.id === id)) out.push(`${id}: configured but not listed`);
  return out;
}

/** state.json against reality. */
export function stateFileProblems(snap, daemonPid) {
  const st = snap.state;
  if (!st) return ['state.json missing or unreadable'];
  const out = [];
  if (st.pid !== daemonPid) out.push(`state.json names daemon ${st.pid}, the daemon is ${daemonPid}`);
  const recorded = new Map((st.runs ?? []).map((r) => [r.service, r]));
  for (const s of snap.statuses) {
    if (s.pid === null) continue;
    const r = recorded.get(s.id);
    if (!r || r.pid !== s.pid) out.push(`${s.id}: live run pid ${s.pid} is not in state.json (it has ${r ? r.pid : 'none'})`);
  }
  for (const r of st.runs ?? []) {
    const alive = r.startTime ? isSame({ pid: r.pid, startTime: r.startTime }) : readStat(r.pid) !== null;
    if (!alive) continue;
    const s = snap.statuses.find((x) => x.id === r.service);
    if (!s || s.pid !== r.pid) out.push(`state.json names live pid ${r.pid} for ${r.service}, whose run is ${s ? s.pid : 'gone'}`);
  }
  return out;
}

/**
 * Spawns of a crasher per epoch (between acts that may start it afresh) against 1 + max_restarts,
 * and the gaps between spawns against the restart delay. A spawn belongs to the epoch its time
 * falls in, except that a spawn whose pid the act found running belongs before it (its fixture
 * may stamp itself a little after the act was sent).
 * @param {{t: number, pid: number | null}[]} stamps spawn times (ms) and pids, in order
 * @param {{t: number, pids: number[]}[]} boundaries epoch starts and the pids of runs the act found, ascending
 */
export function spawnProblems(id, stamps, boundaries, maxRestarts, delayMs, slackMs = 10) {
  const out = [];
  const epochs = Array.from({ length: boundaries.length + 1 }, () => []);
  for (const s of stamps) {
    let e = 0;
    for (const b of boundaries) {
      if (s.t < b.t || (s.pid !== null && b.pids.includes(s.pid))) break;
      e++;
    }
    epochs[e].push(s.t);
  }
  for (const times of epochs) {
    if (times.length > 1 + maxRestarts) out.push(`${id}: ${times.length} spawns in one epoch, policy allows ${1 + maxRestarts}`);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i] - times[i - 1];
      if (gap < delayMs - slackMs) out.push(`${id}: respawned ${gap.toFixed(0)} ms after the previous spawn, delay is ${delayMs} ms`);
    }
  }
  return out;
}

/** Spawns from a bench-stamp.sh stamp file (`<start> <end> <pid>` per run): times in ms and pids. */
export function readStamps(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .map((f) => ({ t: Number(f[0]) * 1000, pid: f[2] ? Number(f[2]) : null }))
      .filter((s) => Number.isFinite(s.t) && s.t > 0);
  } catch {
    return [];
  }
}

/**
 * The last file wins (issue 18 item 3): every running service carries, in its environment, the
 * GEN of the config last written. A run with an older GEN means an older reload won.
 */
export function generationProblems(snap, model) {
  const out = [];
  for (const s of snap.statuses) {
    const m = model.get(s.id);
    if (!m || s.state !== 'running' || s.pid === null) continue;
    const gen = environOf(s.pid)?.get('GEN');
    if (gen !== undefined && gen !== String(m.gen)) out.push(`${s.id}: runs GEN ${gen}, the config last written says ${m.gen}`);
  }
  return out;
}
