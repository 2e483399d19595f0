// A stray that keeps coming back is told apart from one that is merely there: new copies after a
// stop, or newcomers scan after scan; the source is the nearest ancestor the copies share.
import { describe, expect, it } from 'vitest';
import { RespawnTracker, commonAncestor, type Sighting } from '../../main/core/strays/respawn.js';

const init = { pid: 1, command: 'init' };
const loop = { pid: 50, command: '/bin/sh cron-loop.sh' };
const shell = { pid: 20, command: 'bash' };

function copy(pid: number, parent = loop): Sighting {
  return { key: `${pid}:${pid * 10}`, ancestry: [parent, shell, init] };
}

describe('RespawnTracker', () => {
  it('is quiet about copies that stay the same, scan after scan', () => {
    const t = new RespawnTracker();
    for (let i = 0; i < 5; i++) expect(t.observe('web', [copy(100), copy(101)], i * 30_000)).toBeNull();
  });

  it('flags copies whose count keeps growing, naming their common parent', () => {
    const t = new RespawnTracker();
    expect(t.observe('web', [copy(100)], 0)).toBeNull(); // first sighting
    expect(t.observe('web', [copy(100), copy(101)], 30_000)).toBeNull(); // one newcomer could be a person
    expect(t.observe('web', [copy(100), copy(101), copy(102)], 60_000)).toEqual({ source: loop });
  });

  it('flags a copy that comes back after a stop', () => {
    const t = new RespawnTracker();
    expect(t.observe('web', [copy(100)], 0)).toBeNull();
    t.stopped('web', [copy(100).key], 1000, [copy(100).ancestry]);
    expect(t.observe('web', [], 1100)).toBeNull();
    expect(t.observe('web', [copy(105)], 1400)).toEqual({ source: loop });
  });

  it('does not flag a stop that stays stopped, nor history older than its window', () => {
    const t = new RespawnTracker(60_000);
    t.observe('web', [copy(100)], 0);
    t.stopped('web', [copy(100).key], 10, [copy(100).ancestry]);
    expect(t.observe('web', [], 100)).toBeNull();
    // Long after the stop a person starts a copy by hand: that is no respawn.
    expect(t.observe('web', [copy(300, shell)], 200_000)).toBeNull();
  });

  it('keeps services apart and forgets removed ones', () => {
    const t = new RespawnTracker();
    t.observe('a', [copy(100)], 0);
    t.stopped('a', [copy(100).key], 1);
    expect(t.observe('b', [copy(200)], 2)).toBeNull();
    t.retain(new Set(['b']));
    expect(t.observe('a', [copy(300)], 3)).toBeNull(); // a's stop was forgotten with it
  });
});

describe('commonAncestor', () => {
  it('is the nearest shared ancestor, past per-copy `sh -c` wrappers, or null for init', () => {
    const cron = { pid: 812, command: '/usr/sbin/cron -f' };
    const a = [{ pid: 901, command: 'sh -c node x.mjs' }, cron, init];
    const b = [{ pid: 902, command: 'sh -c node x.mjs' }, cron, init];
    expect(commonAncestor([a, b])).toEqual(cron);
    expect(commonAncestor([a])).toEqual(cron); // one copy: its wrapper is no source
    expect(commonAncestor([[init], [init]])).toBeNull();
    expect(commonAncestor([])).toBeNull();
  });
});
