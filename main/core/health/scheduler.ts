// One timer for every probe of every service. Each entry has its own interval; first runs are
// spread by a random offset so that 500 services with 1 s intervals do not fire together, and
// an entry is never run again while its previous probe is still out.
import type { Disposable } from '../../contract/status.js';

interface Entry {
  intervalMs: number;
  due: number;
  running: boolean;
  run: () => Promise<void>;
}

/** Wake-ups closer than this are merged, so the timer fires at most ~50 times a second. */
const COALESCE_MS = 20;

export class ProbeScheduler {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;

  /** Runs `run` every `intervalMs`, first after `firstDelayMs` (+ jitter). */
  add(intervalMs: number, firstDelayMs: number, run: () => Promise<void>): Disposable {
    const jitter = Math.random() * Math.min(intervalMs, 1000) * 0.5;
    const entry: Entry = { intervalMs, due: Date.now() + firstDelayMs + jitter, running: false, run };
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
    const at = Math.max(next, Date.now() + 1);
    if (this.timer && at >= this.wakeAt - 1) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    this.wakeAt = Infinity;
    const now = Date.now();
    for (const e of this.entries) {
      if (e.running || e.due > now + COALESCE_MS) continue;
      e.running = true;
      e.run()
        .catch(() => undefined)
        .finally(() => {
          e.running = false;
          e.due = Math.max(e.due + e.intervalMs, Date.now() + 1);
          // A timer due before this entry's next turn already covers it: no O(n) re-scan.
          if (this.entries.has(e) && (!this.timer || e.due < this.wakeAt - 1)) this.arm();
        });
    }
    this.arm();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.entries.clear();
  }
}
