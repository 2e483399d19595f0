// Strays (SPEC §3–§4, issue #7): processes of the same user that Hypha did not start and that
// match a service's `match` regex or hold its `port`. Scanned at start, every 30 s, and afresh
// before answering a person.
import type { Disposable } from './types.js';
import type { Supervisor } from './supervisor.js';

export class StrayWatch implements Disposable {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly periodMs: number,
  ) {}

  start(): void {
    // Filled in by the strays work (issue #7).
    void this.supervisor;
    void this.periodMs;
  }

  /** One scan of the process table for every service; updates each service's `strays`. */
  async scanNow(): Promise<void> {
    // Filled in by the strays work (issue #7).
  }

  /** Scans afresh, ends the strays of `id` with their trees; returns their pids. */
  async stopStrays(id: string): Promise<number[]> {
    void id;
    return [];
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
