// CPU and memory per service from ONE timer and ONE process-table scan per tick, however many
// services there are. CPU is counted per process (pid + start time), so a child that exits
// between two ticks neither takes its past usage with it nor makes the total go negative.
import type { Disposable } from '../types.js';
import { CPU_TICKS_PER_SECOND, readProcessTableAsync, type ProcessInfo } from './proctable.js';
import { childrenByParent } from './tree.js';

export interface ResourceUsage {
  /** Percent of one core since the previous tick (can exceed 100 on several cores). */
  cpu: number;
  /** Resident memory of the whole tree. */
  memoryBytes: number;
}

type RootsProvider = () => Map<string, number[]>;
type TableListener = (table: readonly ProcessInfo[]) => void;

export class ResourceSampler implements Disposable {
  private timer: NodeJS.Timeout | null = null;
  private roots: RootsProvider = () => new Map();
  private readonly listeners = new Set<TableListener>();
  private usage = new Map<string, ResourceUsage>();
  /** `pid:startTime` → cpuTicks at the previous tick, for the processes of every service. */
  private lastTicks = new Map<string, number>();
  private lastAt: number | null = null;
  private lastWallMs = 0;
  private sampling: Promise<void> | null = null;
  private disposed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly readTable: () => Promise<ProcessInfo[]> = readProcessTableAsync,
  ) {}

  /** Where to look each tick: service id → root pids of its live run (more pids, e.g. tracked members, are fine). */
  setRoots(provider: RootsProvider): void {
    this.roots = provider;
  }

  /**
   * Hands each tick's table to `listener` before measuring, so other per-tick work (growing the
   * descendant trackers, say) shares the one scan instead of making its own.
   */
  onTable(listener: TableListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** The last measurement, or null if the service had no live process at the last tick. */
  get(id: string): ResourceUsage | null {
    return this.usage.get(id) ?? null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref(); // measuring must never keep the process alive
  }

  /** One tick now; overlapping calls share the tick in flight. */
  sample(): Promise<void> {
    this.sampling ??= this.measure().finally(() => (this.sampling = null));
    return this.sampling;
  }

  private async measure(): Promise<void> {
    let table: ProcessInfo[];
    try {
      table = await this.readTable();
    } catch {
      return; // a failed scan (ps missing, say) leaves the last numbers; the next tick tries again
    }
    if (this.disposed) return;
    for (const listener of this.listeners) listener(table);

    const now = performance.now();
    const wallNow = Date.now();
    const elapsedSec = this.lastAt === null ? 0 : (now - this.lastAt) / 1000;
    const byPid = new Map(table.map((p) => [p.pid, p]));
    const children = childrenByParent(table);
    const usage = new Map<string, ResourceUsage>();
    const ticksNow = new Map<string, number>();

    for (const [id, rootPids] of this.roots()) {
      const tree = collectTree(rootPids, byPid, children);
      if (tree.length === 0) continue;
      let deltaTicks = 0;
      let memoryBytes = 0;
      for (const p of tree) {
        const key = `${p.pid}:${p.startTime}`;
        const before = this.lastTicks.get(key);
        // Unseen before: all its CPU time fell in this interval if it started within it.
        const startedSinceLastTick = this.lastAt !== null && p.startedAtMs >= this.lastWallMs - 1000;
        deltaTicks += before !== undefined ? Math.max(0, p.cpuTicks - before) : startedSinceLastTick ? p.cpuTicks : 0;
        memoryBytes += p.rssBytes;
        ticksNow.set(key, p.cpuTicks);
      }
      const cpu = elapsedSec > 0 ? (deltaTicks / CPU_TICKS_PER_SECOND / elapsedSec) * 100 : 0;
      usage.set(id, { cpu: Math.round(cpu * 10) / 10, memoryBytes });
    }
    this.usage = usage;
    this.lastTicks = ticksNow;
    this.lastAt = now;
    this.lastWallMs = wallNow;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.usage.clear();
    this.lastTicks.clear();
  }
}

/** The roots that are alive plus all their descendants, each once; zombies hold no memory. */
function collectTree(
  rootPids: readonly number[],
  byPid: Map<number, ProcessInfo>,
  children: Map<number, ProcessInfo[]>,
): ProcessInfo[] {
  const tree: ProcessInfo[] = [];
  const seen = new Set<number>();
  const stack = [...rootPids];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const p = byPid.get(pid);
    if (!p || p.state === 'Z') continue;
    tree.push(p);
    for (const child of children.get(pid) ?? []) stack.push(child.pid);
  }
  return tree;
}
