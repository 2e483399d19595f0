// Issue #3: start order (depends_on), oneshot jobs (run, timeout, retries, schedule) and live reload.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, childPidsDeep, freePort, tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, useDaemons, fixtureCommand, q, startDaemon, type Daemon } from '../helpers/daemon.js';
import type { SupervisorEvent } from '../../main/contract/status.js';

const daemons = useDaemons();

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

async function events(d: Daemon, id: string): Promise<SupervisorEvent[]> {
  return (await d.api<{ events: SupervisorEvent[] }>('GET', `/api/services/${id}/events`)).body.events;
}

describe('start order', () => {
  it('starts a dependent only once its dependency is healthy, and a migration first', async () => {
    const dir = tempDir('hypha-order-');
    const flag = join(dir, 'db-sick');
    writeFileSync(flag, '');
    const [dbPort, apiPort] = [await freePort(), await freePort()];
    const d = await startDaemon(
      `api: { port: 0 }
services:
  api:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${apiPort}", STAMP_FILE: ${q(join(dir, 'api.stamp'))} }
    depends_on:
      db: { condition: healthy }
      migrate: { condition: completed }
  db:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${dbPort}", HEALTH_FLAG: ${q(flag)}, STAMP_FILE: ${q(join(dir, 'db.stamp'))} }
    health: { http: "http://127.0.0.1:${dbPort}/health", interval: 100ms, retries: 1, restart_on_unhealthy: false }
  migrate:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(join(dir, 'migrate.stamp'))}, SLEEP_MS: "200" }
`,
      { dir },
    );
    daemons.push(d);
    await d.waitFor('migrate', (s) => s.state === 'completed', 'migration completed');
    await d.waitFor('db', (s) => s.health === 'unhealthy', 'db unhealthy');
    const waiting = await d.status('api');
    expect(waiting.state).toBe('starting');
    expect(waiting.pid).toBeNull();
    expect(waiting.lastError).toBe('waiting for db (healthy)');
    expect(waiting.dependsOn.sort()).toEqual(['db', 'migrate']);
    expect(lines(join(dir, 'api.stamp'))).toEqual([]);

    const healthyFrom = Date.now();
    rmSync(flag);
    const up = await d.waitFor('api', (s) => s.status === 'online', 'api online');
    expect(up.lastError).toBeNull();
    await waitFor(() => lines(join(dir, 'api.stamp')).length > 0, { message: 'api stamp' });
    // The fixtures' own clocks: api started after db and after the migration ran.
    const apiAt = Number(lines(join(dir, 'api.stamp'))[0]?.split(' ')[2]);
    const dbAt = Number(lines(join(dir, 'db.stamp'))[0]?.split(' ')[2]);
    const migAt = Number(lines(join(dir, 'migrate.stamp'))[0]?.split(' ')[2]);
    expect(apiAt).toBeGreaterThan(dbAt);
    expect(apiAt).toBeGreaterThan(migAt);
    expect(apiAt).toBeGreaterThanOrEqual(healthyFrom - 5);
  });

  it('does not start a dependent whose dependency failed, and says why', async () => {
    const dir = tempDir('hypha-order-');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  app:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0", STAMP_FILE: ${q(join(dir, 'app.stamp'))} }
    depends_on: [broken]
  broken:
    command: ["/nonexistent/binary"]
`,
      { dir },
    );
    daemons.push(d);
    const s = await d.waitFor('app', (x) => x.state === 'failed', 'app failed');
    expect(s.lastError).toMatch(/^not started: dependency broken failed \(command not found: \/nonexistent\/binary\)$/);
    expect(lines(join(dir, 'app.stamp'))).toEqual([]);
  });
});

describe('oneshot jobs', () => {
  it('runs on demand to completed, with its duration in the events', async () => {
    const dir = tempDir('hypha-job-');
    const stamp = join(dir, 'job.stamp');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  job:
    type: oneshot
    autostart: false
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(stamp)} }
`,
      { dir },
    );
    daemons.push(d);
    const before = await d.status('job');
    expect(before.state).toBe('stopped');
    expect(lines(stamp)).toHaveLength(0);
    const r = await d.api<{ ok: boolean; service: { id: string } }>('POST', '/api/services/job/run');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.service.id).toBe('job');
    const done = await d.waitFor('job', (s) => s.state === 'completed', 'completed');
    expect(done.status).toBe('completed');
    expect(done.lastExit?.code).toBe(0);
    expect(lines(stamp)).toHaveLength(1);
    expect((await events(d, 'job')).some((e) => e.kind === 'completed' && /^completed in \d/.test(e.message))).toBe(true);
    // A daemon cannot be "run".
    const cli = await d.cli(['run', 'job']);
    expect(cli.code).toBe(0);
    expect(lines(stamp)).toHaveLength(2);
  });

  it('kills a run that outlives its timeout, whole tree, and marks it failed', async () => {
    const dir = tempDir('hypha-job-');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  slow:
    type: oneshot
    command: ["/bin/sh", ${q(join(FIXTURES, 'shell-tree.sh'))}]
    timeout: 700ms
`,
      { dir },
    );
    daemons.push(d);
    const running = await d.waitFor('slow', (s) => s.state === 'running' && s.pid !== null, 'running');
    const tree = await waitFor(() => {
      const kids = childPidsDeep(running.pid as number);
      return kids.length >= 2 ? kids : null;
    });
    const s = await d.waitFor('slow', (x) => x.state === 'failed', 'failed on timeout');
    expect(s.lastError).toBe('timed out after 700ms');
    await waitFor(() => aliveOf([running.pid as number, ...tree]).length === 0, { message: 'the timed-out tree to be gone' });
  });

  it('retries a failed run `retries` times with the doubling delay, then fails', async () => {
    const dir = tempDir('hypha-job-');
    const stamp = join(dir, 'job.stamp');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  flaky:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(stamp)}, EXIT_CODE: "4" }
    retries: 2
    restart: { delay: 100ms }
`,
      { dir },
    );
    daemons.push(d);
    const s = await d.waitFor('flaky', (x) => x.state === 'failed', 'failed after retries');
    expect(s.lastError).toBe('exited with code 4 (after 2 retries)');
    const times = lines(stamp).map((l) => Number(l.split(' ')[2]));
    expect(times).toHaveLength(3);
    // 100 ms, then 200 ms.
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(95);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(195);
  });

  it('runs on schedule with autostart off, shows nextRunAt, and never overlaps a run', async () => {
    const dir = tempDir('hypha-job-');
    const stamp = join(dir, 'job.stamp');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  tick:
    type: oneshot
    autostart: false
    schedule: 300ms
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(stamp)}, SLEEP_MS: "700" }
`,
      { dir },
    );
    daemons.push(d);
    const first = await d.status('tick');
    expect(first.nextRunAt).not.toBeNull();
    expect(Date.parse(first.nextRunAt as string)).toBeGreaterThan(Date.now() - 1000);
    await waitFor(() => lines(stamp).length >= 2, { timeoutMs: 10_000, message: 'two scheduled runs' });
    const ev = await waitFor(async () => {
      const e = await events(d, 'tick');
      return e.some((x) => x.kind === 'skipped') ? e : null;
    });
    expect(ev.find((x) => x.kind === 'skipped')?.message).toBe('skipped scheduled run: the previous run is still going');
    // Never two runs at once: each run starts after the previous one ended (700 ms each).
    const times = lines(stamp).map((l) => Number(l.split(' ')[2]));
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(690);
  });
});

describe('live reload', () => {
  it('adds, removes and restarts what changed; unchanged services keep their pid', async () => {
    const dir = tempDir('hypha-reload-');
    const svc = (id: string, extra = ''): string => `  ${id}:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0"${extra} }
`;
    const d = await startDaemon(`api: { port: 0 }\nservices:\n${svc('keep')}${svc('change')}${svc('drop')}`, { dir });
    daemons.push(d);
    const keep = await d.waitFor('keep', (s) => s.state === 'running', 'keep running');
    const change = await d.waitFor('change', (s) => s.state === 'running', 'change running');
    const drop = await d.waitFor('drop', (s) => s.state === 'running', 'drop running');

    writeFileSync(d.configFile, `api: { port: 0 }\nservices:\n${svc('keep')}${svc('change', ', MODE: "2"')}${svc('fresh')}`);
    const r = await d.api<{ added: string[]; removed: string[]; changed: string[] }>('POST', '/api/reload');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ added: ['fresh'], removed: ['drop'], changed: ['change'] });
    expect((await d.status('keep')).pid).toBe(keep.pid);
    const changed = await d.waitFor('change', (s) => s.state === 'running' && s.pid !== change.pid, 'change restarted');
    expect(changed.pid).not.toBe(change.pid);
    await d.waitFor('fresh', (s) => s.state === 'running', 'fresh started');
    expect((await d.api('GET', '/api/services/drop')).status).toBe(404);
    await waitFor(() => aliveOf([drop.pid as number, change.pid as number]).length === 0, { message: 'dropped and old runs gone' });
  });

  it('rejects a broken file with file:line:col errors and changes nothing', async () => {
    const dir = tempDir('hypha-reload-');
    const good = `api: { port: 0 }\nservices:\n  web:\n    command: ${fixtureCommand('http-server.mjs')}\n    env: { PORT: "0" }\n`;
    const d = await startDaemon(good, { dir });
    daemons.push(d);
    const before = await d.waitFor('web', (s) => s.state === 'running', 'running');
    writeFileSync(d.configFile, `${good}  other:\n    command: x\n    restart: { delay: soon }\n`);
    const r = await d.api<{ error: string; errors: string[] }>('POST', '/api/reload');
    expect(r.status).toBe(400);
    expect(r.body.errors.length).toBeGreaterThan(0);
    expect(r.body.errors[0]).toMatch(new RegExp(`^${d.configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:23: `));
    const cli = await d.cli(['reload']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`${d.configFile}:8:23:`);
    const after = await d.list();
    expect(after.map((s) => s.id)).toEqual(['web']);
    expect(after[0]?.pid).toBe(before.pid);
  });

  it('reloads on save through the file watcher', async () => {
    const dir = tempDir('hypha-reload-');
    const svc = (id: string): string => `  ${id}:\n    command: ${fixtureCommand('http-server.mjs')}\n    env: { PORT: "0" }\n`;
    const d = await startDaemon(`api: { port: 0 }\nservices:\n${svc('one')}`, { dir });
    daemons.push(d);
    const one = await d.waitFor('one', (s) => s.state === 'running', 'one running');
    writeFileSync(d.configFile, `api: { port: 0 }\nservices:\n${svc('one')}${svc('two')}`);
    await d.waitFor('two', (s) => s.state === 'running', 'two started by the watcher');
    expect((await d.status('one')).pid).toBe(one.pid);
    // A broken save changes nothing and says why in the daemon output.
    writeFileSync(d.configFile, `api: { port: 0 }\nservices:\n${svc('one')}  three: {}\n`);
    await waitFor(() => d.output().includes('config changed but is invalid'), { message: 'the invalid-config message' });
    expect((await d.list()).map((s) => s.id)).toEqual(['one', 'two']);
  });
});
