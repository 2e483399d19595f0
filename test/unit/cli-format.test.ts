// The CLI's human output: durations, sizes, and the status table (colour only on a TTY, never
// colour alone, one word per cell so scripts can cut columns).
import { describe, expect, it } from 'vitest';
import { formatBytes, formatNextRun, formatUptime, paint, statusTable, table, wantColor } from '../../main/cli/format.js';
import type { ServiceStatus } from '../../main/contract/status.js';

function st(over: Partial<ServiceStatus>): ServiceStatus {
  return {
    id: 'web', name: 'web', type: 'daemon', status: 'offline', state: 'stopped', health: 'none', statusCode: null, pid: null, port: null,
    autostart: true, restarts: 0, uptimeMs: null, lastExit: null, lastError: null, cpu: null, memoryBytes: null, dependsOn: [], nextRunAt: null, containment: 'tree',
    strays: [], ...over,
  };
}

describe('formatUptime', () => {
  it.each([
    [null, '-'],
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [86_399_000, '23h59m'],
    [90_000_000, '1d01h'],
  ])('%s ms → %s', (ms, text) => expect(formatUptime(ms)).toBe(text));
});

describe('formatBytes', () => {
  it.each([
    [null, '-'],
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1K'],
    [5 * 1024 * 1024, '5.0M'],
    [3 * 1024 ** 3, '3.00G'],
  ])('%s → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('statusTable', () => {
  const services = [
    st({ id: 'web', status: 'online', state: 'running', health: 'healthy', statusCode: 200, pid: 4321, port: 8765, uptimeMs: 65_000, cpu: 1.25, memoryBytes: 50 * 1024 * 1024 }),
    st({ id: 'db', status: 'failed', state: 'failed', lastError: 'port 5432 held by pid 99 (postgres)' }),
    st({ id: 'job', type: 'oneshot', status: 'completed', state: 'completed', strays: [{ pid: 7, command: 'x', startedAt: null, ancestry: [] }] }),
  ];

  it('lines up one row per service under a header, without colour off a TTY', () => {
    const text = statusTable(services, false);
    expect(text).not.toMatch(/\x1b/);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]?.split(/\s+/)).toEqual(['ID', 'STATUS', 'HEALTH', 'PID', 'PORT', 'UPTIME', 'RESTARTS', 'CPU', 'MEM', 'NEXT', 'RUN', 'LAST', 'ERROR']);
    expect(lines[1]?.split(/\s+/)).toEqual(['web', 'online', 'healthy(200)', '4321', '8765', '1m05s', '0', '1.3%', '50.0M', '-']);
    expect(lines[2]?.split(/\s+/).slice(0, 10)).toEqual(['db', 'failed', '-', '-', '-', '-', '0', '-', '-', '-']);
    expect(lines[2]).toMatch(/ port 5432 held by pid 99 \(postgres\)$/);
    // No dangling separator when there is no error to follow it.
    expect(lines[3]).toMatch(/ 1 stray$/);
    // Columns line up: STATUS starts at the same place on every line.
    const col = (l: string): number => l.indexOf(l.split(/\s+/)[1] as string, (l.split(/\s+/)[0] as string).length);
    expect(new Set(lines.map(col)).size).toBe(1);
  });

  it('has a NEXT RUN column for scheduled oneshots, one word per cell', () => {
    const now = new Date(2026, 10, 30, 9, 0, 0);
    const next = new Date(2026, 10, 30, 9, 15, 0).toISOString();
    const text = statusTable([st({ id: 'backup', type: 'oneshot', nextRunAt: next, lastError: 'exit code 1' }), ...services], false, now);
    expect(text.split('\n')[1]?.split(/\s+/).slice(9)).toEqual(['09:15:00', 'exit', 'code', '1']);
    expect(formatNextRun(new Date(2026, 11, 1, 3, 4, 5).toISOString(), now)).toBe('2026-12-01T03:04');
    expect(formatNextRun(null, now)).toBe('-');
  });

  it('stays plain with NO_COLOR, --no-color or TERM=dumb, colours a TTY otherwise', () => {
    const tty = { isTTY: true };
    expect(wantColor(tty, {}, false)).toBe(true);
    expect(wantColor(tty, { NO_COLOR: '1' }, false)).toBe(false);
    expect(wantColor(tty, {}, true)).toBe(false);
    expect(wantColor(tty, { TERM: 'dumb' }, false)).toBe(false);
    expect(wantColor({ isTTY: false }, {}, false)).toBe(false);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: '1' }, false)).toBe(true);
  });

  it('colours the status on a TTY, and the word is still there', () => {
    const text = statusTable(services, true);
    expect(text).toContain('\x1b[32monline\x1b[0m');
    expect(text).toContain('\x1b[31mfailed\x1b[0m');
    // Widths ignore the escape codes.
    const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toBe(statusTable(services, false));
  });

  it('says so when there is nothing to show', () => {
    expect(statusTable([], false)).toBe('no services configured');
  });
});

describe('table and paint', () => {
  it('pads every column but the last and trims line ends', () => {
    expect(table([['a', 'bb', 'c'], ['ccc', 'd', '']])).toBe('a    bb  c\nccc  d');
  });

  it('paints only on a TTY', () => {
    expect(paint('x', 31, false)).toBe('x');
    expect(paint('x', 31, true)).toBe('\x1b[31mx\x1b[0m');
  });
});
