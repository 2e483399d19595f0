// SPEC §7 `GET /api/services/:id/runs`, against the real daemon: `{runs: [...]}` with the
// OneshotRun shape, the same Host and token rules as every /api route, 404 for an unknown id,
// 405 for a wrong method, and an empty list for a daemon. The history itself is filled by the
// service (core); until it is, the route answers `[]` and the content checks below wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';
import type { OneshotRun } from '../../main/contract/status.js';

let d: Daemon;

beforeAll(async () => {
  const dir = tempDir('hypha-it-');
  d = await startDaemon(
    `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
  job:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(join(dir, 'stamps'))} }
    autostart: false
  broken:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    env: { EXIT_CODE: "3" }
    autostart: false
`,
    { dir },
  );
  await d.waitFor('web', (s) => s.status === 'online', 'online');
});

afterAll(async () => {
  await d?.stop();
  await cleanUp();
});

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
function getWithHost(path: string, host: string): Promise<number> {
  const url = new URL(d.info.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { host, authorization: `Bearer ${d.info.token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function expectRunShape(run: OneshotRun): void {
  expect(Object.keys(run).sort()).toEqual(['endedAt', 'error', 'exit', 'startedAt']);
  expect(new Date(run.startedAt).toISOString()).toBe(run.startedAt);
  if (run.endedAt !== null) expect(new Date(run.endedAt).toISOString()).toBe(run.endedAt);
  if (run.exit !== null) expect(Object.keys(run.exit).sort()).toEqual(['code', 'signal']);
  expect(run.error === null || typeof run.error === 'string').toBe(true);
}

describe('GET /api/services/:id/runs', () => {
  it('answers {runs} for a oneshot that has run, in the OneshotRun shape, oldest first', async () => {
    expect((await d.api('POST', '/api/services/job/run')).status).toBe(200);
    await d.waitFor('job', (s) => s.state === 'completed', 'job completed');
    expect((await d.api('POST', '/api/services/broken/run')).status).toBe(200);
    await d.waitFor('broken', (s) => s.state === 'failed' || (s.state === 'stopped' && s.lastExit !== null), 'broken ended');

    const job = await d.api<{ runs: OneshotRun[] }>('GET', '/api/services/job/runs');
    expect(job.status).toBe(200);
    expect(Object.keys(job.body)).toEqual(['runs']);
    expect(Array.isArray(job.body.runs)).toBe(true);
    expect(job.body.runs.length).toBeLessThanOrEqual(20);
    job.body.runs.forEach(expectRunShape);

    const broken = await d.api<{ runs: OneshotRun[] }>('GET', '/api/services/broken/runs');
    expect(broken.status).toBe(200);
    broken.body.runs.forEach(expectRunShape);
    // The history is the service's (core) to keep; once it does, these are the two runs above.
    if (job.body.runs.length > 0) {
      expect(job.body.runs.at(-1)).toMatchObject({ exit: { code: 0, signal: null }, error: null });
      expect(broken.body.runs.at(-1)?.exit).toMatchObject({ code: 3 });
      expect(broken.body.runs.at(-1)?.error).toEqual(expect.any(String));
    }
  });

  it('is empty for a daemon, 404 for an unknown id, 405 for POST', async () => {
    const web = await d.api<{ runs: OneshotRun[] }>('GET', '/api/services/web/runs');
    expect(web).toEqual({ status: 200, body: { runs: [] } });
    const missing = await d.api<{ error: string }>('GET', '/api/services/nope/runs');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/unknown service: nope/);
    const post = await d.api<{ error: string }>('POST', '/api/services/job/runs');
    expect(post.status).toBe(405);
  });

  it('needs the token, and a local Host (checked first)', async () => {
    expect((await d.api('GET', '/api/services/job/runs', { token: null })).status).toBe(401);
    expect((await d.api('GET', '/api/services/job/runs', { token: 'wrong' })).status).toBe(401);
    expect(await getWithHost('/api/services/job/runs', 'evil.example:80')).toBe(403);
    expect(await getWithHost('/api/services/job/runs', `localhost:${new URL(d.info.url).port}`)).toBe(200);
  });
});
