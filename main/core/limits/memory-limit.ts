// `max_memory` (SPEC §7, PM2's max_memory_restart): a service whose memory (the whole tree's RSS,
// from the one shared sampler) stays above its limit for SAMPLES samples in a row is restarted.
// Pure bookkeeping: it counts per run (a new pid starts from zero) and says when to act; the
// supervisor does the restart through the service's restart policy.
import { formatSize } from '../config/size.js';

/** Samples in a row above the limit before a restart (SPEC §7: 3). */
export const MEMORY_SAMPLES = 3;

interface Count {
  pid: number;
  over: number;
}

export class MemoryLimit {
  private readonly counts = new Map<string, Count>();

  constructor(private readonly samplesNeeded = MEMORY_SAMPLES) {}

  /**
   * One sample of a live run. Returns the reason to restart (`memory 412 MB above
   * max_memory 300 MB for 3 samples`) once it has been over the limit `samplesNeeded` times in a
   * row, else null.
   */
  sample(id: string, pid: number, memoryBytes: number, limitBytes: number | null): string | null {
    if (limitBytes === null) {
      this.counts.delete(id);
      return null;
    }
    let c = this.counts.get(id);
    if (!c || c.pid !== pid) {
      c = { pid, over: 0 };
      this.counts.set(id, c);
    }
    c.over = memoryBytes > limitBytes ? c.over + 1 : 0;
    if (c.over < this.samplesNeeded) return null;
    c.over = 0;
    const n = this.samplesNeeded;
    return `memory ${formatSize(memoryBytes)} above max_memory ${formatSize(limitBytes)} for ${n} sample${n === 1 ? '' : 's'}`;
  }

  /** Forget services that have no live run any more. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of [...this.counts.keys()]) if (!ids.has(id)) this.counts.delete(id);
  }
}
