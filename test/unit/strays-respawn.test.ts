// A stray that keeps coming back is told apart from one that is merely there: new copies after a
// stop, or newcomers scan after scan. Copies are grouped by what spawned them, and a verdict goes
// to the copies (pid + start time) of that source only, never to a later, unrelated process.
import { describe, expect, it } from 'vitest';
import { RespawnTracker, lineageOf, type Respawn, type Sighting } from '../../main/core/strays/respawn.js';

const init = { pid: 1, command: 'init' };
const loop = { pid: 50, command: '/bin/sh cron-loop.sh' };
const shell = { pid: 20, command: 'bash' };

function copy(pid: number, parent = loop): Sighting {
  return { key: `${pid}:${pid * 10}`, ancestry: [parent, shell, init], command: 'node web.mjs' };
}

function flat(r: Respawn[]): { source: unknown; keys: string[] }[] {
  return r.map((x) => ({ source: x.source, keys: [...x.keys].sort() }));
}

describe('RespawnTracker', () => {
  it('is quiet about copies that stay the same, scan after scan', () => {
    const t = new RespawnTracker();
    for (let i = 0; i < 5; i++) expect(t.observe('web', [copy(100), copy(101)], i * 30_000)).toEqual([]);
  });

  it('flags copies whose count keeps growing, naming their common parent', () => {
    const t = new RespawnTracker();
    expect(t.observe('web', [copy(100)], 0)).toEqual([]); // first sighting
    expect(t.observe('web', [copy(100), copy(101)], 30_000)).toEqual([]); // one newcomer could be a person
    expect(flat(t.observe('web', [copy(100), copy(101), copy(102)], 60_000))).toEqual([
      { source: loop, keys: ['100:1000', '101:1010', '102:1020'] },
    ]);
  });

  it('flags a copy that comes back after a stop', () => {
    const t = new RespawnTracker();
    expect(t.observe('web', [copy(100)], 0)).toEqual([]);
    t.stopped('web', [copy(100)], 1000);
    expect(t.observe('web', [], 1100)).toEqual([]);
    expect(flat(t.observe('web', [copy(105)], 1400))).toEqual([{ source: loop, keys: ['105:1050'] }]);
  });

  it('never carries the verdict to a later copy from another source (issue 11 item 7)', () => {
    const t = new RespawnTracker();
    t.observe('web', [copy(100)], 0);
    t.stopped('web', [copy(100)], 10);
    expect(flat(t.observe('web', [copy(105)], 400))).toEqual([{ source: loop, keys: ['105:1050'] }]);
    t.stopped('web', [copy(105)], 500);
    // The loop is gone; a person starts the service by hand from their shell: no verdict for it.
    const byHand = copy(300, shell);
    expect(t.observe('web', [byHand], 900)).toEqual([]);
    expect(t.observe('web', [byHand], 30_900)).toEqual([]);
    // While the loop's copies keep coming, the hand-started one still gets none.
    expect(flat(t.observe('web', [byHand, copy(106)], 31_000))).toEqual([{ source: loop, keys: ['106:1060'] }]);
  });

  it('does not flag a stop that stays stopped, nor history older than its window', () => {
    const t = new RespawnTracker(60_000);
    t.observe('web', [copy(100)], 0);
    t.stopped('web', [copy(100)], 10);
    expect(t.observe('web', [], 100)).toEqual([]);
    // Long after the stop the same loop starts a copy: too old to call it a respawn.
    expect(t.observe('web', [copy(300)], 200_000)).toEqual([]);
  });

  it('keeps services apart and forgets removed ones', () => {
    const t = new RespawnTracker();
    t.observe('a', [copy(100)], 0);
    t.stopped('a', [copy(100)], 1);
    expect(t.observe('b', [copy(200)], 2)).toEqual([]);
    t.retain(new Set(['b']));
    expect(t.observe('a', [copy(300)], 3)).toEqual([]); // a's stop was forgotten with it
  });
});

describe('lineageOf', () => {
  it('is the spawner past per-copy `sh -c` wrappers, or the command for orphans', () => {
    const cron = { pid: 812, command: '/usr/sbin/cron -f' };
    expect(lineageOf({ key: 'a', ancestry: [{ pid: 901, command: 'sh -c node x.mjs' }, cron, init] }).source).toEqual(cron);
    expect(lineageOf({ key: 'b', ancestry: [init], command: 'node x.mjs' })).toEqual({ key: 'o:node x.mjs', source: null });
  });
});
