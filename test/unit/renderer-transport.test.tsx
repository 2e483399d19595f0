// @vitest-environment happy-dom
// The browser transport against a real HTTP server on a real socket: bearer header only, the
// token never in a URL, SSE parsed from a streaming fetch, reconnect after a drop, and a
// refused token stops the retries.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SupervisorMessage } from '../../main/contract/status.js';
import type { ConnectionInfo } from '../../main/contract/api.js';
import { createHttpApi } from '../../renderer/src/transport/http.js';
import { createIpcApi } from '../../renderer/src/transport/ipc.js';
import { toHyphaError } from '../../renderer/src/transport/errors.js';
import { takeToken } from '../../renderer/src/transport/token.js';
import { fakeApi, status } from './renderer-fake-api.js';

const TOKEN = 's3cret-token';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
}

let server: http.Server;
let base: string;
let seen: Seen[];
let streams: http.ServerResponse[];
let refuseStreams: boolean;

beforeEach(async () => {
  seen = [];
  streams = [];
  refuseStreams = false;
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}` || (refuseStreams && req.url === '/api/events')) {
      return json(401, { error: 'missing or wrong bearer token' });
    }
    if (req.url === '/api/services/status') return json(200, { services: [status({ id: 'web' })], timestamp: new Date().toISOString() });
    if (req.url === '/api/services/web/stop' && req.method === 'POST') return json(200, { ok: true, service: status({ id: 'web', status: 'offline' }) });
    if (req.url === '/api/services/all/restart' && req.method === 'POST') return json(200, { ok: true, services: [status({ id: 'web' }), status({ id: 'db' })] });
    if (req.url === '/api/services/web/logs?lines=50') return json(200, { lines: [{ ts: 't', stream: 'stdout', text: 'hi' }] });
    if (req.url === '/api/services/web/strays/stop') return json(200, { stopped: [7, 8] });
    if (req.url === '/api/services/nope/start') return json(404, { error: 'unknown service: nope' });
    if (req.url === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 2000\n\n');
      res.write(`event: status\ndata: ${JSON.stringify(status({ id: 'web' }))}\n\n`);
      streams.push(res);
      return;
    }
    json(404, { error: `no such route: ${req.url}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const fetchImpl = undiciFetch as unknown as typeof fetch;

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('http transport', () => {
  it('calls the API with the bearer token and unwraps the answers', async () => {
    const api = createHttpApi({ token: TOKEN, baseUrl: base, fetch: fetchImpl });
    expect((await api.list()).map((s) => s.id)).toEqual(['web']);
    expect((await api.act('stop', 'web')).map((s) => s.status)).toEqual(['offline']);
    expect((await api.act('restart', 'all')).map((s) => s.id)).toEqual(['web', 'db']);
    expect((await api.logs('web', 50)).map((l) => l.text)).toEqual(['hi']);
    expect(await api.stopStrays('web')).toEqual([7, 8]);
    expect(seen.every((s) => s.auth === `Bearer ${TOKEN}` && !s.url.includes(TOKEN))).toBe(true);
  });

  it('rejects with the daemon’s message and status', async () => {
    const api = createHttpApi({ token: TOKEN, baseUrl: base, fetch: fetchImpl });
    await expect(api.act('start', 'nope')).rejects.toMatchObject({ message: 'unknown service: nope', status: 404 });
    const wrong = createHttpApi({ token: 'wrong', baseUrl: base, fetch: fetchImpl });
    await expect(wrong.list()).rejects.toMatchObject({ message: 'missing or wrong bearer token', status: 401 });
    const gone = createHttpApi({ token: TOKEN, baseUrl: 'http://127.0.0.1:1', fetch: fetchImpl });
    await expect(gone.list()).rejects.toMatchObject({ status: 0 });
  });

  it('streams events with a fetch, and reconnects after the stream drops', async () => {
    const api = createHttpApi({ token: TOKEN, baseUrl: base, fetch: fetchImpl });
    const messages: SupervisorMessage[] = [];
    const states: ConnectionInfo['state'][] = [];
    const stop = api.subscribe(
      (m) => messages.push(m),
      (c) => states.push(c.state),
    );
    try {
      await until(() => messages.length === 1, 'the first status');
      expect(messages[0]).toMatchObject({ type: 'status', data: { id: 'web' } });
      const line = { id: 'web', line: { ts: '2024-05-01T10:00:00.000Z', stream: 'stderr', text: 'boom' } };
      streams[0]?.write(`event: log\ndata: ${JSON.stringify(line)}\n\n`);
      streams[0]?.write(`: keep-alive\n\n`);
      await until(() => messages.length === 2, 'the log line');
      expect(messages[1]).toEqual({ type: 'log', data: line });

      streams[0]?.destroy();
      await until(() => states.includes('retrying'), 'the retrying state');
      await until(() => streams.length === 2 && states.at(-1) === 'open', 'the reconnect');
      expect(states).toEqual(['connecting', 'open', 'retrying', 'open']);
      expect(seen.filter((s) => s.url === '/api/events').every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      stop();
    }
  });

  it('stops retrying when the daemon refuses the token', async () => {
    refuseStreams = true;
    const api = createHttpApi({ token: TOKEN, baseUrl: base, fetch: fetchImpl });
    const states: ConnectionInfo[] = [];
    const stop = api.subscribe(
      () => undefined,
      (c) => states.push(c),
    );
    try {
      await until(() => states.some((c) => c.state === 'unauthorized'), 'unauthorized');
      expect(states.at(-1)).toEqual({ state: 'unauthorized', message: 'missing or wrong bearer token' });
      const attempts = seen.filter((s) => s.url === '/api/events').length;
      // Proving that nothing happens takes a window of time: longer than the first retry delay (≤ 600 ms).
      await new Promise((r) => setTimeout(r, 900));
      expect(seen.filter((s) => s.url === '/api/events').length).toBe(attempts);
    } finally {
      stop();
    }
  });
});

describe('token from the URL fragment', () => {
  it('keeps the token for this tab and removes it from the address bar', () => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/#token=abc123');
    const token = takeToken({ location: window.location, history: window.history, storage: window.sessionStorage });
    expect(token).toBe('abc123');
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain('abc123');
    // A reload (no fragment any more) still finds it.
    expect(takeToken({ location: window.location, history: window.history, storage: window.sessionStorage })).toBe('abc123');
  });
});

describe('ipc transport', () => {
  it('passes calls through and rebuilds errors that crossed the bridge', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    fake.overrides.act = () => Promise.reject(new Error("Error invoking remote method 'hypha:act': Error: unknown service: nope"));
    const api = createIpcApi(fake.api);
    expect((await api.list()).map((s) => s.id)).toEqual(['web']);
    await expect(api.act('start', 'nope')).rejects.toMatchObject({ message: 'unknown service: nope', status: 500 });
    expect(toHyphaError({ error: 'no such service', status: 404 })).toMatchObject({ message: 'no such service', status: 404 });
  });
});
