// A oneshot's `schedule`: an interval (a duration) or a 5-field cron expression (croner syntax,
// which also accepts @hourly, @daily and friends).
import { Cron } from 'croner';
import { describeValue } from './describe-value.js';
import { MAX_DURATION_MS, parseDuration } from './duration.js';

export type Schedule = { kind: 'interval'; everyMs: number } | { kind: 'cron'; expression: string };

export type ScheduleCheck = { ok: true; schedule: Schedule } | { ok: false; error: string };

export function parseSchedule(v: string | number): ScheduleCheck {
  const everyMs = parseDuration(v);
  if (everyMs !== null) {
    if (everyMs <= 0) return { ok: false, error: 'the interval must be more than 0' };
    if (everyMs > MAX_DURATION_MS) return { ok: false, error: 'the interval is too long (at most 24 days; use cron for longer)' };
    return { ok: true, schedule: { kind: 'interval', everyMs } };
  }
  const expression = String(v).trim();
  const fields = expression.split(/\s+/);
  if (!expression.startsWith('@') && fields.length !== 5) {
    return { ok: false, error: `invalid schedule ${describeValue(expression)} (use an interval like 1h, or a 5-field cron expression like "*/15 * * * *")` };
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^CronPattern:\s*/, '') : String(e);
    return { ok: false, error: `invalid cron expression ${describeValue(expression)}: ${why}` };
  }
  const next = cron.nextRun();
  cron.stop();
  if (next === null) return { ok: false, error: `cron expression ${describeValue(expression)} never runs` };
  return { ok: true, schedule: { kind: 'cron', expression } };
}
