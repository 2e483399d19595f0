// Strays never hit the user (issue 11 item 7): a pager, editor or shell reading a service's file
// matches its `match`, yet is a person at work, not a copy — unless the pattern names that very
// program or the service itself runs it. And the CLI that asks for a stop, with its shell, is
// spared.
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../main/core/process/proctable.js';
import { effectiveProgram, isCopyOfService } from '../../main/core/strays/readers.js';
import { findStrays, hyphaCliTest, type StrayScanInput } from '../../main/core/strays/scan.js';

describe('isCopyOfService', () => {
  const match = /mycobrain\.mjs/;

  it('is true for the program itself, also behind sh -c, nice or env', () => {
    for (const c of ['node /x/mycobrain.mjs', 'sh -c node /x/mycobrain.mjs', 'nice -n 5 node mycobrain.mjs', 'env A=1 node mycobrain.mjs']) {
      expect(isCopyOfService(c, match, 'node'), c).toBe(true);
    }
  });

  it('is false for pagers, editors, text tools and shells reading the file', () => {
    for (const c of [
      'less /x/mycobrain.mjs',
      '/usr/bin/vim mycobrain.mjs',
      'nvim mycobrain.mjs',
      'nano mycobrain.mjs',
      'emacs -nw mycobrain.mjs',
      'view mycobrain.mjs',
      'more mycobrain.mjs',
      'cat mycobrain.mjs',
      'tail -f /x/mycobrain.mjs',
      'head -n 3 mycobrain.mjs',
      'grep -n listen mycobrain.mjs',
      'bash mycobrain.mjs',
      'sh -c less mycobrain.mjs',
      'sudo vim mycobrain.mjs',
      'script -qc less mycobrain.mjs /dev/null',
    ]) {
      expect(isCopyOfService(c, match, 'node'), c).toBe(false);
    }
  });

  it('is true for a reader when the pattern names it, or the service runs that program', () => {
    expect(isCopyOfService('tail -f /var/log/app.log', /^tail -f .*app\.log/, 'node')).toBe(true);
    expect(isCopyOfService('/usr/bin/less notes.txt', /less notes/, null)).toBe(true);
    // A copy of `sh job.sh` is `sh job.sh`.
    expect(isCopyOfService('/bin/sh /x/job.sh --tag a', /job\.sh --tag a$/, 'sh')).toBe(true);
    expect(isCopyOfService('/bin/sh /x/job.sh --tag a', /job\.sh --tag a$/, 'node')).toBe(false);
  });

  it('finds the program through wrappers', () => {
    expect(effectiveProgram('sh -c "less x"').exe).toBe('less');
    expect(effectiveProgram('timeout 5 nice -n 3 /usr/bin/node a.mjs')).toMatchObject({ exe: 'node', args: ['a.mjs'] });
  });
});

const ME = 1000;
const OLD = Date.parse('2024-01-01T00:00:00Z');
function proc(pid: number, ppid: number, command: string): ProcessInfo {
  return { pid, ppid, pgid: pid, sid: 1, uid: ME, state: 'S', startTime: String(pid * 7), startedAtMs: OLD, command, rssBytes: 0, cpuTicks: 0 };
}

function scan(table: ProcessInfo[], over: Partial<StrayScanInput> = {}): number[] {
  const input: StrayScanInput = {
    table,
    targets: [{ id: 'demo', match: /mycobrain\.mjs/, port: null, exe: 'node' }],
    ours: new Set(),
    marks: new Set(),
    listeners: new Map(),
    selfPid: 500,
    uid: ME,
    home: '/h',
    platform: 'linux',
    envOf: () => null,
    unitOf: () => null,
    isHyphaCli: hyphaCliTest('/opt/hypha'),
    now: OLD + 3_600_000,
    ...over,
  };
  return (findStrays(input).get('demo') ?? []).map((s) => s.pid);
}

describe('findStrays and people at work', () => {
  const table = [
    proc(1, 0, '/sbin/init'),
    proc(500, 1, 'node /opt/hypha/bin/hypha daemon'),
    proc(100, 1, 'bash'),
    proc(101, 100, 'less /x/mycobrain.mjs'),
    proc(102, 100, 'vim /x/mycobrain.mjs'),
    proc(103, 100, 'node /x/mycobrain.mjs'),
    // A shell running a script that names the file, and the CLI below it.
    proc(200, 1, 'bash -c node /x/mycobrain.mjs & sleep 1; hypha strays --stop demo'),
    proc(201, 200, 'node /opt/hypha/bin/hypha strays --stop demo'),
  ];

  it('lists the real copy, not the pager or the editor', () => {
    expect(scan(table)).toEqual([103, 200]);
  });

  it('spares the process that asks and all its ancestors', () => {
    expect(scan(table, { spare: [201] })).toEqual([103]);
    // Sparing only narrows: a pid that is no stray's ancestor changes nothing, init changes nothing.
    expect(scan(table, { spare: [1, 999_999] })).toEqual([103, 200]);
  });
});
