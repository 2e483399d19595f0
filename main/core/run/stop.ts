// How a run is stopped, as systemd stops a unit: `stop.command` first (ExecStop=, with the
// service's env and cwd and $MAINPID), then `stop.signal` ONCE to the main process's group and to
// every process of the run alive at that moment, then, after `stop.timeout`, SIGKILL to all that is
// left: one write to cgroup.kill, or the tracked tree. What the service starts during the grace
// period (a `trap cleanup TERM` running `sleep` or `pg_ctl`) is left to finish until the deadline.
// "Stopped" is "the cgroup is empty", or "no tracked process is left" without a cgroup. The waits
// wake on the leader's exit event and on cgroup.events changing (wait-gone.ts), not on polling
// rounds: fifty services stopped at once each end within a few ms of their last process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from '../../contract/config.js';
import { killTree, sendSignal, type KillTreeResult } from '../process/kill.js';
import { cgroupPids, isPopulated, joiningArgv, killCgroup, removeCgroup } from '../process/cgroup.js';
import { isAlive, isSameProcess, readProcessTable, readProcessTableAsync, type ProcessInfo } from '../process/proctable.js';
import { onFileChange, onSettled, waitUntil, type WakeSource } from '../process/wait-gone.js';
import { findMarked } from './marks.js';
import { adoptPortHolders } from './port-holders.js';
import type { Run } from './run.js';

/** How long SIGKILLed processes get to disappear before the stop gives up on them. */
const KILL_WAIT_MS = 3000;

/** Before ending a run: take in every process that carries its mark, wherever it was reparented. */
export function adoptMarked(run: Run, table: readonly ProcessInfo[] = readProcessTable()): void {
  run.tracker.adopt(findMarked(run.mark, table, run.startedAt));
}

/**
 * Ends a run: stop.command (not for a oneshot past its timeout: that is a forced end), the signal
 * once, SIGKILL at the deadline. Resolves once nothing of the run is left (or SIGKILL could not end it).
 */
export async function killRun(run: Run, signal: NodeJS.Signals, timeoutMs: number): Promise<KillTreeResult> {
  if (!run.timedOut && run.stopCommand && runIsLive(run)) await runStopCommand(run, run.stopCommand, timeoutMs);
  if (run.cgroup) return stopCgroup(run, run.cgroup, signal, timeoutMs);
  // A daemonized child out of the tree whose mark its process title overwrote: found by the port.
  if (run.port !== null) adoptPortHolders(run, run.port, readProcessTable());
  const checked = new Set<string>();
  const adopt = (table: readonly ProcessInfo[]): void => {
    const fresh = table.filter((p) => !checked.has(`${p.pid}:${p.startTime}`));
    for (const p of fresh) checked.add(`${p.pid}:${p.startTime}`);
    adoptMarked(run, fresh);
  };
  return killTree({ pid: run.pid, pgid: run.pgid, tracker: run.tracker, signal, timeoutMs, adopt, wakes: [onSettled(run.leaderExited)] });
}

function runIsLive(run: Run): boolean {
  if (run.cgroup) return isPopulated(run.cgroup) || isAlive(run.pid);
  const table = readProcessTable();
  run.tracker.track(table);
  return run.tracker.alive(table).length > 0;
}

/**
 * The cgroup way: once to what is there, wait for "populated 0", cgroup.kill at the deadline. The
 * main process counts too until it has joined (a stop can come between spawn and the join): it
 * leads its own group, so the group signal reaches it either way.
 */
async function stopCgroup(run: Run, dir: string, signal: NodeJS.Signals, timeoutMs: number): Promise<KillTreeResult> {
  const mainAlive = (): boolean => (run.startTime ? isSameProcess({ pid: run.pid, startTime: run.startTime }) : isAlive(run.pid));
  const empty = (): boolean => !isPopulated(dir) && !mainAlive();
  const members = cgroupPids(dir).filter((pid) => pid !== process.pid);
  const wakes: WakeSource[] = [onFileChange(path.join(dir, 'cgroup.events')), onSettled(run.leaderExited)];
  if (signal !== 'SIGKILL') {
    // The group first (it reaches a fork made since cgroup.procs was read), then each member.
    if (mainAlive() && run.pgid > 1) sendSignal(-run.pgid, signal);
    for (const pid of members) {
      sendSignal(pid, signal);
      sendSignal(pid, 'SIGCONT'); // a stopped process only acts on a signal once continued
    }
    if (await waitUntil(empty, Date.now() + timeoutMs, wakes)) {
      removeCgroup(dir);
      return { killed: members, escalated: false, leftovers: [] };
    }
  }
  const killDeadline = Date.now() + KILL_WAIT_MS;
  // cgroup.kill again on every look that still finds someone (a member the first one missed).
  const killedAll = (): boolean => {
    if (empty()) return true;
    killCgroup(dir);
    if (mainAlive()) {
      if (run.pgid > 1) sendSignal(-run.pgid, 'SIGKILL');
      sendSignal(run.pid, 'SIGKILL');
    }
    return empty();
  };
  await waitUntil(killedAll, killDeadline, wakes);
  const leftovers = empty() ? [] : [...new Set([...cgroupPids(dir), ...(mainAlive() ? [run.pid] : [])])];
  if (leftovers.length === 0) removeCgroup(dir);
  return { killed: [...new Set([...members, ...cgroupPids(dir)])], escalated: true, leftovers };
}

/**
 * Runs stop.command and waits for it (at most `timeoutMs`); its output goes to the service log.
 * Inside the run's cgroup where there is one (systemd runs ExecStop= in the unit's cgroup), else
 * in a group of its own that is ended if it overruns.
 */
async function runStopCommand(run: Run, command: Command, timeoutMs: number): Promise<void> {
  const shell = typeof command === 'string';
  let file = shell ? '/bin/sh' : (command[0] ?? '');
  let args = shell ? ['-c', command] : command.slice(1);
  if (run.cgroup && process.platform !== 'win32') ({ file, args } = joiningArgv(run.cgroup, file, args));
  const label = shell ? command : command.join(' ');
  run.log.supervisor(`stop: running ${label}`);
  await new Promise<void>((resolve) => {
    let child;
    try {
      child = spawn(file, args, {
        cwd: run.cwd,
        env: { ...run.env, MAINPID: String(run.pid) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        shell: process.platform === 'win32' && shell,
        windowsHide: true,
      });
    } catch (err) {
      run.log.supervisor(`stop.command could not start: ${(err as Error).message}`);
      resolve();
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => run.log.ingest('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => run.log.ingest('stderr', chunk));
    const timer = setTimeout(() => {
      run.log.supervisor(`stop.command still running after ${timeoutMs} ms: going on with the stop signal`);
      if (child.pid && !run.cgroup) sendSignal(-child.pid, 'SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      run.log.supervisor(`stop.command could not start: ${err.message}`);
      resolve();
    });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      if (code !== 0) run.log.supervisor(`stop.command ${sig ? `killed by ${sig}` : `exited with code ${code}`}`);
      resolve();
    });
  });
  // Give the service a moment to act on what the command asked (most return before the exit).
  if (run.cgroup) return;
  await readProcessTableAsync().then((t) => run.tracker.track(t));
}
