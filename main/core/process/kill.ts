// Ends a whole process tree as systemd does (KillMode=control-group): the stop signal ONCE to the
// group and to every member alive at that moment, then SIGKILL at the deadline to whatever is
// left. Processes started after the signal (a `trap cleanup TERM` running `sleep`, `pg_ctl`) are
// not signalled before the deadline: they are the service's own cleanup. Done as soon as nothing
// is left, never waiting out the timeout. Unlike process-compose, the escalation goes on even when
// the group leader has already exited on the first signal: its children, or a setsid grandchild,
// may not have.
import { killTreeWin32 } from './kill-win32.js';
import { isAlive, readProcessTableAsync, type ProcessInfo } from './proctable.js';
import { ancestorsOf, DescendantTracker } from './tree.js';
import { waitUntil, type WakeSource } from './wait-gone.js';

export interface KillTreeOptions {
  pid: number;
  /** The group to signal; by default the root's own group if it leads one. */
  pgid?: number;
  /** The run's tracker, so members that left the tree (setsid, reparented) are found too. */
  tracker?: DescendantTracker;
  signal: NodeJS.Signals;
  /** How long the tree gets to exit on `signal` before SIGKILL. */
  timeoutMs: number;
  /**
   * What tells that a member may have gone (the leader's exit event): the wait looks again at
   * once on each, and otherwise only on a backstop timer from `pollMs` backing off to 250 ms.
   */
  wakes?: readonly WakeSource[];
  /** The first backstop look without an event. Default 25 ms. */
  pollMs?: number;
  /** How long to wait for SIGKILLed processes to disappear before giving up. Default 3 s. */
  killWaitMs?: number;
  /**
   * Called with every fresh table before signals go out, to add members found another way (a
   * run's environment mark): a child forked by a parent that dies in the same instant is
   * reparented before any scan could link it by descent.
   */
  adopt?: (table: readonly ProcessInfo[], tracker: DescendantTracker) => void;
}

export interface KillTreeResult {
  /** Every pid that was sent a signal. */
  killed: number[];
  /** True if SIGKILL had to be sent. */
  escalated: boolean;
  /** Pids still alive at the end (not ours to kill, or stuck in the kernel). */
  leftovers: number[];
}

/** Sends a signal, quietly: a process already gone (ESRCH) or not ours (EPERM) is not an error. */
export function sendSignal(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to the tree of `pid` (its group and every member seen), resolves as soon as none
 * is left, and SIGKILLs whatever still lives at `timeoutMs`. Never signals pid 1, this process,
 * its ancestors or its own group.
 */
export async function killTree(opts: KillTreeOptions): Promise<KillTreeResult> {
  if (process.platform === 'win32') return killTreeWin32(opts);
  const pollMs = opts.pollMs ?? 25;
  const backstop = { firstMs: pollMs, maxMs: Math.max(pollMs, 250) };
  const wakes = opts.wakes ?? [];
  const killWaitMs = opts.killWaitMs ?? 3000;
  const deadline = Date.now() + opts.timeoutMs;

  let table = await readProcessTableAsync();
  const self = table.find((p) => p.pid === process.pid);
  const ownPgid = self?.pgid ?? process.pid;
  // Our own tree holds every other service: a root that is us or above us is never ours to end.
  const spared = new Set([process.pid, ...ancestorsOf(process.pid, table).map((p) => p.pid)]);
  if (opts.pid <= 1 || spared.has(opts.pid)) {
    return { killed: [], escalated: false, leftovers: opts.pid > 0 && isAlive(opts.pid) ? [opts.pid] : [] };
  }
  const root = table.find((p) => p.pid === opts.pid);
  const tracker =
    opts.tracker ?? new DescendantTracker(opts.pid, opts.pgid ?? (root && root.pgid === root.pid ? root.pid : 0));
  const pgid = opts.pgid ?? tracker.pgid;
  const groupSignallable = pgid > 1 && pgid !== ownPgid;

  const killed = new Set<number>();
  // (pid:startTime) → signals already sent, so nobody gets the stop signal twice (a second
  // SIGINT/SIGTERM means "force" to many programs) yet late arrivals still get theirs.
  const sent = new Set<string>();

  const deliver = (signal: NodeJS.Signals): ProcessInfo[] => {
    opts.adopt?.(table, tracker);
    tracker.track(table);
    const live = tracker.alive(table).filter((p) => p.pid > 1 && !spared.has(p.pid));
    let groupCovered = false;
    if (groupSignallable && !sent.has(`group:${signal}`) && tracker.ownsGroup(table, pgid)) {
      groupCovered = sendSignal(-pgid, signal);
      if (groupCovered) sent.add(`group:${signal}`);
    }
    for (const p of live) {
      const key = `${p.pid}:${p.startTime}:${signal}`;
      if (sent.has(key)) continue;
      sent.add(key);
      killed.add(p.pid);
      if (!(groupCovered && p.pgid === pgid)) sendSignal(p.pid, signal); // else the group signal reached it
      // A stopped process only acts on a signal once continued (systemd does the same).
      if (signal !== 'SIGKILL' && (p.state === 'T' || p.state === 't')) sendSignal(p.pid, 'SIGCONT');
    }
    return live;
  };

  // A table read after the event that woke us (never one that still shows the exit we heard),
  // shared with every stop woken by the same burst of exits.
  const rescan = async (heardAt: number): Promise<void> => {
    table = await readProcessTableAsync(heardAt);
  };

  let live = deliver(opts.signal);
  const look = (): ProcessInfo[] => {
    opts.adopt?.(table, tracker);
    tracker.track(table);
    return tracker.alive(table).filter((p) => p.pid > 1 && !spared.has(p.pid));
  };
  // Followed, never signalled again before the deadline.
  const gone = async (heardAt: number): Promise<boolean> => {
    await rescan(heardAt);
    live = look();
    return live.length === 0;
  };
  if (live.length === 0 || (await waitUntil(gone, deadline, wakes, backstop))) return { killed: [...killed], escalated: false, leftovers: [] };

  const killDeadline = Date.now() + killWaitMs;
  live = deliver('SIGKILL');
  // SIGKILL again to whatever a look finds (a fork that raced the first one).
  const killedAll = async (heardAt: number): Promise<boolean> => {
    await rescan(heardAt);
    live = deliver('SIGKILL');
    return live.length === 0;
  };
  if (live.length > 0) await waitUntil(killedAll, killDeadline, wakes, backstop);
  return { killed: [...killed], escalated: true, leftovers: live.map((p) => p.pid) };
}
