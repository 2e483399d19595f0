// Process trees. The parent links in a table only show the tree as it is now: a child that calls
// setsid, or whose parent dies, is reparented to init (or a subreaper) and drops out of it. So a
// running service keeps a DescendantTracker that remembers every descendant it has ever seen.
import type { ProcessIdentity, ProcessInfo } from './proctable.js';

/** ppid → children, for walking down. */
export function childrenByParent(table: readonly ProcessInfo[]): Map<number, ProcessInfo[]> {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
  }
  return children;
}

/** Every process below `rootPid` by parent links, all depths, root excluded. */
export function descendantsOf(rootPid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
  return walkDown([rootPid], childrenByParent(table));
}

/** The parent chain of `pid`, nearest first, up to init (which is included). */
export function ancestorsOf(pid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const chain: ProcessInfo[] = [];
  const seen = new Set<number>([pid]);
  let current = byPid.get(byPid.get(pid)?.ppid ?? 0);
  while (current && !seen.has(current.pid)) {
    chain.push(current);
    seen.add(current.pid);
    current = byPid.get(current.ppid);
  }
  return chain;
}

function walkDown(rootPids: readonly number[], children: Map<number, ProcessInfo[]>): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const seen = new Set<number>(rootPids);
  const stack = [...rootPids];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      if (seen.has(child.pid)) continue; // a pid can only appear once, but never loop on bad data
      seen.add(child.pid);
      found.push(child);
      stack.push(child.pid);
    }
  }
  return found;
}

function isLive(p: ProcessInfo | undefined): p is ProcessInfo {
  return p !== undefined && p.state !== 'Z';
}

/**
 * Everything one run of a service has started: the root, the members of its process group and
 * every descendant ever seen, each remembered by pid AND start time so that a recycled pid is
 * never mistaken for a member. Call `track` on every scan while the service runs.
 */
export class DescendantTracker {
  /** pid → start time of every member seen and not yet known to be gone. */
  private readonly known = new Map<number, string>();
  private rootStartTime: string | null;

  /**
   * @param rootPid the process the service spawned
   * @param pgid its process group; the spawned process leads its own group, so it defaults to rootPid
   * @param rootStartTime the root's start time if known; otherwise learnt on the first `track`
   */
  constructor(
    readonly rootPid: number,
    readonly pgid: number = rootPid,
    rootStartTime: string | null = null,
  ) {
    this.rootStartTime = rootStartTime;
    if (rootStartTime !== null) this.known.set(rootPid, rootStartTime);
  }

  /** Adds what `table` shows of the tree; returns how many members are new. */
  track(table: readonly ProcessInfo[]): number {
    const byPid = new Map(table.map((p) => [p.pid, p]));
    // Forget the dead: a (pid, start time) pair never comes back, and pruning keeps the map small.
    for (const [pid, startTime] of this.known) {
      const p = byPid.get(pid);
      if (!isLive(p) || p.startTime !== startTime) this.known.delete(pid);
    }
    let added = 0;
    const remember = (p: ProcessInfo | undefined): void => {
      if (!isLive(p) || this.known.get(p.pid) === p.startTime) return;
      this.known.set(p.pid, p.startTime);
      added++;
    };
    const root = byPid.get(this.rootPid);
    if (this.rootStartTime === null && isLive(root)) {
      this.rootStartTime = root.startTime;
      remember(root);
    }
    const seeds = [...this.known.keys()];
    if (this.ownsGroup(table)) {
      for (const p of table) {
        if (p.pgid !== this.pgid || !isLive(p)) continue;
        remember(p);
        seeds.push(p.pid);
      }
    }
    for (const p of walkDown(seeds, childrenByParent(table))) remember(p);
    return added;
  }

  /**
   * Takes in processes found by other means (on Linux: the run's mark in their environment), so a
   * child that was reparented before any scan saw it is still ended with the run.
   */
  adopt(processes: readonly ProcessInfo[]): number {
    let added = 0;
    for (const p of processes) {
      if (!isLive(p) || this.known.get(p.pid) === p.startTime) continue;
      this.known.set(p.pid, p.startTime);
      added++;
    }
    return added;
  }

  /** Known members that `table` shows still alive: same pid and same start time, zombies excluded. */
  alive(table: readonly ProcessInfo[]): ProcessInfo[] {
    return table.filter((p) => isLive(p) && this.known.get(p.pid) === p.startTime);
  }

  /** Every member remembered so far (not checked against a table), e.g. to record in state.json. */
  members(): ProcessIdentity[] {
    return [...this.known].map(([pid, startTime]) => ({ pid, startTime }));
  }

  /**
   * Whether the group numbered `pgid` (default: the run's) is still the one the service made. A group id
   * is the pid of its creator and that pid cannot be reused while the group exists, so the group
   * is ours while the root lives or while some member we already know is in it. Once all of them
   * are gone, a new group with the same number may belong to anybody.
   */
  ownsGroup(table: readonly ProcessInfo[], pgid: number = this.pgid): boolean {
    if (pgid <= 1) return false;
    return table.some(
      (p) => isLive(p) && this.known.get(p.pid) === p.startTime && (p.pid === pgid || p.pgid === pgid),
    );
  }
}
