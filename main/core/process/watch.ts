// The one periodic sampler for all services: it grows each live run's record of descendants (a
// child that calls setsid can only be found while its parent still links it) and measures CPU and
// memory per service: from the run's cgroup where it has one (cpu.stat, memory.current where the
// controller is enabled, else its members' RSS), otherwise by summing the tree. One timer,
// however many services.
//
// It reads only what can have changed (issue 16: walking all of /proc every 2 s for 50 idle
// services cost 1.4 % of a core). A run in a cgroup whose cpu.stat has not moved since the last
// tick did nothing: no fork, no allocation, so its members, CPU (0) and memory are as they were,
// and one small read settles it. A run without a cgroup is looked at through its known processes
// (/proc/PID/stat, and the children file of each): only when one of them used CPU, ended or has
// a child not yet known is the whole process table read, once for all such runs. Every
// FULL_EVERY ticks each run is looked at in full anyway, so nothing can hide for long.
import { readFileSync } from 'node:fs';
import { CPU_TICKS_PER_SECOND, readProcessTable, type ProcessInfo } from './proctable.js';
import { readProcessLinux } from './proctable-linux.js';
import { cgroupCpuUsec, cgroupMemoryBytes, cgroupPids } from './cgroup.js';
import type { Run } from '../run/run.js';
import type { Disposable } from '../../contract/status.js';

/** Every this many ticks a run is read in full whatever its counters say (30 s at the 2 s default). */
export const FULL_EVERY = 15;

interface Sample {
  at: number;
  ticks: number;
  cpu: number;
  memoryBytes: number;
  /** Per known process (tree runs): CPU ticks at the last look, to tell a quiet tree. */
  perPid: Map<number, number> | null;
  /** Ticks since this run was last read in full. */
  sinceFull: number;
}

/** Children pids of the main thread of `pid` (Linux ≥ 3.5 with CONFIG_PROC_CHILDREN), or null when unreadable. */
function childrenOf(pid: number): number[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    return null;
  }
}

export class ProcessWatch implements Disposable {
  private timer: NodeJS.Timeout | null = null;
  private readonly samples = new Map<string, Sample>();
  /** Main pid per service at the last scan: a `pidfile` run hands over to its daemon's pid. */
  private readonly mainPids = new Map<string, number>();
  /** Called when a scan found new descendants (state.json should be rewritten). */
  onTracked: () => void = () => undefined;
  /** Called with the services whose CPU or memory moved enough to be worth a status event. */
  onSampled: (ids: string[]) => void = () => undefined;
  /** Called after every scan with the services it measured (max_memory counts samples). */
  onScanned: (ids: string[]) => void = () => undefined;
  /** How many ticks read the whole process table (for tests and the bench's profile notes). */
  fullTableReads = 0;

  constructor(
    private readonly periodMs: number,
    private readonly runs: () => Map<string, Run>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.scan(), this.periodMs);
    this.timer.unref();
  }

  get(id: string): { cpu: number; memoryBytes: number } | null {
    const s = this.samples.get(id);
    return s ? { cpu: s.cpu, memoryBytes: s.memoryBytes } : null;
  }

  /**
   * One pass; public so tests and stop paths can force a fresh look. `full`: read every run in
   * full (the whole table for runs without a cgroup), as every FULL_EVERY-th tick does.
   */
  scan(full = false): void {
    const runs = this.runs();
    if (runs.size === 0) {
      this.samples.clear();
      this.mainPids.clear();
      return;
    }
    const now = Date.now();
    let grew = false;
    const moved: string[] = [];
    const needTable: [string, Run][] = [];
    const linux = process.platform === 'linux';
    for (const [id, run] of runs) {
      if (this.mainPids.get(id) !== run.pid) {
        if (this.mainPids.has(id)) moved.push(id); // the status shows the new main pid
        this.mainPids.set(id, run.pid);
        grew = true; // state.json must name it
      }
      const prev = this.samples.get(id);
      const fullNow = full || !prev || prev.sinceFull + 1 >= FULL_EVERY;
      const usec = run.cgroup ? cgroupCpuUsec(run.cgroup) : null;
      if (run.cgroup && usec !== null && linux) {
        // The cgroup counts the CPU of members that have already exited too.
        const ticks = (usec / 1e6) * CPU_TICKS_PER_SECOND;
        if (!fullNow && prev && ticks === prev.ticks) {
          this.record(id, prev, { at: now, ticks, cpu: 0, memoryBytes: prev.memoryBytes, perPid: null, sinceFull: prev.sinceFull + 1 }, moved);
          continue;
        }
        const members = cgroupPids(run.cgroup).flatMap((pid) => readProcessLinux(pid) ?? []);
        if (run.tracker.track(members) > 0) grew = true;
        const rss = cgroupMemoryBytes(run.cgroup) ?? members.reduce((sum, p) => sum + p.rssBytes, 0);
        this.record(id, prev, { at: now, ticks, cpu: this.cpuSince(prev, ticks, now), memoryBytes: rss, perPid: null, sinceFull: 0 }, moved);
        continue;
      }
      if (!fullNow && prev?.perPid && linux && this.quietTree(run, prev.perPid)) {
        this.record(id, prev, { ...prev, at: now, cpu: 0, sinceFull: prev.sinceFull + 1 }, moved);
        continue;
      }
      needTable.push([id, run]);
    }
    if (needTable.length > 0) {
      const table = readProcessTable();
      this.fullTableReads++;
      const byPid = new Map(table.map((p) => [p.pid, p]));
      for (const [id, run] of needTable) {
        if (run.tracker.track(table) > 0) grew = true;
        let ticks = 0;
        let rss = 0;
        const perPid = new Map<number, number>();
        const usec = run.cgroup ? cgroupCpuUsec(run.cgroup) : null;
        const members = run.cgroup && usec !== null ? cgroupPids(run.cgroup).map((pid) => byPid.get(pid)) : run.tracker.alive(table);
        for (const m of members) {
          const p = m && byPid.get(m.pid);
          if (!p) continue;
          ticks += p.cpuTicks;
          rss += p.rssBytes;
          perPid.set(p.pid, p.cpuTicks);
        }
        if (run.cgroup && usec !== null) {
          ticks = (usec / 1e6) * CPU_TICKS_PER_SECOND;
          rss = cgroupMemoryBytes(run.cgroup) ?? rss;
        }
        const prev = this.samples.get(id);
        this.record(id, prev, { at: now, ticks, cpu: this.cpuSince(prev, ticks, now), memoryBytes: rss, perPid, sinceFull: 0 }, moved);
      }
    }
    for (const id of [...this.samples.keys()]) if (!runs.has(id)) this.samples.delete(id);
    for (const id of [...this.mainPids.keys()]) if (!runs.has(id)) this.mainPids.delete(id);
    if (grew) this.onTracked();
    if (moved.length > 0) this.onSampled(moved);
    this.onScanned([...runs.keys()]);
  }

  /**
   * A tree run did nothing since the last look: every known process is still there with the same
   * CPU ticks, and none has a child that is not known.
   */
  private quietTree(run: Run, perPid: Map<number, number>): boolean {
    const known = new Map(run.tracker.members().map((m) => [m.pid, m.startTime]));
    if (known.size !== perPid.size) return false;
    for (const [pid, ticks] of perPid) {
      const p = readProcessLinux(pid);
      if (!p || p.state === 'Z' || p.startTime !== known.get(pid) || p.cpuTicks !== ticks) return false;
      const children = childrenOf(pid);
      if (children === null || children.some((c) => !known.has(c))) return false;
    }
    return true;
  }

  private cpuSince(prev: Sample | undefined, ticks: number, now: number): number {
    return prev && now > prev.at && ticks >= prev.ticks ? ((ticks - prev.ticks) / CPU_TICKS_PER_SECOND / ((now - prev.at) / 1000)) * 100 : 0;
  }

  private record(id: string, prev: Sample | undefined, next: Sample, moved: string[]): void {
    this.samples.set(id, next);
    if (!prev || Math.abs(prev.cpu - next.cpu) >= 0.5 || Math.abs(prev.memoryBytes - next.memoryBytes) > prev.memoryBytes * 0.01) moved.push(id);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.samples.clear();
  }
}
