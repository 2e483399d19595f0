// SPEC §3 and §6 "Shapes", proven against the real daemon: the status list and ServiceStatus
// fields, the action answers (and `all`), /metrics, the SSE stream and the logs route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParser } from 'eventsource-parser';
import { join } from 'node:path';
import { tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';
import type { LogLine, ServiceStatus } from '../../main/contract/status.js';

const STATUS_FIELDS = [
  'id', 'name', 'type', 'status', 'state', 'health', 'statusCode', 'pid', 'port', 'autostart', 'restarts', 'uptimeMs',
  'lastExit', 'lastError', 'cpu', 'memoryBytes', 'dependsOn', 'nextRunAt', 'strays', 'containment', 'replica',
].sort();

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads /api/events with a streaming fetch and a well-kept parser, as the dashboard does. */
function openEvents(d: Daemon): { events: SseEvent[]; status: Promise<number>; close(): void } {
  const events: SseEvent[] = [];
  const abort = new AbortController();
  const parser = createParser({ onEvent: (e) => events.push({ event: e.event ?? 'message', data: JSON.parse(e.data) as unknown }) });
  const status = fetch(`${d.info.url}/api/events`, { headers: { authorization: `Bearer ${d.info.token}` }, signal: abort.signal }).then((res) => {
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // Aborted at the end of the test.
      }
    })();
    return res.status;
  });
  return { events, status, close: () => abort.abort() };
}

function expectStatusShape(s: ServiceStatus): void {
  expect(Object.keys(s).sort()).toEqual(STATUS_FIELDS);
  expect(['daemon', 'oneshot']).toContain(s.type);
  expect(['online', 'starting', 'unhealthy', 'stopping', 'offline', 'backoff', 'failed', 'completed']).toContain(s.status);
  expect(['stopped', 'starting', 'running', 'stopping', 'backoff', 'failed', 'completed']).toContain(s.state);
  expect(['none', 'unknown', 'healthy', 'unhealthy']).toContain(s.health);
  expect(typeof s.name).toBe('string');
  expect(typeof s.autostart).toBe('boolean');
  expect(Number.isInteger(s.restarts)).toBe(true);
  expect(Array.isArray(s.dependsOn)).toBe(true);
  expect(Array.isArray(s.strays)).toBe(true);
  for (const k of ['statusCode', 'pid', 'port', 'uptimeMs', 'cpu', 'memoryBytes'] as const) {
    expect(s[k] === null || typeof s[k] === 'number', k).toBe(true);
  }
  if (s.state !== 'running') expect(s.uptimeMs).toBeNull();
  if (s.lastExit !== null) expect(Object.keys(s.lastExit).sort()).toEqual(['at', 'code', 'signal']);
}

let d: Daemon;
let stamps: string;

beforeAll(async () => {
  const dir = tempDir('hypha-it-');
  stamps = join(dir, 'job-stamps');
  d = await startDaemon(
    `api: { port: 0 }
services:
  web:
    name: Web Server
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
    health:
      exec: ["true"]
      interval: 200ms
  worker:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
    depends_on: [web]
  job:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    env: { STAMP_FILE: ${q(stamps)} }
    autostart: false
`,
    { dir },
  );
  await d.waitFor('web', (s) => s.status === 'online', 'online');
  await d.waitFor('worker', (s) => s.status === 'online', 'online');
});

afterAll(async () => {
  await d?.stop();
  await cleanUp();
});

describe('status', () => {
  it('/api/services/status is {services, timestamp} with every SPEC field', async () => {
    const r = await d.api<{ services: ServiceStatus[]; timestamp: string }>('GET', '/api/services/status');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['services', 'timestamp']);
    expect(new Date(r.body.timestamp).toISOString()).toBe(r.body.timestamp);
    expect(Math.abs(Date.now() - Date.parse(r.body.timestamp))).toBeLessThan(60_000);
    expect(r.body.services.map((s) => s.id)).toEqual(['web', 'worker', 'job']);
    for (const s of r.body.services) expectStatusShape(s);

    const [web, worker, job] = r.body.services as [ServiceStatus, ServiceStatus, ServiceStatus];
    expect(web).toMatchObject({ name: 'Web Server', type: 'daemon', state: 'running', health: 'healthy', status: 'online', autostart: true, dependsOn: [] });
    expect(web.pid).toBeGreaterThan(1);
    expect(web.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(worker).toMatchObject({ name: 'worker', health: 'none', dependsOn: ['web'], statusCode: null, port: null });
    expect(job).toMatchObject({ type: 'oneshot', state: 'stopped', status: 'offline', autostart: false, pid: null, uptimeMs: null, lastExit: null, nextRunAt: null });
  });

  it('/api/services/:id is one ServiceStatus, the same as in the list', async () => {
    const one = await d.api<ServiceStatus>('GET', '/api/services/worker');
    expect(one.status).toBe(200);
    expectStatusShape(one.body);
    expect(one.body.id).toBe('worker');
    const missing = await d.api<{ error: string }>('GET', '/api/services/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'unknown service: nope' });
  });
});

describe('actions', () => {
  it('start, stop, restart answer {ok: true, service} and act', async () => {
    const before = await d.status('worker');
    const restart = await d.api<{ ok: boolean; service: ServiceStatus }>('POST', '/api/services/worker/restart');
    expect(restart.status).toBe(200);
    expect(Object.keys(restart.body).sort()).toEqual(['ok', 'service']);
    expect(restart.body.ok).toBe(true);
    expectStatusShape(restart.body.service);
    expect(restart.body.service.id).toBe('worker');
    await d.waitFor('worker', (s) => s.state === 'running' && s.pid !== before.pid, 'a new run');

    const stop = await d.api<{ ok: boolean; service: ServiceStatus }>('POST', '/api/services/worker/stop');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ ok: true, service: { id: 'worker' } });
    await d.waitFor('worker', (s) => s.state === 'stopped' && s.pid === null, 'stopped');

    const start = await d.api<{ ok: boolean; service: ServiceStatus }>('POST', '/api/services/worker/start');
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ ok: true, service: { id: 'worker' } });
    expect(['starting', 'running']).toContain(start.body.service.state);
    await d.waitFor('worker', (s) => s.state === 'running', 'running again');
  });

  it('run answers like start and runs the oneshot once', async () => {
    const run = await d.api<{ ok: boolean; service: ServiceStatus }>('POST', '/api/services/job/run');
    expect(run.status).toBe(200);
    expect(Object.keys(run.body).sort()).toEqual(['ok', 'service']);
    expect(run.body).toMatchObject({ ok: true, service: { id: 'job', type: 'oneshot' } });
    const done = await d.waitFor('job', (s) => s.state === 'completed', 'completed');
    expect(done.lastExit).toMatchObject({ code: 0, signal: null });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(stamps, 'utf8').trim().split('\n')).toHaveLength(1);
    // run is for oneshots: a daemon gets a JSON error, and keeps its run.
    const pid = (await d.status('web')).pid;
    const wrong = await d.api<{ error: string }>('POST', '/api/services/web/run');
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatch(/oneshot/);
    expect((await d.status('web')).pid).toBe(pid);
  });

  it('`all` acts on every service', async () => {
    const stop = await d.api<{ ok: boolean; services: ServiceStatus[] }>('POST', '/api/services/all/stop');
    expect(stop.status).toBe(200);
    expect(stop.body.ok).toBe(true);
    expect(stop.body.services.map((s) => s.id)).toEqual(['web', 'worker', 'job']);
    await waitFor(async () => (await d.list()).every((s) => s.state === 'stopped' && s.pid === null), { timeoutMs: 20_000, message: 'every service stopped' });
    // SPEC §6: a stopped service with a probe has health unknown; without one, none.
    expect(await d.status('web')).toMatchObject({ status: 'offline', health: 'unknown', statusCode: null, uptimeMs: null, cpu: null, memoryBytes: null });
    expect((await d.status('worker')).health).toBe('none');

    const start = await d.api<{ ok: boolean; services: ServiceStatus[] }>('POST', '/api/services/all/start');
    expect(start.status).toBe(200);
    expect(start.body.ok).toBe(true);
    await d.waitFor('web', (s) => s.status === 'online', 'online');
    await d.waitFor('worker', (s) => s.status === 'online', 'online');
    // A oneshot is a service too: `all` ran it.
    await d.waitFor('job', (s) => s.state === 'completed', 'completed');

    const run = await d.api<{ error: string }>('POST', '/api/services/all/run');
    expect(run.status).toBe(400);
    expect(typeof run.body.error).toBe('string');
  });
});

describe('metrics', () => {
  it('/metrics has the five metrics with a service label, and needs the token', async () => {
    const denied = await d.api('GET', '/metrics', { token: null });
    expect(denied.status).toBe(401);
    const res = await fetch(`${d.info.url}/metrics`, { headers: { authorization: `Bearer ${d.info.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of ['hypha_service_up', 'hypha_service_restarts_total', 'hypha_service_healthy', 'hypha_service_cpu_percent', 'hypha_service_memory_bytes']) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter)$`, 'm'));
    }
    // A first sample may read 0 (a process caught mid-exec); the figure is real once it is above 0.
    const web = await d.waitFor('web', (s) => s.memoryBytes !== null && s.memoryBytes > 0, 'sampled');
    expect(text).toMatch(/^hypha_service_up\{service="web"\} 1$/m);
    expect(text).toMatch(/^hypha_service_up\{service="job"\} 0$/m);
    expect(text).toMatch(/^hypha_service_restarts_total\{service="worker"\} \d+$/m);
    expect(text).toMatch(/^hypha_service_healthy\{service="web"\} 1$/m);
    // Samples arrive on their own clock; the next scrape has them.
    const later = await waitFor(async () => {
      const t = await (await fetch(`${d.info.url}/metrics`, { headers: { authorization: `Bearer ${d.info.token}` } })).text();
      return /^hypha_service_memory_bytes\{service="web"\} \d+$/m.test(t) ? t : null;
    }, { message: 'web memory in /metrics' });
    expect(later).toMatch(/^hypha_service_cpu_percent\{service="web"\} [\d.]+$/m);
    expect(web.memoryBytes).toBeGreaterThan(0);
    for (const line of later.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^hypha_service_[a-z_]+\{service="[a-z0-9_-]+"\} [\d.e+-]+$/);
    }
  });
});

describe('server-sent events', () => {
  it('sends every status on connect, then status, log and event messages as things change', async () => {
    const before = await d.status('worker');
    const stream = openEvents(d);
    try {
      expect(await stream.status).toBe(200);
      await waitFor(() => stream.events.filter((e) => e.event === 'status').length >= 3, { message: 'a status per service on connect' });
      const first = stream.events.filter((e) => e.event === 'status').slice(0, 3).map((e) => e.data as ServiceStatus);
      expect(first.map((s) => s.id)).toEqual(['web', 'worker', 'job']);
      for (const s of first) expectStatusShape(s);

      const mark = stream.events.length;
      expect((await d.api('POST', '/api/services/worker/restart')).status).toBe(200);
      const fresh = await waitFor(
        () =>
          stream.events
            .slice(mark)
            .filter((e) => e.event === 'status')
            .map((e) => e.data as ServiceStatus)
            .find((s) => s.id === 'worker' && s.state === 'running' && s.pid !== before.pid),
        { timeoutMs: 20_000, message: 'a status event for the new run' },
      );
      expectStatusShape(fresh);
      const states = stream.events.slice(mark).filter((e) => e.event === 'status' && (e.data as ServiceStatus).id === 'worker').map((e) => (e.data as ServiceStatus).state);
      expect(states).toContain('stopping');

      // The new run prints `ready pid=N`: it comes as a log message {id, line: {ts, stream, text}}.
      const log = await waitFor(
        () =>
          stream.events
            .slice(mark)
            .filter((e) => e.event === 'log')
            .map((e) => e.data as { id: string; line: LogLine })
            .find((l) => l.id === 'worker' && l.line.text === `ready pid=${fresh.pid}`),
        { timeoutMs: 10_000, message: 'the new run\'s first line as a log event' },
      );
      expect(Object.keys(log).sort()).toEqual(['id', 'line']);
      expect(Object.keys(log.line).sort()).toEqual(['stream', 'text', 'ts']);
      expect(log.line.stream).toBe('stdout');
      expect(new Date(log.line.ts).toISOString()).toBe(log.line.ts);
      for (const e of stream.events.filter((x) => x.event === 'log')) {
        expect(['stdout', 'stderr', 'supervisor']).toContain((e.data as { line: LogLine }).line.stream);
      }

      const started = stream.events.slice(mark).find((e) => e.event === 'event' && (e.data as { kind: string }).kind === 'started');
      expect(started?.data).toMatchObject({ id: 'worker', kind: 'started', message: `started (pid ${fresh.pid})` });
      expect(Object.keys(started?.data as object).sort()).toEqual(['id', 'kind', 'message', 'ts']);
    } finally {
      stream.close();
    }
  });

  it('needs the token', async () => {
    const r = await d.api('GET', '/api/events', { token: null });
    expect(r.status).toBe(401);
  });
});

describe('logs', () => {
  it('/api/services/:id/logs?lines=N answers the last N lines', async () => {
    const all = await d.api<{ lines: LogLine[] }>('GET', '/api/services/web/logs?lines=1000');
    expect(all.status).toBe(200);
    expect(Object.keys(all.body)).toEqual(['lines']);
    expect(all.body.lines.length).toBeGreaterThanOrEqual(3);
    for (const l of all.body.lines) {
      expect(Object.keys(l).sort()).toEqual(['stream', 'text', 'ts']);
      expect(['stdout', 'stderr', 'supervisor']).toContain(l.stream);
    }
    const two = await d.api<{ lines: LogLine[] }>('GET', '/api/services/web/logs?lines=2');
    expect(two.body.lines).toEqual(all.body.lines.slice(-2));
    const none = await d.api<{ lines: LogLine[] }>('GET', '/api/services/web/logs?lines=0');
    expect(none.body.lines).toEqual([]);
    const dflt = await d.api<{ lines: LogLine[] }>('GET', '/api/services/web/logs');
    expect(dflt.status).toBe(200);
    expect(all.body.lines.some((l) => l.stream === 'supervisor' && /^started \(pid \d+\)$/.test(l.text))).toBe(true);
    expect(all.body.lines.some((l) => l.stream === 'stdout' && /^ready pid=\d+$/.test(l.text))).toBe(true);

    for (const bad of ['-1', 'abc', '1.5', '1e999']) {
      const r = await d.api<{ error: string }>('GET', `/api/services/web/logs?lines=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(typeof r.body.error).toBe('string');
    }
    expect((await d.api('GET', '/api/services/nope/logs?lines=5')).status).toBe(404);
  });
});
