import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readProcessTable, type ProcessInfo } from '../../main/core/process/proctable.js';
import { ResourceSampler } from '../../main/core/process/sampler.js';
import { fixtureReaper, readForkerPids, spawnFixture } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const samplers: ResourceSampler[] = [];
afterEach(async () => {
  for (const s of samplers.splice(0)) s.dispose();
  await fixtureReaper.reapAll();
});
afterAll(removeTempDirs);

function sampler(roots: Map<string, number[]>, intervalMs = 100): ResourceSampler {
  const s = new ResourceSampler(intervalMs);
  s.setRoots(() => roots);
  samplers.push(s);
  return s;
}

describe.runIf(process.platform === 'linux')('ResourceSampler', () => {
  it('reports the memory of a running service and nothing for an unknown one', async () => {
    const fixture = spawnFixture('http-server', { PORT: '0' });
    await fixture.ready();
    const s = sampler(new Map([['web', [fixture.pid]]]));
    const tables: number[] = [];
    s.onTable((table) => tables.push(table.length));
    s.start();
    const usage = await waitFor(() => s.get('web'), { message: 'a first sample' });
    expect(usage.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(usage.cpu).toBeGreaterThanOrEqual(0);
    expect(s.get('other')).toBeNull();
    expect(tables.length).toBeGreaterThan(0);
  });

  it('sums the memory of the whole tree', async () => {
    const pidsFile = join(tempDir(), 'pids.json');
    spawnFixture('forker', { PIDS_FILE: pidsFile });
    const forker = await readForkerPids(pidsFile);
    const s = sampler(new Map([['tree', [forker.root]], ['root-only', []]]));
    await s.sample();
    const table = readProcessTable();
    const rss = (pid: number): number => (table.find((p: ProcessInfo) => p.pid === pid)?.rssBytes ?? 0);
    // Ten of the twelve hang below the root by parent links (the setsid pair too, while its parent lives).
    expect(s.get('tree')?.memoryBytes).toBeGreaterThan(rss(forker.root) * 5);
    expect(s.get('root-only')).toBeNull();
  });

  it('measures the CPU of a busy process', async () => {
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true });
    fixtureReaper.add(busy.pid ?? 0);
    const s = sampler(new Map([['busy', [busy.pid ?? 0]]]), 200);
    s.start();
    const usage = await waitFor(() => ((s.get('busy')?.cpu ?? 0) > 20 ? s.get('busy') : null), {
      timeoutMs: 15_000,
      message: 'the busy loop to show CPU use',
    });
    expect(usage.cpu).toBeLessThan(250);
  });

  it('stops measuring once disposed', async () => {
    const fixture = spawnFixture('slow-stopper');
    await fixture.ready();
    const s = sampler(new Map([['svc', [fixture.pid]]]));
    await s.sample();
    expect(s.get('svc')).not.toBeNull();
    s.dispose();
    expect(s.get('svc')).toBeNull();
  });
});
