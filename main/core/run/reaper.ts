// Ends what a crashed run left behind. A run in a cgroup goes with one write to cgroup.kill, and
// its cgroup is removed once empty (no process table is read for it). Otherwise the group goes at once (one syscall, no scan); what
// left the group (setsid, reparented) is found by one shared scan per batch, so a crash loop costs
// one process-table read every few tens of milliseconds instead of two per crash.
import { readProcessTable } from '../process/proctable.js';
import { sendSignal } from '../process/kill.js';
import { marksOf } from './marks.js';
import { isPopulated, killCgroup, removeCgroup } from '../process/cgroup.js';
import type { Run } from './run.js';
import type { Disposable } from '../../contract/status.js';

/** A run is looked at again this many times while something of it still lives. */
const MAX_ROUNDS = 40;

export class RunReaper implements Disposable {
  private pending = new Map<Run, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly batchMs = 30) {}

  add(run: Run): void {
    if (run.cgroup) killCgroup(run.cgroup);
    if (process.platform !== 'win32') sendSignal(-run.pgid, 'SIGKILL');
    this.pending.set(run, 0);
    this.arm();
  }

  get size(): number {
    return this.pending.size;
  }

  private arm(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.batchMs);
  }

  /**
   * One look at every pending run. A run in a cgroup is its cgroup (as for a stop, stop.ts):
   * cgroup.kill while it is populated, removed once empty, no process table needed. The others
   * share one scan: adopt marked processes, SIGKILL every live member. (A crash loop of a cgroup
   * service read the whole table every 30 ms for nothing: ~15 % of the daemon's time in it.)
   */
  flush(): void {
    if (this.pending.size === 0) return;
    const trees: [Run, number][] = [];
    for (const [run, rounds] of [...this.pending]) {
      if (!run.cgroup) {
        trees.push([run, rounds]);
        continue;
      }
      const populated = isPopulated(run.cgroup);
      if (populated) killCgroup(run.cgroup);
      else removeCgroup(run.cgroup);
      if (!populated || rounds >= MAX_ROUNDS) this.pending.delete(run);
      else this.pending.set(run, rounds + 1);
    }
    if (trees.length > 0) this.flushTrees(trees);
    this.arm();
  }

  private flushTrees(trees: [Run, number][]): void {
    const table = readProcessTable();
    let since = Infinity;
    for (const [run] of trees) since = Math.min(since, run.startedAt);
    const marks = marksOf(table, since);
    for (const [run, rounds] of trees) {
      run.tracker.adopt(marks.get(run.mark) ?? []);
      run.tracker.track(table);
      const live = run.tracker.alive(table).filter((p) => p.pid !== process.pid);
      for (const p of live) sendSignal(p.pid, 'SIGKILL');
      if (live.length === 0 || rounds >= MAX_ROUNDS) this.pending.delete(run);
      else this.pending.set(run, rounds + 1);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Whatever is still pending is ended now, synchronously.
    for (let i = 0; i < 3 && this.pending.size > 0; i++) this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
