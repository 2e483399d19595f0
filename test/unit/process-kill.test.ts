import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killTree } from '../../main/core/process/kill.js';
import { readProcessTable } from '../../main/core/process/proctable.js';
import { DescendantTracker, descendantsOf } from '../../main/core/process/tree.js';
import { fixturePath, fixtureReaper, readForkerPids, spawnFixture } from '../helpers/fixtures.js';
import { aliveOf, childPidsDeep, isProcessAlive } from '../helpers/processes.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

afterEach(() => fixtureReaper.reapAll());
afterAll(removeTempDirs);

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work;
  return { result, ms: performance.now() - start };
}

describe.runIf(process.platform === 'linux')('killTree', () => {
  it('leaves none of the 12 forker processes, SIGKILLing the setsid one that ignores SIGTERM', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile });
    const forker = await readForkerPids(pidsFile);
    const tracker = new DescendantTracker(forker.root);
    tracker.track(readProcessTable());
    // The middle parent dies first, so the setsid pair is reachable only through the tracker.
    process.kill(forker.middle, 'SIGKILL');
    await waitFor(() => !isProcessAlive(forker.middle), { message: 'the middle parent to die' });

    const timeoutMs = 1500;
    const { result, ms } = await timed(killTree({ pid: forker.root, tracker, signal: 'SIGTERM', timeoutMs }));
    expect(aliveOf(forker.all)).toEqual([]);
    expect(result.escalated).toBe(true);
    expect(result.leftovers).toEqual([]);
    expect(result.killed).toEqual(expect.arrayContaining([forker.root, forker.setsid, forker.setsidChild]));
    expect(ms).toBeGreaterThanOrEqual(timeoutMs - 50);
  });

  it('finds the whole tree itself when given no tracker', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile });
    const forker = await readForkerPids(pidsFile);
    const result = await killTree({ pid: forker.root, signal: 'SIGTERM', timeoutMs: 1000 });
    expect(aliveOf(forker.all)).toEqual([]);
    expect(result).toMatchObject({ escalated: true, leftovers: [] });
  });

  it('returns as soon as the tree has exited on the stop signal', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile, STUBBORN: '0' });
    const forker = await readForkerPids(pidsFile);
    // A timeout far beyond the test's own: returning at all proves it did not wait it out.
    const timeoutMs = 600_000;
    const { result, ms } = await timed(killTree({ pid: forker.root, signal: 'SIGTERM', timeoutMs }));
    expect(aliveOf(forker.all)).toEqual([]);
    expect(result).toMatchObject({ escalated: false, leftovers: [] });
    expect(sortedCopy(result.killed)).toEqual(sortedCopy(forker.all));
    expect(ms).toBeLessThan(timeoutMs);
  });

  it('goes on to SIGKILL the rest of the group after the leader exited on SIGTERM', async () => {
    // sh leads the group and dies on SIGTERM; its child ignores SIGTERM and stays in the group.
    const sh = spawn('/bin/sh', ['-c', `"${process.execPath}" "${fixturePath('slow-stopper')}" & wait`], {
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    const shPid = sh.pid ?? 0;
    fixtureReaper.add(shPid);
    const [stubborn] = await waitFor(() => {
      const kids = childPidsDeep(shPid);
      return kids.length > 0 ? kids : null;
    });
    fixtureReaper.add(stubborn ?? 0);
    let output = '';
    sh.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Its SIGTERM handler is in place once it has printed this.
    await waitFor(() => output.includes(`ready pid=${stubborn}`), { message: 'slow-stopper to be ready' });

    const { result, ms } = await timed(killTree({ pid: shPid, signal: 'SIGTERM', timeoutMs: 800 }));
    expect(aliveOf([shPid, stubborn ?? 0])).toEqual([]);
    expect(result).toMatchObject({ escalated: true, leftovers: [] });
    expect(ms).toBeGreaterThanOrEqual(750);
  });

  it('ends a shell script and its background children together', async () => {
    const fixture = spawnFixture('shell-tree.sh');
    await fixture.waitForOutput(/children up/);
    const tree = [fixture.pid, ...(await waitFor(() => (childPidsDeep(fixture.pid).length === 2 ? childPidsDeep(fixture.pid) : null)))];
    const result = await killTree({ pid: fixture.pid, signal: 'SIGTERM', timeoutMs: 10_000 });
    expect(aliveOf(tree)).toEqual([]);
    expect(result.escalated).toBe(false);
  });

  it('never touches a pid whose start time is not the one it knew', async () => {
    const fixture = spawnFixture('slow-stopper');
    await fixture.ready();
    const child = descendantsOf(fixture.pid, readProcessTable());
    expect(child).toEqual([]);
    const stale = new DescendantTracker(fixture.pid, fixture.pid, 'a-previous-process');
    const result = await killTree({ pid: fixture.pid, tracker: stale, signal: 'SIGKILL', timeoutMs: 200 });
    expect(result).toEqual({ killed: [], escalated: false, leftovers: [] });
    expect(isProcessAlive(fixture.pid)).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('killTree refuses', () => {
  it('to end this process or the tree above it', async () => {
    const stopper = spawnFixture('slow-stopper');
    await stopper.ready();
    // SIGCONT and a long timeout: should the guard ever break, this test fails without harm.
    for (const pid of [process.pid, process.ppid]) {
      const refused = killTree({ pid, signal: 'SIGCONT', timeoutMs: 60_000 });
      const result = await Promise.race([refused, new Promise((resolve) => setTimeout(resolve, 3000, 'went ahead'))]);
      expect(result).toEqual({ killed: [], escalated: false, leftovers: [pid] });
    }
    expect(isProcessAlive(stopper.pid)).toBe(true); // our child, below both
  });
});

function sortedCopy(pids: number[]): number[] {
  return [...pids].sort((a, b) => a - b);
}
