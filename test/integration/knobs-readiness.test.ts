// Issue 13 item 1: readiness separate from liveness, on real processes. A service that prints its
// ready line late stays `starting` (not online) and holds back a dependent with condition healthy
// until the line appears; a failing readiness probe never restarts the service; `hypha start`
// answers once the service is ready, not when it merely runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, useDaemons } from '../helpers/daemon.js';
import { SETTLE_MS } from '../../main/cli/verdict.js';

const daemons = useDaemons();

describe.skipIf(process.platform === 'win32')('readiness:', () => {
  it('log_line gates status online and a dependent; a failing readiness probe never restarts', async () => {
    const dir = tempDir('hypha-ready-');
    const gate = join(dir, 'go');
    const port = await freePort();
    const d = await startDaemon(
      `api: { port: 0 }
services:
  db:
    shell: /bin/sh
    command: 'echo booting; while [ ! -e ${q(gate).slice(1, -1)} ]; do sleep 0.05; done; echo "db is ready to accept connections"; exec sleep 1000'
    readiness: { log_line: "ready to accept" }
  app:
    command: ["sleep", "1000"]
    depends_on: { db: { condition: healthy } }
  never:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}", HEALTH_FLAG: ${q(join(dir, 'always-sick'))} }
    readiness: { http: "http://127.0.0.1:${port}/health", interval: 100ms, retries: 1 }
`,
      { dir },
    );
    daemons.push(d);
    writeFileSync(join(dir, 'always-sick'), '');
    const db = await d.waitFor('db', (x) => x.state === 'running' && x.pid !== null, 'running');
    // Running but not ready: starting, and the dependent waits.
    expect(db.status).toBe('starting');
    const waiting = await d.waitFor('app', (x) => x.state === 'starting' && (x.lastError ?? '').startsWith('waiting for db'), 'waiting for db');
    expect(waiting.pid).toBeNull();
    expect((await d.status('db')).status).toBe('starting');

    writeFileSync(gate, '');
    const ready = await d.waitFor('db', (x) => x.status === 'online', 'online once the line is printed');
    expect(ready.pid).toBe(db.pid);
    expect(ready.restarts).toBe(0);
    await d.waitFor('app', (x) => x.state === 'running', 'started after db is ready');

    // A readiness probe that keeps failing: starting for good, never restarted.
    const never = await d.waitFor('never', (x) => x.state === 'running' && x.pid !== null, 'running');
    await d.waitFor('never', (x) => (x.uptimeMs ?? 0) > 1500, 'a while of failing probes');
    const later = await d.status('never');
    expect(later.status).toBe('starting');
    expect(later.pid).toBe(never.pid);
    expect(later.restarts).toBe(0);
  });

  it('hypha start waits for readiness, not only for the run: it answers once the ready line is printed', async () => {
    const dir = tempDir('hypha-ready-cli-');
    const gate = join(dir, 'go');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  db:
    shell: /bin/sh
    autostart: false
    command: 'while [ ! -e ${q(gate).slice(1, -1)} ]; do sleep 0.05; done; echo "db is ready to accept connections"; exec sleep 1000'
    readiness: { log_line: "ready to accept" }
`,
      { dir },
    );
    daemons.push(d);
    let answered = false;
    const start = d.cli(['start', 'db']).finally(() => (answered = true));
    // Running well past the CLI's settle time for a service without a probe, but not ready.
    await d.waitFor('db', (x) => x.state === 'running' && (x.uptimeMs ?? 0) > 2 * SETTLE_MS, 'running a while');
    expect((await d.status('db')).status).toBe('starting');
    expect(answered).toBe(false);
    writeFileSync(gate, '');
    const r = await start;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^db: online \(ready; no health check\), pid \d+$/m);
  });
});
