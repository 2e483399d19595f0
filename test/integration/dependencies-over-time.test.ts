// Issue 11 item 6 with real processes: a dependent of a dependency that ended for good (policy
// never, exit 0 or 1) fails with the reason instead of waiting forever; during a 10 s outage of its
// dependency a dependent waits instead of crash-looping through its restart budget (its spawns
// are counted from a stamp file it writes itself); `restart: true` follows a dependency's restart.
// The exact timings are proven in virtual time (test/unit/service-dependencies.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('dependencies over time', () => {
  it('a dependency that exits and will not restart (policy never, exit 0 or 1) fails its dependent with the reason', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  db0:
    command: "sleep 1; exit 0"
    restart: { policy: never }
    health: { exec: "false", interval: 200ms }
  db1:
    command: "sleep 1; exit 1"
    restart: { policy: never }
    health: { exec: "false", interval: 200ms }
  app0: { command: "sleep 600", depends_on: { db0: { condition: healthy } } }
  app1: { command: "sleep 600", depends_on: { db1: { condition: healthy } } }
`);
    daemons.push(d);
    const waiting = await d.waitFor('app0', (s) => s.lastError === 'waiting for db0 (healthy)', 'waiting for db0');
    expect(waiting.state).toBe('starting');
    const a0 = await d.waitFor('app0', (s) => s.state === 'failed', 'failed');
    expect(a0.lastError).toBe('not started: dependency db0 stopped (exited with code 0, policy never)');
    const a1 = await d.waitFor('app1', (s) => s.state === 'failed', 'failed');
    expect(a1.lastError).toBe('not started: dependency db1 stopped (exited with code 1, policy never)');
    expect(a0.pid).toBeNull();
  });

  it('a 10 s outage of its dependency makes the dependent wait, not crash-loop', async () => {
    const dir = tempDir('hypha-outage-');
    const port = await freePort();
    const stamps = join(dir, 'app-stamps');
    // app lives while db's port answers, and exits 1 once it does not (as a client of a lost db would).
    const app = `echo x >> ${stamps}; while (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; do sleep 0.2; done; exit 1`;
    const d = await startDaemon(
      `api: { port: 0 }
services:
  db:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}" }
    port: ${port}
    health: { http: "http://127.0.0.1:${port}/health", interval: 300ms }
    restart: { delay: 10s, max_delay: 10s }
  app:
    command: [/bin/bash, -c, ${q(app)}]
    depends_on: { db: { condition: healthy } }
    restart: { delay: 200ms, max_restarts: 3, window: 5m }
`,
      { dir },
    );
    daemons.push(d);
    await d.waitFor('app', (s) => s.state === 'running', 'running');
    const db = await d.waitFor('db', (s) => s.health === 'healthy', 'db healthy');
    // `running` comes at spawn; the fixture stamps itself a moment later (after exec).
    await waitFor(() => lines(stamps).length === 1, { message: 'the first stamp' });
    process.kill(db.pid as number, 'SIGKILL'); // the outage: db comes back after its 10 s delay
    const waiting = await d.waitFor('app', (s) => s.lastError === 'waiting for db (healthy)', 'waiting for db');
    expect(waiting.state).toBe('starting');
    expect(lines(stamps).length).toBe(1);
    const back = await d.waitFor('app', (s) => s.state === 'running' && s.restarts === 1, 'running again after the outage', 90_000);
    expect(back.lastError).toBeNull();
    // One crash when db went away, one spawn when it was back: no crash loop, budget intact.
    await waitFor(() => lines(stamps).length >= 2, { message: 'the second stamp' });
    expect(lines(stamps).length).toBe(2);
    expect((await d.status('db')).restarts).toBe(1);
  });

  it('restart: true — restarting the dependency restarts the dependent', async () => {
    const dir = tempDir('hypha-partof-');
    const stamps = join(dir, 'stamps');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  db: { command: "sleep 600", restart: { delay: 0s } }
  app:
    command: ${q(`echo app >> ${stamps}; exec sleep 600`)}
    depends_on: { db: { restart: true } }
    restart: { delay: 0s }
  side:
    command: ${q(`echo side >> ${stamps}; exec sleep 600`)}
    depends_on: [db]
`,
      { dir },
    );
    daemons.push(d);
    const app = await d.waitFor('app', (s) => s.state === 'running', 'running');
    await d.waitFor('side', (s) => s.state === 'running', 'running');
    await d.api('POST', '/api/services/db/restart');
    const again = await d.waitFor('app', (s) => s.state === 'running' && s.pid !== app.pid, 'a new run');
    expect(again.pid).not.toBe(app.pid);
    // `running` comes at spawn; the new run stamps itself a moment later.
    await waitFor(() => lines(stamps).filter((l) => l === 'app').length >= 2, { message: 'the second app stamp' });
    expect(lines(stamps).filter((l) => l === 'app').length).toBe(2);
    expect(lines(stamps).filter((l) => l === 'side').length).toBe(1);
  });
});
