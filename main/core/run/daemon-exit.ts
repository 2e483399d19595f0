// What a main process's exit means for a program that forks into the background.
//
// Without `pidfile`, a daemon whose main process exits 0 within a few seconds while something it
// started lives on has gone into the background (redis-server --daemonize yes, nginx without
// `daemon off;`): Hypha can no longer supervise it, so the run fails with a message that says what
// to change, and what it left is ended with it.
//
// With `pidfile` (systemd's Type=forking + PIDFile=) that exit is the expected hand-over: the
// service is the pid in the file from then on, and that process's end is the service's end.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../../contract/config.js';
import { cgroupPids } from '../process/cgroup.js';
import { isAlive, isSameProcess, processStartTime, readProcessTable } from '../process/proctable.js';
import { findMarked } from './marks.js';
import { adoptPortHolders } from './port-holders.js';
import type { Run } from './run.js';

/** A main process that exits 0 sooner than this, leaving processes behind, has daemonized. */
export const DAEMONIZE_WINDOW_MS = 5000;
/** How long a pidfile may take to appear (and name a live process) after the main process exited. */
export const PIDFILE_WAIT_MS = 10_000;
const POLL_MS = 100;

const FOREGROUND_HINTS: Record<string, string> = {
  'redis-server': ' (--daemonize no)',
  nginx: ` (-g 'daemon off;')`,
  mosquitto: ' (without -d)',
  postgres: ' (postgres -D, not pg_ctl start)',
  pg_ctl: ' (postgres -D, not pg_ctl start)',
  memcached: ' (without -d)',
  sshd: ' (-D)',
};

/** The program's name as a person knows it: the first word of the command, without its folder. */
export function programName(command: ServiceConfig['command']): string {
  const first = Array.isArray(command) ? (command[0] ?? '') : (command.trim().split(/\s+/)[0] ?? '');
  return path.basename(first);
}

export function daemonizedMessage(command: ServiceConfig['command'], pid: number): string {
  const name = programName(command);
  return `${name} went into the background (pid ${pid}): run it in the foreground${FOREGROUND_HINTS[name] ?? ''} or set pidfile:`;
}

/**
 * What the run left alive after its main process exited: the cgroup's members, else the tracked
 * tree plus marked processes plus (for a program that rewrote its environment and left the tree)
 * fresh holders of its port. Each is taken into the run's tracker, so the reaper ends it.
 */
export function survivors(run: Run, port: number | null): number[] {
  if (run.cgroup) return cgroupPids(run.cgroup).filter((pid) => pid !== process.pid);
  const table = readProcessTable();
  run.tracker.adopt(findMarked(run.mark, table, run.startedAt));
  run.tracker.track(table);
  if (port !== null) adoptPortHolders(run, port, table);
  return run.tracker.alive(table).map((p) => p.pid).filter((pid) => pid !== run.pid && pid !== process.pid);
}

/**
 * Without a cgroup, a daemonized child that rewrote its environment (redis, nginx) and was forked
 * between two scans of the tree can only be found by the port it will hold, which on a loaded
 * machine may come a moment after the parent's exit: look for it until the daemonize window ends
 * (at least a second after the exit), or until the run is asked to stop.
 */
export async function awaitPortHolder(run: Run, port: number): Promise<number[]> {
  const deadline = Math.max(run.startedAt + DAEMONIZE_WINDOW_MS, Date.now() + 1000);
  for (;;) {
    const left = survivors(run, port);
    if (left.length > 0 || run.requested || Date.now() >= deadline) return left;
    await sleep(POLL_MS);
  }
}

function startedSince(pid: number, sinceMs: number): boolean {
  const p = readProcessTable().find((x) => x.pid === pid);
  return p !== undefined && p.uid === process.getuid?.() && p.startedAtMs >= sinceMs - 1000;
}

function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * After the main process of a `pidfile` service exited 0: the pid in the file once it names a live
 * process of this run (or null after PIDFILE_WAIT_MS, or once the run was asked to stop).
 */
export async function awaitPidfile(run: Run, file: string): Promise<number | null> {
  const deadline = Date.now() + PIDFILE_WAIT_MS;
  while (Date.now() < deadline && !run.requested) {
    const pid = readPid(file);
    if (pid !== null && pid !== run.pid && processStartTime(pid) !== null) {
      // Only a process of this run counts: a stale file from an earlier life names somebody else.
      // Without a cgroup, a process of this user started since the run began (a daemon that
      // rewrote its environment and left the tree cannot be told apart any better) is taken in.
      const ours = run.cgroup ? cgroupPids(run.cgroup).includes(pid) : survivors(run, null).includes(pid) || startedSince(pid, run.startedAt);
      if (ours) {
        if (!run.cgroup) run.tracker.adopt(readProcessTable().filter((p) => p.pid === pid));
        return pid;
      }
    }
    await sleep(POLL_MS);
  }
  return null;
}

/** Resolves when the process `pid` (with this start time) is gone. */
export async function awaitGone(pid: number, startTime: string | null): Promise<void> {
  while (startTime === null ? isAlive(pid) : isSameProcess({ pid, startTime })) await sleep(POLL_MS);
}
