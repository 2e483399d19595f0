// Issue #2 "Bad input gets a clear answer, and nothing is lost": each bad service definition ends
// `failed` with a one-line lastError (never a stack trace, never a crash loop), each bad request
// gets a 4xx JSON error, and a healthy service running beside them keeps its pid throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnFixture, tempDir, waitFor, type Fixture } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';
import type { ServiceStatus } from '../../main/contract/status.js';

const STACK = /\n|\bat [^\s]+ \(|\bat .+:\d+:\d+|node:internal/;

let d: Daemon;
let dir: string;
let webPid: number;
let heldPort: number;
let holder: Fixture;
let stampFile: string;

async function expectWebUntouched(): Promise<void> {
  const web = await d.status('web');
  expect(web.pid).toBe(webPid);
  expect(web.status).toBe('online');
  expect(web.restarts).toBe(0);
}

function expectOneLine(s: ServiceStatus): string {
  expect(s.lastError, s.id).not.toBeNull();
  expect(s.lastError as string, s.id).not.toMatch(STACK);
  expect((s.lastError as string).length, s.id).toBeLessThan(300);
  return s.lastError as string;
}

beforeAll(async () => {
  dir = tempDir('hypha-bad-');
  stampFile = join(dir, 'stamps');
  mkdirSync(join(dir, 'env-is-a-folder'));
  const webPort = await freePort();
  heldPort = await freePort();
  holder = spawnFixture('port-holder', { PORT: String(heldPort) });
  await holder.waitForOutput(/listening port=\d+/);
  d = await startDaemon(
    `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${webPort}" }
    port: ${webPort}
    health:
      http: http://127.0.0.1:${webPort}/health
      interval: 200ms
  nf-array:
    command: ["hypha-no-such-command-xyz", "--serve"]
  nf-shell:
    command: "hypha-no-such-command-xyz --serve"
  nf-path:
    command: ["./bin/not-here", "x"]
  no-cwd:
    command: ${fixtureCommand('http-server.mjs')}
    cwd: ./no/such/folder
  taken:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${heldPort}", STAMP_FILE: ${q(stampFile)} }
    port: ${heldPort}
  env-missing:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
    env_file: ./no-such.env
  env-folder:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
    env_file: ./env-is-a-folder
`,
    { dir },
  );
  webPid = (await d.waitFor('web', (s) => s.status === 'online', 'online')).pid as number;
});

afterAll(async () => {
  await d?.stop();
  await cleanUp();
});

describe('bad service definitions end failed with one clear line', () => {
  const expected: [string, RegExp][] = [
    ['nf-array', /^command not found: hypha-no-such-command-xyz$/],
    ['nf-shell', /^command not found: hypha-no-such-command-xyz$/], // the shell's words, without their repeats
    ['nf-path', /^command not found: .*bin\/not-here$/],
    ['no-cwd', /^cwd missing: .*\/no\/such\/folder$/],
    ['env-missing', /^cannot read env_file .*no-such\.env: ENOENT$/],
    ['env-folder', /^cannot read env_file .*env-is-a-folder: EISDIR$/],
  ];

  it('at startup, and again on a manual start (API and CLI), with no crash loop', async () => {
    for (const [id, pattern] of expected) {
      const s = await d.waitFor(id, (x) => x.state === 'failed', 'failed');
      expect(s.status).toBe('failed');
      expect(s.pid).toBeNull();
      expect(s.restarts).toBe(0);
      expect(expectOneLine(s)).toMatch(pattern);
    }
    for (const [id, pattern] of expected) {
      const r = await d.api<{ ok: boolean; service: ServiceStatus }>('POST', `/api/services/${id}/start`);
      expect(r.status, id).toBe(200);
      expect(r.body.ok).toBe(true);
      const s = await d.waitFor(id, (x) => x.state === 'failed', 'failed again');
      expect(expectOneLine(s)).toMatch(pattern);
      expect(s.restarts).toBe(0);

      const cli = await d.cli(['start', id]);
      expect(cli.code, id).toBe(1);
      const line = cli.stderr.trimEnd();
      expect(line.split('\n'), id).toHaveLength(1);
      expect(line.startsWith(`${id}: failed — `), line).toBe(true);
      expect(line.slice(`${id}: failed — `.length)).toMatch(pattern);
    }
    await expectWebUntouched();
  });

  it('a taken port: failed at once naming the holder, and the service is never spawned', async () => {
    const s = await d.waitFor('taken', (x) => x.state === 'failed', 'failed');
    const line = expectOneLine(s);
    expect(line).toContain(`port ${heldPort}`);
    expect(line).toContain(`pid ${holder.pid}`);
    expect(line).toContain('port-holder.mjs');
    expect(s.restarts).toBe(0);
    expect(s.pid).toBeNull();
    // SPEC §6: a process Hypha did not start that holds a service's port is one of its strays.
    const scan = await d.api<{ services: { id: string; strays: { pid: number; reason?: string }[] }[] }>('GET', '/api/strays?id=taken');
    expect(scan.status).toBe(200);
    expect(scan.body.services[0]?.strays.map((x) => x.pid)).toContain(holder.pid);

    // Asked again and again: still no spawn, and the holder is left alone (Hypha did not start it).
    for (let i = 0; i < 3; i++) {
      expect((await d.api('POST', '/api/services/taken/start')).status).toBe(200);
      await d.waitFor('taken', (x) => x.state === 'failed', 'failed again');
    }
    const cli = await d.cli(['start', 'taken']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`pid ${holder.pid}`);
    expect(existsSync(stampFile)).toBe(false);
    expect(holder.child.exitCode).toBeNull();
    await expectWebUntouched();

    // Once the port is free, the same service starts: the stamp file works, so its absence above meant something.
    holder.child.kill('SIGKILL');
    await holder.exited;
    const ok = await d.cli(['start', 'taken']);
    expect(ok.code, ok.stderr).toBe(0);
    await waitFor(() => existsSync(stampFile), { message: 'the stamp of the first real spawn' });
    expect(readFileSync(stampFile, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await d.status('taken')).lastError).toBeNull();
    await expectWebUntouched();
  });

  it('the daemon output has the reasons, and no stack trace', async () => {
    const out = d.output();
    expect(out).toContain('nf-array: command not found: hypha-no-such-command-xyz');
    expect(out).toContain('no-cwd: cwd missing:');
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(out).not.toMatch(/internal error|TypeError|ReferenceError/);
  });
});

describe('bad requests get a 4xx JSON error and change nothing', () => {
  it('an unknown service id: API 404, CLI exit 2', async () => {
    for (const [method, path] of [
      ['GET', '/api/services/ghost'],
      ['GET', '/api/services/ghost/logs?lines=5'],
      ['POST', '/api/services/ghost/start'],
      ['POST', '/api/services/ghost/stop'],
      ['POST', '/api/services/ghost/restart'],
      ['POST', '/api/services/ghost/run'],
      ['POST', '/api/services/ghost/strays/stop'],
      ['GET', '/api/strays?id=ghost'],
      ['GET', `/api/services/${'x'.repeat(300)}`],
      ['GET', '/api/services/Web'],
      ['GET', '/api/services/%00'],
    ] as const) {
      const r = await d.api<{ error: string }>(method, path);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(r.body.error).toMatch(/^unknown service: /);
      expect(r.body.error.length).toBeLessThan(120);
    }
    for (const args of [['start', 'ghost'], ['stop', 'ghost'], ['restart', 'ghost'], ['logs', 'ghost'], ['strays', 'ghost']]) {
      const r = await d.cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('hypha: unknown service: ghost\n');
    }
    await expectWebUntouched();
  });

  it('garbage request bodies: 400 JSON, and the command is not carried out', async () => {
    const bodies: [string, Record<string, string>][] = [
      ['{{{ not json', { 'content-type': 'application/json' }],
      ['id=web&action=stop', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['\u0000\u0001\u0002\u00ff\ufffd', { 'content-type': 'application/octet-stream' }],
      ['{"id": "web"', {}],
      ['<xml/>', { 'content-type': 'text/xml' }],
    ];
    for (const action of ['stop', 'restart']) {
      for (const [body, headers] of bodies) {
        const r = await d.api<{ error: string }>('POST', `/api/services/web/${action}`, { body, headers });
        expect(r.status, `${action} ${JSON.stringify(body)}`).toBe(400);
        expect(Object.keys(r.body)).toEqual(['error']);
        expect(r.body.error).not.toMatch(STACK);
      }
    }
    const reload = await d.api<{ error: string }>('POST', '/api/reload', { body: 'garbage' });
    expect(reload.status).toBe(400);
    await expectWebUntouched();
    // An empty body or JSON is fine (clients that always send one).
    for (const body of ['', '{}', 'null', '  \n']) {
      const r = await d.api<{ ok: boolean }>('POST', '/api/services/taken/stop', { body, headers: { 'content-type': 'application/json' } });
      expect(r.status, JSON.stringify(body)).toBe(200);
    }
    await expectWebUntouched();
  });

  it('bad query values and percent-encoding: 400 JSON', async () => {
    for (const path of ['/api/services/web/logs?lines=-5', '/api/services/web/logs?lines=ten', '/api/services/%zz', '/api/services/web%E0%A4%A/logs']) {
      const r = await d.api<{ error: string }>('GET', path);
      expect(r.status, path).toBe(400);
      expect(typeof r.body.error).toBe('string');
      expect(r.body.error).not.toMatch(STACK);
    }
    await expectWebUntouched();
  });

  it('nothing is lost: the daemon still answers, and the healthy service kept its run and its logs', async () => {
    expect((await d.api('GET', '/api/ping', { token: null })).status).toBe(200);
    await expectWebUntouched();
    const logs = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/web/logs?lines=1000');
    expect(logs.body.lines.some((l) => l.text === `ready pid=${webPid}`)).toBe(true);
    const all = await d.list();
    expect(all.map((s) => s.id)).toEqual(['web', 'nf-array', 'nf-shell', 'nf-path', 'no-cwd', 'taken', 'env-missing', 'env-folder']);
  });
});
