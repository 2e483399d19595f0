// Oneshot schedules: an interval ("1h") or a 5-field cron expression. Computes the next run and
// holds the one timer for it; the service decides what a due run does (run, or skip if busy).
// Time comes from the service's clock, so schedules run in virtual time in the unit tests.
import { Cron } from 'croner';
import { parseSchedule as checkSchedule } from '../config/schedule.js';
import type { Disposable } from '../../contract/status.js';
import { realClock, type Clock, type TimerHandle } from '../service/clock.js';

// setTimeout's limit; longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export type ScheduleSpec = { kind: 'interval'; everyMs: number } | { kind: 'cron'; cron: Cron };

/** The config loader has already validated the text; null only for a schedule it would reject. */
export function parseSchedule(text: string): ScheduleSpec | null {
  const checked = checkSchedule(text);
  if (!checked.ok) return null;
  const s = checked.schedule;
  if (s.kind === 'interval') return s;
  try {
    return { kind: 'cron', cron: new Cron(s.expression, { paused: true }) };
  } catch {
    return null;
  }
}

export function nextRunAfter(spec: ScheduleSpec, from: Date): Date | null {
  if (spec.kind === 'interval') return new Date(from.getTime() + spec.everyMs);
  return spec.cron.nextRun(from);
}

/** Calls `due` at every scheduled time until disposed; `nextRunAt` says when the next one is. */
export class ScheduleTimer implements Disposable {
  private timer: TimerHandle | null = null;
  private next: Date | null = null;
  private disposed = false;

  constructor(
    private readonly spec: ScheduleSpec,
    private readonly due: () => void,
    private readonly clock: Clock = realClock,
  ) {
    this.arm(new Date(clock.now()));
  }

  get nextRunAt(): Date | null {
    return this.next;
  }

  private arm(from: Date): void {
    if (this.disposed) return;
    this.next = nextRunAfter(this.spec, from);
    this.wait();
  }

  private wait(): void {
    if (!this.next || this.disposed) return;
    const left = this.next.getTime() - this.clock.now();
    this.timer = this.clock.setTimeout(
      () => {
        if (left > MAX_TIMER_MS) return this.wait();
        const at = this.next ?? new Date(this.clock.now());
        this.due();
        // From the planned time, not from now, so intervals do not drift.
        this.arm(new Date(Math.max(at.getTime(), this.clock.now() - 1)));
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  }

  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.next = null;
  }
}
