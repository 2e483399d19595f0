// Reaping what a killed supervisor left behind (SPEC §4). Found as the members of this
// HYPHA_HOME's run cgroups (whatever they did to argv or environ), by pid AND start time from
// state.json, and by the environment mark, so a recycled pid is never touched. Stopped, not
// killed: a postgres or a redis left running deserves the shutdown a `hypha stop` gives it
// (stop.command, stop.signal once, SIGKILL after stop.timeout), then the supervisor starts clean.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../../contract/config.js';
import { cgroupPids, isPopulated, killCgroup, listRunCgroups, removeCgroup } from '../process/cgroup.js';
import { environValue, readEnviron } from '../process/environ.js';
import { bootId, isSameProcess, processStartTime, readProcessTable, type ProcessInfo } from '../process/proctable.js';
import { readStateFile, type RecordedProcess } from './state-file.js';

export interface Orphan {
  pid: number;
  service: string;
  /** The run's cgroup, when it was found there. */
  cgroup?: string;
  /** The main process of its run as state.json recorded it (the one stop.command and the signal are for). */
  main?: boolean;
  /** Filled in by reapOrphans: how it ended. */
  outcome?: string;
}

/** The line the host writes for each reaped orphan (SPEC §6 "Orphans"). */
export function orphanLine(o: Orphan): string {
  return `reaped orphan pid ${o.pid} (${o.service})${o.outcome ? `: ${o.outcome}` : ''}`;
}

function ancestorsOf(pid: number, byPid: Map<number, ProcessInfo>): Set<number> {
  const out = new Set<number>();
  let cur = byPid.get(pid);
  while (cur && !out.has(cur.pid)) {
    out.add(cur.pid);
    cur = byPid.get(cur.ppid);
  }
  return out;
}

/**
 * Finds what a previous supervisor of this HYPHA_HOME spawned and that still lives: the runs in
 * state.json (pid + start time), their process groups and descendants, and on Linux any process
 * whose environment names this HYPHA_HOME and a service (caught even if state.json missed it).
 */
export function findOrphans(home: string, table: ProcessInfo[] = readProcessTable()): Orphan[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const spare = ancestorsOf(process.pid, byPid);
  const found = new Map<number, string>();
  const add = (pid: number, service: string): void => {
    if (pid > 1 && !spare.has(pid) && !found.has(pid)) found.set(pid, service);
  };
  for (const { service, dir } of listRunCgroups(home)) {
    for (const pid of cgroupPids(dir)) add(pid, service);
    if (!isPopulated(dir)) removeCgroup(dir);
  }
  const mains = new Set<number>();
  const state = readStateFile(home);
  const sameBoot = state && (state.bootId === null || state.bootId === bootId());
  if (state && sameBoot && Array.isArray(state.runs)) {
    for (const run of state.runs) {
      const idents: RecordedProcess[] = [...(run.startTime ? [{ pid: run.pid, startTime: run.startTime }] : []), ...(run.members ?? [])];
      const live = idents.filter((i) => byPid.get(i.pid)?.startTime === i.startTime && byPid.get(i.pid)?.state !== 'Z');
      for (const i of live) add(i.pid, run.service);
      if (run.startTime && live.some((i) => i.pid === run.pid)) mains.add(run.pid);
      // Members of its group started after the leader belong to it too.
      const leader = run.startTime ? Number(run.startTime) : NaN;
      if (live.length > 0 && Number.isFinite(leader)) {
        for (const p of table) if (p.pgid === run.pgid && Number(p.startTime) >= leader) add(p.pid, run.service);
      }
    }
  }
  if (process.platform === 'linux') {
    for (const p of table) {
      if (p.uid !== process.getuid?.() || found.has(p.pid) || spare.has(p.pid) || p.state === 'Z') continue;
      const env = readEnviron(p.pid);
      if (!env) continue;
      const service = environValue(env, 'HYPHA_SERVICE');
      if (service && environValue(env, 'HYPHA_HOME') === home) add(p.pid, service);
    }
  }
  // Descendants of anything found go with it.
  const children = new Map<number, number[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  for (const [pid, service] of [...found]) {
    const stack = [...(children.get(pid) ?? [])];
    while (stack.length) {
      const c = stack.pop() as number;
      if (found.has(c)) continue;
      add(c, service);
      stack.push(...(children.get(c) ?? []));
    }
  }
  const cgroupOf = new Map<number, string>();
  for (const { dir } of listRunCgroups(home)) for (const pid of cgroupPids(dir)) cgroupOf.set(pid, dir);
  return [...found].map(([pid, service]) => {
    const o: Orphan = { pid, service };
    const dir = cgroupOf.get(pid);
    if (dir) o.cgroup = dir;
    if (mains.has(pid)) o.main = true;
    return o;
  });
}

interface Unit {
  service: string;
  config: ServiceConfig | null;
  members: (Orphan & { startTime: string | null })[];
  cgroup: string | null;
}

function liveMembers(u: Unit): Unit['members'] {
  return u.members.filter((m) => m.startTime !== null && isSameProcess({ pid: m.pid, startTime: m.startTime }));
}

function unitEmpty(u: Unit): boolean {
  return (u.cgroup === null || !isPopulated(u.cgroup)) && liveMembers(u).length === 0;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone, or not ours.
  }
}

/** stop.command for an orphan run, bounded by its timeout; its output goes nowhere (no log yet). */
function runStopCommand(c: ServiceConfig, mainPid: number | null, timeoutMs: number): Promise<void> {
  const command = c.stop.command;
  if (!command) return Promise.resolve();
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0] ?? '', command.slice(1)];
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, args, {
        cwd: c.cwd,
        env: { ...process.env, ...c.env, HYPHA_SERVICE: c.id, ...(mainPid ? { MAINPID: String(mainPid) } : {}) },
        stdio: 'ignore',
        detached: process.platform !== 'win32',
      });
    } catch {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      if (child.pid) send(-child.pid, 'SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** One orphan run: stop.command, the signal once, SIGKILL at the timeout; the outcome for each member. */
async function stopUnit(u: Unit, pollMs: number): Promise<void> {
  const started = Date.now();
  const c = u.config;
  const signal = c?.stop.signal ?? 'SIGTERM';
  const timeoutMs = c?.stop.timeoutMs ?? 10_000;
  const main = u.members.find((m) => m.main) ?? null;
  if (c?.stop.command) {
    await runStopCommand(c, main?.pid ?? null, timeoutMs);
  }
  if (!unitEmpty(u)) {
    if (main && main.startTime && isSameProcess({ pid: main.pid, startTime: main.startTime })) send(-main.pid, signal);
    for (const m of liveMembers(u)) {
      send(m.pid, signal);
      send(m.pid, 'SIGCONT');
    }
    if (u.cgroup) for (const pid of cgroupPids(u.cgroup)) send(pid, signal);
  }
  const deadline = Date.now() + timeoutMs;
  while (!unitEmpty(u) && Date.now() < deadline) await sleep(pollMs);
  let outcome = 'stopped gracefully';
  if (!unitEmpty(u)) {
    outcome = `killed after ${Math.round((Date.now() - started) / 100) / 10}s`;
    const killDeadline = Date.now() + 3000;
    while (!unitEmpty(u) && Date.now() < killDeadline) {
      if (u.cgroup) killCgroup(u.cgroup);
      for (const m of liveMembers(u)) send(m.pid, 'SIGKILL');
      await sleep(pollMs);
    }
  }
  if (u.cgroup) removeCgroup(u.cgroup);
  for (const m of u.members) m.outcome = outcome;
}

/**
 * Stops the orphans as a `hypha stop` would (per run: stop.command, stop.signal once, SIGKILL
 * after stop.timeout, from the service's current config; SIGTERM and 10 s for a service no
 * longer configured), all runs at once, and resolves once they are gone. Each orphan gets its
 * `outcome`: "stopped gracefully" or "killed after Ns".
 */
export async function reapOrphans(orphans: Orphan[], services: readonly ServiceConfig[] = [], pollMs = 50): Promise<Orphan[]> {
  if (orphans.length === 0) return [];
  const units = new Map<string, Unit>();
  for (const o of orphans) {
    const key = o.cgroup ?? `service:${o.service}`;
    let u = units.get(key);
    if (!u) {
      u = { service: o.service, config: services.find((s) => s.id === o.service) ?? null, members: [], cgroup: o.cgroup ?? null };
      units.set(key, u);
    }
    u.members.push({ ...o, startTime: processStartTime(o.pid) });
  }
  await Promise.all([...units.values()].map((u) => stopUnit(u, pollMs)));
  const outcome = new Map<number, string>();
  for (const u of units.values()) for (const m of u.members) outcome.set(m.pid, m.outcome ?? '');
  return orphans.map((o) => ({ ...o, outcome: outcome.get(o.pid) }));
}
