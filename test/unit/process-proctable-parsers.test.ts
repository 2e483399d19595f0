// The macOS and Windows table readers cannot run here; their parsers can.
import { describe, expect, it } from 'vitest';
import { parseCpuTime, parsePsOutput } from '../../main/core/process/proctable-darwin.js';
import { parseTasklistCsv } from '../../main/core/process/proctable-win32.js';

describe('parsePsOutput (macOS ps -axo pid=,ppid=,pgid=,uid=,stat=,lstart=,rss=,time=,command=)', () => {
  it('reads each column, keeps the command whole and lstart as the identity token', () => {
    const out = [
      '    1     0     1     0 Ss   Mon Jan  1 09:00:00 2024  12000   1:02.50 /sbin/launchd',
      '  812     1   812   501 S    Tue Feb 13 10:11:12 2024  45320   0:00.07 node /Users/me/my app/server.mjs --port 8765',
      '  900   812   812   501 Z    Tue Feb 13 10:11:13 2024      0   0:00.00 (node)',
      'garbage line',
    ].join('\n');
    const table = parsePsOutput(out);
    expect(table).toHaveLength(3);
    expect(table[1]).toEqual({
      pid: 812,
      ppid: 1,
      pgid: 812,
      sid: 0,
      uid: 501,
      state: 'S',
      startTime: 'Tue Feb 13 10:11:12 2024',
      startedAtMs: new Date(2024, 1, 13, 10, 11, 12).getTime(),
      rssBytes: 45320 * 1024,
      cpuTicks: 7,
      command: 'node /Users/me/my app/server.mjs --port 8765',
    });
    expect(table[0]?.startTime).toBe('Mon Jan 1 09:00:00 2024');
    expect(table[2]?.state).toBe('Z');
  });

  it('reads cpu time with days, hours and fractions', () => {
    expect(parseCpuTime('0:00.07')).toBe(7);
    expect(parseCpuTime('1:02.50')).toBe(6250);
    expect(parseCpuTime('2:00:00.00')).toBe(720000);
    expect(parseCpuTime('1-00:00:01')).toBe(8640100);
  });
});

describe('parseTasklistCsv (Windows)', () => {
  it('reads name, pid and memory', () => {
    const out = '"System Idle Process","0","Services","0","8 K"\r\n"node.exe","4321","Console","1","45,320 K"\r\n';
    const table = parseTasklistCsv(out);
    expect(table.map((p) => [p.pid, p.command, p.rssBytes])).toEqual([
      [0, 'System Idle Process', 8 * 1024],
      [4321, 'node.exe', 45320 * 1024],
    ]);
  });
});
