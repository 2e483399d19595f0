// SPEC §3 and §6 "Order of checks", proven against the real daemon over raw HTTP: the Host check
// before everything, the bearer token on every /api route but ping, no CORS, JSON errors with
// fitting statuses, bounded bodies, no path traversal, daemon.json, and a loopback-only listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureCommand, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with a Host header of our choosing (fetch will not send a foreign one). */
function raw(port: number, opts: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        // An SSE stream never ends: the status and headers are all we need from it.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          return;
        }
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${opts.method ?? 'GET'} ${opts.path}`)));
    req.end(opts.body);
  });
}

function jsonError(a: RawAnswer): string {
  expect(a.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(a.body) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  expect(String(body.error)).not.toMatch(/\n|\bat .+:\d+:\d+/);
  return body.error as string;
}

/** Every route of the control API but ping, as [method, path]. */
const PROTECTED: [string, string][] = [
  ['GET', '/api/services/status'],
  ['GET', '/api/services/web'],
  ['GET', '/api/services/web/logs?lines=5'],
  ['GET', '/api/services/web/events'],
  ['GET', '/api/services/web/config'],
  ['POST', '/api/services/web/start'],
  ['POST', '/api/services/web/stop'],
  ['POST', '/api/services/web/restart'],
  ['POST', '/api/services/web/run'],
  ['POST', '/api/services/all/stop'],
  ['POST', '/api/services/web/strays/stop'],
  ['GET', '/api/strays'],
  ['GET', '/api/events'],
  ['POST', '/api/reload'],
  ['GET', '/api/info'],
  ['GET', '/api/nothing-here'],
  ['GET', '/metrics'],
];

let d: Daemon;
let port: number;
let webPid: number;

beforeAll(async () => {
  d = await startDaemon(`api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
`);
  port = Number(new URL(d.info.url).port);
  webPid = (await d.waitFor('web', (s) => s.state === 'running', 'running')).pid as number;
});

afterAll(async () => {
  await d?.stop();
  await cleanUp();
});

describe('Host check (first, on every route)', () => {
  const routes: [string, string][] = [['GET', '/api/ping'], ['GET', '/'], ['GET', '/index.html'], ...PROTECTED];

  it('a foreign Host gets 403 on every route, with or without the token', async () => {
    const other = port === 65535 ? port - 1 : port + 1;
    for (const host of ['evil.com', `evil.com:${port}`, `127.0.0.1:${other}`, `localhost:${other}`, '127.0.0.1', `127.0.0.2:${port}`, `0.0.0.0:${port}`, `localhost.evil.com:${port}`]) {
      for (const [method, path] of routes) {
        for (const headers of [{}, { authorization: `Bearer ${d.info.token}` }] as Record<string, string>[]) {
          const a = await raw(port, { method, path, host, headers });
          expect(a.status, `${method} ${path} Host: ${host}`).toBe(403);
          jsonError(a);
        }
      }
    }
    // Nothing above reached the service.
    expect((await d.status('web')).pid).toBe(webPid);
  });

  it('accepts 127.0.0.1:P, localhost:P and [::1]:P', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const ping = await raw(port, { path: '/api/ping', host });
      expect(ping.status, host).toBe(200);
      expect(JSON.parse(ping.body)).toEqual({ ok: true, version: d.info.version });
      const status = await raw(port, { path: '/api/services/status', host, headers: { authorization: `Bearer ${d.info.token}` } });
      expect(status.status, host).toBe(200);
      const root = await raw(port, { path: '/', host });
      expect(root.status, host).toBe(200);
    }
  });
});

describe('bearer token', () => {
  it('every /api route but ping answers 401 without it or with a wrong one', async () => {
    const wrong = ['', `Bearer ${d.info.token}x`, `Bearer ${d.info.token.slice(1)}`, `Basic ${d.info.token}`, d.info.token, 'Bearer', `Bearer  `];
    for (const [method, path] of PROTECTED) {
      for (const auth of [null, ...wrong]) {
        const a = await raw(port, { method, path, headers: auth === null ? {} : { authorization: auth } });
        expect(a.status, `${method} ${path} with ${JSON.stringify(auth)}`).toBe(401);
        expect(jsonError(a)).toMatch(/token/);
      }
    }
    // The 401s acted on nothing: the service kept its run.
    const s = await d.status('web');
    expect(s.pid).toBe(webPid);
    expect(s.state).toBe('running');
  });

  it('ping needs no token and says the version', async () => {
    const a = await raw(port, { path: '/api/ping' });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ ok: true, version: d.info.version });
  });
});

describe('no CORS', () => {
  it('sends no Access-Control header, to a preflight or a real request', async () => {
    const origin = { origin: 'http://evil.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' };
    const answers = [
      await raw(port, { method: 'OPTIONS', path: '/api/services/web/stop', headers: origin }),
      await raw(port, { method: 'OPTIONS', path: '/api/ping', headers: origin }),
      await raw(port, { path: '/api/ping', headers: { origin: 'http://evil.com' } }),
      await raw(port, { path: '/api/services/status', headers: { origin: 'http://evil.com', authorization: `Bearer ${d.info.token}` } }),
      await raw(port, { path: '/', headers: { origin: 'http://evil.com' } }),
    ];
    for (const a of answers) {
      expect(a.status).not.toBe(204);
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('errors are JSON with a fitting status', () => {
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${d.info.token}` });

  it('404 for an unknown id or route', async () => {
    for (const path of ['/api/services/nope', '/api/services/nope/logs', '/api/services/all', '/api/nothing', '/api', '/api/services/web/bogus']) {
      const a = await raw(port, { path, headers: auth() });
      expect(a.status, path).toBe(404);
      jsonError(a);
    }
    for (const action of ['start', 'stop', 'restart', 'run']) {
      const a = await raw(port, { method: 'POST', path: `/api/services/nope/${action}`, headers: auth() });
      expect(a.status, action).toBe(404);
      expect(jsonError(a)).toBe('unknown service: nope');
    }
  });

  it('405 for a wrong method', async () => {
    const cases: [string, string][] = [
      ['DELETE', '/api/services/web'],
      ['POST', '/api/services/web'],
      ['GET', '/api/services/web/start'],
      ['PUT', '/api/services/web/stop'],
      ['POST', '/api/services/status'],
      ['POST', '/api/services/web/logs'],
      ['GET', '/api/reload'],
      ['POST', '/api/events'],
      ['GET', '/api/services/web/strays/stop'],
      ['POST', '/metrics'],
      ['PUT', '/api/ping'],
      ['POST', '/'],
      ['DELETE', '/index.html'],
    ];
    for (const [method, path] of cases) {
      const a = await raw(port, { method, path, headers: auth() });
      expect(a.status, `${method} ${path}`).toBe(405);
      jsonError(a);
    }
    expect((await d.status('web')).pid).toBe(webPid);
  });

  it('413 for a body over 1 MB, declared or chunked, and the daemon goes on', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x7b);
    const declared = await raw(port, { method: 'POST', path: '/api/services/web/stop', headers: { ...auth(), 'content-length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    expect(jsonError(declared)).toMatch(/too large/);

    // Chunked: the limit is only found while reading. The 413 must still reach the sender.
    const chunked = await new Promise<RawAnswer>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/services/web/stop', headers: { ...auth(), 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      const piece = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40) {
          sent++;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(chunked.status).toBe(413);
    jsonError(chunked);

    // Neither was taken for a stop.
    const s = await d.status('web');
    expect(s.pid).toBe(webPid);
    expect(s.state).toBe('running');
  });
});

describe('path traversal', () => {
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${d.info.token}` });
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0] as string;
  const pkg = readFileSync(join(ROOT, 'package.json'), 'utf8');

  it('ids with ../ are unknown services, never files', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2f..', '%2e%2e', '..', '.%2E', 'web%2F..%2F..', '%2E%2E%2F%2E%2E%2Fpackage.json']) {
      for (const suffix of ['', '/logs', '/start']) {
        const a = await raw(port, { method: suffix === '/start' ? 'POST' : 'GET', path: `/api/services/${id}${suffix}`, headers: auth() });
        expect(a.status, `${id}${suffix}`).toBeGreaterThanOrEqual(400);
        expect(a.status, `${id}${suffix}`).toBeLessThan(500);
        expect(a.body).not.toContain(passwd);
        expect(a.body).not.toContain('"devDependencies"');
      }
    }
    const badEncoding = await raw(port, { path: '/api/services/%E0%A4%A/logs', headers: auth() });
    expect(badEncoding.status).toBe(400);
    jsonError(badEncoding);
  });

  it('static paths outside the dashboard are 4xx, never file contents', async () => {
    const paths = [
      '/../../etc/passwd',
      '/../../../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e/',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/assets/../../../package.json',
      '/%00',
      '/index.html%00.png',
      '//etc/passwd',
      '/etc/passwd',
    ];
    for (const path of paths) {
      const a = await raw(port, { path });
      expect(a.status, path).toBeGreaterThanOrEqual(400);
      expect(a.status, path).toBeLessThan(500);
      expect(a.body, path).not.toContain(passwd);
      expect(a.body, path).not.toBe(pkg);
    }
  });
});

describe('daemon.json and the listener', () => {
  it('daemon.json is mode 0600 with {pid, url, token, version, startedAt}; url is the origin', () => {
    const file = join(d.home, 'daemon.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['pid', 'startedAt', 'token', 'url', 'version']);
    expect(info.pid).toBe(d.pid);
    expect(info.url).toBe(`http://127.0.0.1:${port}`);
    expect(new URL(info.url as string).origin).toBe(info.url);
    expect(info.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(typeof info.token).toBe('string');
    expect((info.token as string).length).toBeGreaterThanOrEqual(24);
    expect(Number.isNaN(Date.parse(info.startedAt as string))).toBe(false);
    expect(Math.abs(Date.now() - Date.parse(info.startedAt as string))).toBeLessThan(10 * 60_000);
  });

  it('listens on 127.0.0.1 only', async () => {
    const refused = (host: string, family: 4 | 6): Promise<string> =>
      new Promise((resolve) => {
        const s = net.connect({ host, port, family });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    expect(await refused('127.0.0.1', 4)).toBe('connected');
    if (process.platform === 'linux') {
      // All of 127/8 reaches the loopback device, but only a socket bound to 0.0.0.0 would answer.
      expect(await refused('127.0.0.2', 4)).toBe('ECONNREFUSED');
      const hex = port.toString(16).toUpperCase().padStart(4, '0');
      const listeners = (file: string): string[] => {
        try {
          return readFileSync(file, 'utf8')
            .split('\n')
            .slice(1)
            .map((l) => l.trim().split(/\s+/))
            .filter((f) => f[3] === '0A' && f[1]?.endsWith(`:${hex}`))
            .map((f) => f[1] as string);
        } catch {
          return [];
        }
      };
      expect(listeners('/proc/net/tcp')).toEqual([`0100007F:${hex}`]);
      expect(listeners('/proc/net/tcp6')).toEqual([]);
    }
    expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EAFNOSUPPORT']).toContain(await refused('::1', 6));
  });
});
