import { describe, expect, it } from 'vitest';
import { ScheduleTimer, nextRunAfter, parseSchedule } from '../../main/core/jobs/schedule.js';
import { ProbeScheduler } from '../../main/core/health/scheduler.js';
import { VirtualClock } from './service-harness.js';

describe('schedules', () => {
  it('computes the next cron time (5 fields) and the next interval time', () => {
    const cron = parseSchedule('*/15 * * * *');
    expect(cron?.kind).toBe('cron');
    const from = new Date(2026, 10, 23, 10, 7, 30);
    expect(nextRunAfter(cron!, from)?.getTime()).toBe(new Date(2026, 10, 23, 10, 15, 0).getTime());
    const daily = parseSchedule('30 2 * * *');
    expect(nextRunAfter(daily!, from)?.getTime()).toBe(new Date(2026, 10, 24, 2, 30, 0).getTime());
    const every = parseSchedule('1h');
    expect(every).toEqual({ kind: 'interval', everyMs: 3_600_000 });
    expect(nextRunAfter(every!, from)?.getTime()).toBe(from.getTime() + 3_600_000);
    expect(parseSchedule('every tuesday')).toBeNull();
  });

  it('an interval fires at each multiple of its spacing from the start, never drifting', async () => {
    const clock = new VirtualClock();
    clock.t = 1_000;
    const at: number[] = [];
    const timer = new ScheduleTimer(parseSchedule('10m')!, () => at.push(clock.now()), clock);
    expect(timer.nextRunAt?.getTime()).toBe(601_000);
    await clock.advance(3 * 600_000);
    expect(at).toEqual([601_000, 1_201_000, 1_801_000]);
    timer.dispose();
    await clock.advance(600_000);
    expect(at).toHaveLength(3);
    expect(timer.nextRunAt).toBeNull();
  });

  it('a cron schedule fires on its minutes; a wait past setTimeout’s limit is taken in steps', async () => {
    const clock = new VirtualClock();
    clock.t = new Date(2026, 10, 23, 10, 7, 30).getTime();
    const at: number[] = [];
    const quarter = new ScheduleTimer(parseSchedule('*/15 * * * *')!, () => at.push(clock.now()), clock);
    await clock.advanceTo(new Date(2026, 10, 23, 11, 0, 0).getTime());
    expect(at).toEqual([15, 30, 45, 60].map((m) => new Date(2026, 10, 23, 10, m, 0).getTime()));
    quarter.dispose();
    // Once a year: ~315 days away, more than the 24.8 days one timer can wait.
    const yearly: number[] = [];
    const once = new ScheduleTimer(parseSchedule('0 0 1 10 *')!, () => yearly.push(clock.now()), clock);
    await clock.advanceTo(new Date(2027, 9, 1, 0, 0, 0).getTime() - 1);
    expect(yearly).toEqual([]);
    await clock.advance(1);
    expect(yearly).toEqual([new Date(2027, 9, 1, 0, 0, 0).getTime()]);
    once.dispose();
  });
});

describe('probe scheduler (virtual time)', () => {
  it('runs many entries from one timer and never overlaps one entry with itself', async () => {
    const clock = new VirtualClock();
    const sched = new ProbeScheduler({ clock, random: () => 0 });
    let overlap = 0;
    const counts = new Array<number>(50).fill(0);
    const busy = new Array<boolean>(50).fill(false);
    for (let i = 0; i < 50; i++) {
      sched.add(30, 0, async () => {
        if (busy[i]) overlap++;
        busy[i] = true;
        await new Promise<void>((r) => clock.setTimeout(r, 45)); // longer than the interval
        counts[i]!++;
        busy[i] = false;
      });
    }
    await clock.until(() => counts.every((c) => c >= 3));
    sched.dispose();
    expect(overlap).toBe(0);
    // Runs start at 1 ms (the timer never fires at "now"), take 45 ms, and the next is due as soon
    // as one ends (its 30 ms turn has passed): starts at 1, 47, 93; the third ends at 138.
    expect(clock.now()).toBe(138);
  });

  it('keeps each entry on its own interval whichever finishes first (one slow, one fast, one alone)', async () => {
    const clock = new VirtualClock();
    const sched = new ProbeScheduler({ clock, random: () => 0, coalesceMs: 0 });
    const fast: number[] = [];
    const slow: number[] = [];
    sched.add(20, 0, async () => void fast.push(clock.now()));
    sched.add(200, 0, async () => {
      await new Promise<void>((r) => clock.setTimeout(r, 150));
      slow.push(clock.now());
    });
    await clock.advanceTo(600);
    sched.dispose();
    // The slow probe starts at 1, 200, 400 (its own 200 ms spacing) and ends 150 ms later; it never
    // holds the fast one back, which keeps its 20 ms spacing from its due times.
    expect(slow).toEqual([151, 350, 550]);
    expect(fast).toEqual([1, ...Array.from({ length: 30 }, (_, i) => 20 * (i + 1))]);
    const alone = new ProbeScheduler({ clock, random: () => 0 });
    const runs: number[] = [];
    alone.add(10, 0, async () => {
      await new Promise<void>((r) => clock.setTimeout(r, 5));
      runs.push(clock.now());
    });
    await clock.until(() => runs.length >= 5);
    alone.dispose();
    // A lone entry re-arms the timer itself: it starts at 601, 610, 620, … and each run ends 5 ms later.
    expect(runs).toEqual([606, 615, 625, 635, 645]);
  });
});
