import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration } from '../../main/core/config/duration.js';

describe('parseDuration', () => {
  it.each<[unknown, number]>([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [' 2s ', 2000],
    ['0s', 0],
    [30, 30_000],
    [0.25, 250],
    ['30', 30_000],
    [0, 0],
  ])('%j is %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each<unknown>(['10 parsecs', '', 's', '1d', '-1s', '1 h', '1.s', 'ms', -1, Infinity, NaN, null, undefined, true, [], {}, '1e3s'])(
    '%j is not a duration',
    (input) => {
      expect(parseDuration(input)).toBeNull();
    },
  );

  it('parses long values without capping them (the schema refuses those past timers)', () => {
    expect(parseDuration('1000h')).toBe(3_600_000_000);
    expect(parseDuration('1000h')).toBeGreaterThan(MAX_DURATION_MS);
  });
});
