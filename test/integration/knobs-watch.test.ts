// Issue 13 item 2: watch: restarts a real service on a file change, once per debounce window,
// and not for ignored files or for Hypha's own log files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, useDaemons } from '../helpers/daemon.js';
import type { SupervisorEvent } from '../../main/contract/status.js';

const daemons = useDaemons();

describe('watch:', () => {
  it('touching a file gives exactly one restart after the debounce; ignored files give none', async () => {
    const dir = tempDir('hypha-watch-');
    const src = join(dir, 'src');
    mkdirSync(join(src, 'deep'), { recursive: true });
    writeFileSync(join(src, 'app.js'), '1');
    const stamps = join(dir, 'stamps');
    // HYPHA_HOME (its logs) sits inside the watched folder: it must not restart the service.
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('crasher.mjs')}
    env: { STAMP_FILE: ${q(stamps)}, EXIT_CODE: "0", AFTER_MS: "600000" }
    watch: { paths: ["."], ignore: ["*.tmp", "stamps"], debounce: 400ms }
    restart: { delay: 10ms }
`,
      { dir, home: join(dir, 'home') },
    );
    daemons.push(d);
    const first = await d.waitFor('web', (x) => x.state === 'running' && x.pid !== null, 'running');
    const runs = (): number => readFileSync(stamps, 'utf8').trim().split('\n').length;
    await waitFor(() => runs() === 1, { message: 'first run stamped' });

    // A burst of saves in the watched tree: one restart.
    writeFileSync(join(src, 'app.js'), '2');
    writeFileSync(join(src, 'deep', 'b.js'), '2');
    writeFileSync(join(src, 'app.js'), '3');
    const second = await d.waitFor('web', (x) => x.state === 'running' && x.pid !== null && x.pid !== first.pid, 'restarted');
    await waitFor(() => runs() === 2, { message: 'second run stamped' });
    const events = (await d.api<{ events: SupervisorEvent[] }>('GET', '/api/services/web/events')).body.events;
    const watchEvents = events.filter((e) => e.kind === 'watch');
    expect(watchEvents).toHaveLength(1);
    expect(watchEvents[0]?.message).toMatch(/^files changed \(.*app\.js.*\): restarting$/);

    // Ignored files and the service's own log writes: no restart. Then a real change proves the
    // watch is still alive, and the count shows nothing came between.
    writeFileSync(join(src, 'scratch.tmp'), 'x');
    writeFileSync(join(dir, 'notes.tmp'), 'x');
    writeFileSync(join(src, 'deep', 'c.js'), 'x');
    const third = await d.waitFor('web', (x) => x.state === 'running' && x.pid !== null && x.pid !== second.pid, 'restarted again');
    await waitFor(() => runs() === 3, { message: 'third run stamped' });
    const after = (await d.api<{ events: SupervisorEvent[] }>('GET', '/api/services/web/events')).body.events.filter((e) => e.kind === 'watch');
    expect(after).toHaveLength(2);
    expect(after[1]?.message).toContain('c.js');
    expect(after[1]?.message).not.toContain('.tmp');
    expect(third.pid).not.toBe(first.pid);
  });
});
