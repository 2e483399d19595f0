// A oneshot's run history (SPEC §7 `GET /api/services/:id/runs`): the last 20 runs, oldest first,
// each with its start, end, exit and why it failed. The service's state machine says when a run
// begins and ends; this keeps the record.
import type { OneshotRun } from '../../contract/status.js';

export const RUN_HISTORY = 20;

export class RunHistory {
  readonly runs: OneshotRun[] = [];

  constructor(private readonly keep = RUN_HISTORY) {}

  began(atMs: number): void {
    this.runs.push({ startedAt: new Date(atMs).toISOString(), endedAt: null, exit: null, error: null });
    if (this.runs.length > this.keep) this.runs.splice(0, this.runs.length - this.keep);
  }

  /** The run in progress ended; `error` is null for a success. */
  ended(atMs: number, exit: { code: number | null; signal: string | null } | null, error: string | null): void {
    const last = this.runs[this.runs.length - 1];
    if (!last || last.endedAt !== null) return;
    last.endedAt = new Date(atMs).toISOString();
    last.exit = exit;
    last.error = error;
  }

  /** When the run in progress started (ISO), or null. */
  get current(): string | null {
    const last = this.runs[this.runs.length - 1];
    return last && last.endedAt === null ? last.startedAt : null;
  }
}
