// The one periodic scan of the process table for all services: it grows each live run's record of
// descendants (a child that calls setsid can only be found while its parent still links it) and
// measures CPU and memory per service: from the run's cgroup where it has one (cpu.stat,
// memory.current where the controller is enabled, else its members' RSS), otherwise by summing
// the tree. One timer, one scan, however many services.
import { CPU_TICKS_PER_SECOND, readProcessTable, type ProcessInfo } from './proctable.js';
import { cgroupCpuUsec, cgroupMemoryBytes, cgroupPids } from './cgroup.js';
import type { Run } from '../run/run.js';
import type { Disposable } from '../../contract/status.js';

interface Sample {
  at: number;
  ticks: number;
  cpu: number;
  memoryBytes: number;
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

  /** One pass; public so tests and stop paths can force a fresh look. */
  scan(table: ProcessInfo[] = readProcessTable()): void {
    const runs = this.runs();
    if (runs.size === 0) {
      this.samples.clear();
      this.mainPids.clear();
      return;
    }
    const byPid = new Map(table.map((p) => [p.pid, p]));
    const now = Date.now();
    let grew = false;
    const moved: string[] = [];
    for (const [id, run] of runs) {
      if (run.tracker.track(table) > 0) grew = true;
      if (this.mainPids.get(id) !== run.pid) {
        if (this.mainPids.has(id)) moved.push(id); // the status shows the new main pid
        this.mainPids.set(id, run.pid);
        grew = true; // state.json must name it
      }
      let ticks = 0;
      let rss = 0;
      const usec = run.cgroup ? cgroupCpuUsec(run.cgroup) : null;
      const members = run.cgroup && usec !== null ? cgroupPids(run.cgroup).map((pid) => byPid.get(pid)) : run.tracker.alive(table);
      for (const m of members) {
        const p = m && byPid.get(m.pid);
        if (!p) continue;
        ticks += p.cpuTicks;
        rss += p.rssBytes;
      }
      if (run.cgroup && usec !== null) {
        // The cgroup counts the CPU of members that have already exited too.
        ticks = (usec / 1e6) * CPU_TICKS_PER_SECOND;
        rss = cgroupMemoryBytes(run.cgroup) ?? rss;
      }
      const prev = this.samples.get(id);
      const cpu = prev && now > prev.at && ticks >= prev.ticks ? ((ticks - prev.ticks) / CPU_TICKS_PER_SECOND / ((now - prev.at) / 1000)) * 100 : 0;
      this.samples.set(id, { at: now, ticks, cpu, memoryBytes: rss });
      if (!prev || Math.abs(prev.cpu - cpu) >= 0.5 || Math.abs(prev.memoryBytes - rss) > prev.memoryBytes * 0.01) moved.push(id);
    }
    for (const id of [...this.samples.keys()]) if (!runs.has(id)) this.samples.delete(id);
    for (const id of [...this.mainPids.keys()]) if (!runs.has(id)) this.mainPids.delete(id);
    if (grew) this.onTracked();
    if (moved.length > 0) this.onSampled(moved);
    this.onScanned([...runs.keys()]);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.samples.clear();
  }
}
