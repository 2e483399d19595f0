import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readProcessTable } from '../../main/core/process/proctable.js';
import { ancestorsOf, DescendantTracker, descendantsOf } from '../../main/core/process/tree.js';
import { fixtureReaper, readForkerPids, spawnFixture } from '../helpers/fixtures.js';
import { isProcessAlive } from '../helpers/processes.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

afterEach(() => fixtureReaper.reapAll());
afterAll(removeTempDirs);

const sorted = (pids: Iterable<number>): number[] => [...pids].sort((a, b) => a - b);

describe.runIf(process.platform === 'linux')('process trees', () => {
  it('walks the whole forker tree by parent links, and up again to us', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile });
    const forker = await readForkerPids(pidsFile);
    expect(forker.all).toHaveLength(12);
    const table = readProcessTable();
    expect(sorted(descendantsOf(forker.root, table).map((p) => p.pid))).toEqual(sorted(forker.all.slice(1)));

    const chain = ancestorsOf(forker.setsidChild, table).map((p) => p.pid);
    expect(chain.slice(0, 4)).toEqual([forker.setsid, forker.middle, forker.root, process.pid]);
    expect(chain.at(-1)).toBe(1);
  });

  it('keeps the setsid child and its child after their parent dies and they leave the tree', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile });
    const forker = await readForkerPids(pidsFile);
    const tracker = new DescendantTracker(forker.root);
    expect(tracker.track(readProcessTable())).toBe(12);
    expect(sorted(tracker.alive(readProcessTable()).map((p) => p.pid))).toEqual(sorted(forker.all));

    process.kill(forker.middle, 'SIGKILL');
    const after = await waitFor(
      () => {
        const table = readProcessTable();
        const setsid = table.find((p) => p.pid === forker.setsid);
        return !isProcessAlive(forker.middle) && setsid && setsid.ppid !== forker.middle ? table : null;
      },
      { message: 'the setsid child to be reparented' },
    );

    // By parent links alone the setsid pair is lost (it is in another session and group too)...
    const linked = descendantsOf(forker.root, after).map((p) => p.pid);
    expect(linked).not.toContain(forker.setsid);
    expect(linked).not.toContain(forker.setsidChild);
    const fresh = new DescendantTracker(forker.root);
    fresh.track(after);
    expect(fresh.alive(after).map((p) => p.pid)).not.toContain(forker.setsid);

    // ...but the tracker that saw it before still has all 11 survivors.
    expect(tracker.track(after)).toBe(0);
    const survivors = forker.all.filter((pid) => pid !== forker.middle);
    expect(sorted(tracker.alive(after).map((p) => p.pid))).toEqual(sorted(survivors));
    expect(tracker.members().map((m) => m.pid)).not.toContain(forker.middle);
  });

  it('never counts a process whose start time differs (a recycled pid)', async () => {
    const fixture = spawnFixture('slow-stopper');
    await fixture.ready();
    const table = readProcessTable();
    const impostor = new DescendantTracker(fixture.pid, fixture.pid, 'not-its-start-time');
    expect(impostor.track(table)).toBe(0);
    expect(impostor.alive(table)).toEqual([]);
    expect(impostor.ownsGroup(table)).toBe(false);

    const real = new DescendantTracker(fixture.pid);
    real.track(table);
    expect(real.alive(table).map((p) => p.pid)).toEqual([fixture.pid]);
    expect(real.ownsGroup(table)).toBe(true);
  });
});
