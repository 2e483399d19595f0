// One timer for every probe of every service. Each entry says after each run how long to wait for
// the next (a service probes every start_interval until its first success, then every interval);
// first runs are spread by a random offset so that 500 services with 1 s intervals do not fire
// together, and an entry is never run again while its previous probe is still out. Time comes
// from an injected clock, so the service tests drive probes in virtual time.
import type { Disposable } from '../../contract/status.js';
import { realClock, type Clock, type TimerHandle } from '../service/clock.js';

interface Entry {
  next: () => number;
  due: number;
  running: boolean;
  run: () => Promise<void>;
}

/** Wake-ups closer than this are merged, so the timer fires at most ~50 times a second. */
const COALESCE_MS = 20;

export interface SchedulerOptions {
  clock?: Clock;
  /** 0..1; the first run of an entry is delayed by up to half its spacing (at most 500 ms) times this. */
  random?: () => number;
  /** Merge wake-ups closer than this (ms). */
  coalesceMs?: number;
}

export class ProbeScheduler {
  private readonly entries = new Set<Entry>();
  private timer: TimerHandle | null = null;
  private wakeAt = Infinity;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly coalesceMs: number;

  constructor(opts: SchedulerOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.coalesceMs = opts.coalesceMs ?? COALESCE_MS;
  }

  /**
   * Runs `run` first after `firstDelayMs` (+ jitter), then every `interval` ms (a function is asked
   * again after each run: the spacing may change, as start_interval does).
   */
  add(interval: number | (() => number), firstDelayMs: number, run: () => Promise<void>): Disposable {
    const next = typeof interval === 'number' ? () => interval : interval;
    const jitter = this.random() * Math.min(next(), 1000) * 0.5;
    const entry: Entry = { next, due: this.clock.now() + firstDelayMs + jitter, running: false, run };
    this.entries.add(entry);
    this.arm();
    return {
      dispose: () => {
        this.entries.delete(entry);
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  private arm(): void {
    let next = Infinity;
    for (const e of this.entries) if (!e.running && e.due < next) next = e.due;
    if (next === Infinity) return;
    const now = this.clock.now();
    const at = Math.max(next, now + 1);
    if (this.timer && at >= this.wakeAt - 1) return;
    this.clock.clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = this.clock.setTimeout(() => this.tick(), at - now, { unref: true });
  }

  private tick(): void {
    this.timer = null;
    this.wakeAt = Infinity;
    const now = this.clock.now();
    for (const e of this.entries) {
      if (e.running || e.due > now + this.coalesceMs) continue;
      e.running = true;
      e.run()
        .catch(() => undefined)
        .finally(() => {
          e.running = false;
          e.due = Math.max(e.due + e.next(), this.clock.now() + 1);
          // A timer due before this entry's next turn already covers it: no O(n) re-scan.
          if (this.entries.has(e) && (!this.timer || e.due < this.wakeAt - 1)) this.arm();
        });
    }
    this.arm();
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.entries.clear();
  }
}
