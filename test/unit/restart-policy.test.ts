import { describe, expect, it } from 'vitest';
import { backoffDelay, decide, newHistory } from '../../main/core/service/restart-policy.js';
import type { RestartConfig } from '../../main/contract/config.js';

const cfg = (over: Partial<RestartConfig> = {}): RestartConfig => ({
  policy: 'on-failure',
  delayMs: 1000,
  maxDelayMs: 60_000,
  minUptimeMs: 5000,
  maxRestarts: 3,
  windowMs: 300_000,
  ...over,
});
const crash = { code: 1, signal: null, uptimeMs: 10, requested: false };

describe('restart policy', () => {
  it('doubles the delay per consecutive failed run, capped at max_delay', () => {
    const c = cfg({ maxRestarts: 100, maxDelayMs: 5000 });
    const h = newHistory();
    const delays = Array.from({ length: 5 }, (_, i) => decide(c, h, crash, i));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('a run that lasted min_uptime resets the doubling', () => {
    const c = cfg({ maxRestarts: 100 });
    const h = newHistory();
    decide(c, h, crash, 0);
    decide(c, h, crash, 1);
    const after = decide(c, h, { ...crash, uptimeMs: 5000 }, 2);
    expect(after).toEqual({ action: 'restart', delayMs: 1000 });
  });

  it('allows max_restarts restarts inside the window, then fails; old ones age out', () => {
    const c = cfg({ windowMs: 1000 });
    const h = newHistory();
    expect(decide(c, h, crash, 0).action).toBe('restart');
    expect(decide(c, h, crash, 10).action).toBe('restart');
    expect(decide(c, h, crash, 20).action).toBe('restart');
    const fourth = decide(c, h, crash, 30);
    expect(fourth).toEqual({ action: 'fail', reason: 'gave up after 3 restarts in 1s (max_restarts 3)' });
    // Past the window the count starts over.
    expect(decide(c, newHistoryFrom(h), crash, 1100).action).toBe('restart');
  });

  it('follows the policy: never, on-failure (not on exit 0), always; never after a requested stop', () => {
    expect(decide(cfg({ policy: 'never' }), newHistory(), crash, 0).action).toBe('stop');
    expect(decide(cfg(), newHistory(), { ...crash, code: 0 }, 0).action).toBe('stop');
    expect(decide(cfg(), newHistory(), { ...crash, code: null, signal: 'SIGKILL' }, 0).action).toBe('restart');
    expect(decide(cfg({ policy: 'always' }), newHistory(), { ...crash, code: 0 }, 0).action).toBe('restart');
    expect(decide(cfg({ policy: 'always' }), newHistory(), { ...crash, requested: true }, 0).action).toBe('stop');
  });

  it('delay 0 stays 0', () => {
    expect(backoffDelay(cfg({ delayMs: 0 }), 7)).toBe(0);
  });
});

function newHistoryFrom(h: ReturnType<typeof newHistory>): ReturnType<typeof newHistory> {
  return { consecutive: h.consecutive, restartTimes: [...h.restartTimes] };
}
