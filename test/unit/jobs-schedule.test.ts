import { describe, expect, it } from 'vitest';
import { nextRunAfter, parseSchedule } from '../../main/core/jobs/schedule.js';
import { ProbeScheduler } from '../../main/core/health/scheduler.js';
import { waitFor } from '../helpers/index.js';

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
});

describe('probe scheduler', () => {
  it('runs many entries from one timer and never overlaps one entry with itself', async () => {
    const sched = new ProbeScheduler();
    let overlap = 0;
    const counts = new Array<number>(50).fill(0);
    const busy = new Array<boolean>(50).fill(false);
    for (let i = 0; i < 50; i++) {
      sched.add(30, 0, async () => {
        if (busy[i]) overlap++;
        busy[i] = true;
        await new Promise((r) => setTimeout(r, 45)); // longer than the interval
        counts[i]!++;
        busy[i] = false;
      });
    }
    await waitFor(() => counts.every((c) => c >= 3), { timeoutMs: 5000, message: 'every entry to run 3 times' });
    sched.dispose();
    expect(overlap).toBe(0);
  });

  it('keeps each entry on its own interval whichever finishes first (one slow, one fast, one alone)', async () => {
    const sched = new ProbeScheduler();
    const runs = { fast: 0, slow: 0 };
    sched.add(20, 0, async () => void runs.fast++);
    sched.add(200, 0, async () => {
      await new Promise((r) => setTimeout(r, 150));
      runs.slow++;
    });
    await waitFor(() => runs.slow >= 3 && runs.fast >= 15, { timeoutMs: 5000, message: `both keep running: ${JSON.stringify(runs)}` });
    sched.dispose();
    const alone = new ProbeScheduler();
    let n = 0;
    alone.add(10, 0, async () => {
      await new Promise((r) => setTimeout(r, 5));
      n++;
    });
    await waitFor(() => n >= 5, { timeoutMs: 5000, message: 'a lone entry re-arms the timer itself' });
    alone.dispose();
  });
});
