// Issue 13 item 6: max_memory on a real process that grows: restarted after 3 samples above the
// limit, counted as a restart, lastError saying why; a service under its limit is left alone; one
// with `restart: never` is stopped and fails, saying why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

describe.skipIf(process.platform !== 'linux')('max_memory', () => {
  it('a service that grows past max_memory is restarted, counted, with lastError saying so', async () => {
    const dir = tempDir('hypha-mem-');
    const stamps = join(dir, 'stamps');
    const calm = join(dir, 'calm-stamps');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  grower:
    command: ${fixtureCommand('memory-grower.mjs')}
    env: { GROW_TO_MB: "200", STAMP_FILE: ${q(stamps)} }
    max_memory: 100M
    restart: { delay: 100ms }
  calm:
    command: ${fixtureCommand('memory-grower.mjs')}
    env: { GROW_TO_MB: "20", STAMP_FILE: ${q(calm)} }
    max_memory: 150M
  capped:
    command: ${fixtureCommand('memory-grower.mjs')}
    env: { GROW_TO_MB: "200", STAMP_FILE: ${q(join(dir, 'capped-stamps'))} }
    max_memory: 100M
    restart: { policy: never }
`,
      { dir },
    );
    daemons.push(d);
    const first = await d.waitFor('grower', (x) => x.state === 'running' && x.pid !== null, 'running');
    const after = await d.waitFor('grower', (x) => x.restarts >= 1 && x.state === 'running' && x.pid !== first.pid, 'restarted once');
    expect(after.lastError).toMatch(/^restarted: memory \d+(\.\d)? MB above max_memory 100 MB for 3 samples$/);
    const events = (await d.api<{ events: { kind: string; message: string }[] }>('GET', '/api/services/grower/events')).body.events;
    expect(events.some((e) => e.kind === 'memory' && e.message === after.lastError)).toBe(true);
    expect(events.some((e) => e.kind === 'restarting' && e.message.includes('(restarted: memory'))).toBe(true);
    // The old run is gone: its pid no longer lives.
    expect(() => readFileSync(`/proc/${first.pid}/status`)).toThrow();
    await waitFor(() => readFileSync(stamps, 'utf8').trim().split('\n').length >= 2, { message: 'a second run' });
    // A service under its limit was never touched.
    const c = await d.status('calm');
    expect(c.restarts).toBe(0);
    expect(c.lastError).toBeNull();
    expect(readFileSync(calm, 'utf8').trim().split('\n')).toHaveLength(1);
    // Under `restart: never` the limit still ends the run (it protects the machine), and the
    // service fails saying why instead of claiming a restart that never comes.
    const capped = await d.waitFor('capped', (x) => x.state === 'failed', 'capped failed');
    expect(capped.lastError).toMatch(/^stopped: memory \d+(\.\d)? MB above max_memory 100 MB for 3 samples; not restarted \(restart policy never\)$/);
    expect(capped.pid).toBeNull();
    expect(capped.restarts).toBe(0);
  });
});
