// A second Hypha, end to end with two real daemons: A adds B through a tunnel (as `ssh -L` would
// give it), lists B's services through A, restarts one of B's services through A (B's own API
// shows the new pid), and refuses a wrong token, an unreachable URL and a tunnel without the
// remote's port with messages that say what to do. A never hands out B's token.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteView } from '../../main/contract/remotes.js';
import type { ServiceStatus } from '../../main/contract/status.js';
import { createRemotes } from '../../main/core/remotes/remotes.js';
import { runTrayAction } from '../../main/desktop/tray-actions.js';
import { buildTrayMenu } from '../../main/desktop/tray-menu.js';
import { cleanUp, fixtureCommand, startDaemon, type Daemon } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { openTunnel, type Tunnel } from '../helpers/tunnel.js';
import { waitFor } from '../helpers/wait.js';

const CONFIG = (svc: string) => `api: { port: 0 }
services:
  ${svc}:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
`;

let a: Daemon;
let b: Daemon;
let tunnel: Tunnel;
let bPort = 0;

const post = (d: Daemon, path: string, json: unknown) =>
  d.api<{ error?: string; remote?: RemoteView }>('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });

beforeAll(async () => {
  [a, b] = await Promise.all([startDaemon(CONFIG('local')), startDaemon(CONFIG('web'))]);
  bPort = Number(new URL(b.info.url).port);
  tunnel = await openTunnel(bPort);
  await b.waitFor('web', (s) => s.status === 'online', 'online');
});

afterAll(async () => {
  await tunnel?.close();
  await a?.stop();
  await b?.stop();
  await cleanUp();
});

describe('adding a remote', () => {
  it('refuses a wrong token, saying the remote refused it, and saves nothing', async () => {
    const r = await post(a, '/api/remotes', { name: 'b', url: b.info.url, token: 'not-the-token' });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(/^b refused the token \(HTTP 401\): use the token from its daemon.json/);
    expect((await a.api<{ remotes: RemoteView[] }>('GET', '/api/remotes')).body.remotes).toEqual([]);
  });

  it('says a URL where nothing listens is unreachable', async () => {
    const port = await freePort();
    const r = await post(a, '/api/remotes', { name: 'b', url: `http://127.0.0.1:${port}`, token: b.info.token });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(new RegExp(`^cannot reach b at http://127.0.0.1:${port}: connection refused \\(is the ssh tunnel open`));
  });

  it('through a tunnel without the remote port, says the remote refused the Host and what to give', async () => {
    const r = await post(a, '/api/remotes', { name: 'b', url: tunnel.url, token: b.info.token });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(new RegExp(`^b refused the Host 127.0.0.1:${tunnel.port} \\(HTTP 403\\): .*give the port Hypha listens on there`));
  });

  it('refuses a bad name before asking anyone, and needs A\'s own token', async () => {
    const r = await post(a, '/api/remotes', { name: 'B!', url: tunnel.url, token: b.info.token });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/invalid remote name/);
    expect((await a.api('GET', '/api/remotes', { token: null })).status).toBe(401);
    expect((await a.api('POST', '/api/remotes/b/services/web/restart', { token: 'wrong' })).status).toBe(401);
  });

  it('adds B through the tunnel with the CLI, keeping the token in a 0600 file', async () => {
    const added = await a.cli(['remote', 'add', 'b', tunnel.url, '--token', b.info.token, '--remote-port', String(bPort)]);
    expect(added.stderr).toBe('');
    expect(added.stdout.trim()).toBe(`added b (${tunnel.url}): 1 of 1 online · v${b.info.version}`);
    expect(added.code).toBe(0);
    const file = `${a.home}/remotes.json`;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).remotes[0]).toMatchObject({ name: 'b', url: tunnel.url, remotePort: bPort, box: 'plain' });
    const again = await a.cli(['remote', 'add', 'b', tunnel.url, '--token', b.info.token, '--remote-port', String(bPort)]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a remote named "b" exists already \(pick another name, or replace it: hypha remote add --replace\)/);
    const replaced = await a.cli(['remote', 'add', 'b', tunnel.url, '--token', b.info.token, '--remote-port', String(bPort), '--replace']);
    expect(replaced.stdout.trim()).toBe(`saved b (${tunnel.url}): 1 of 1 online · v${b.info.version}`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).remotes).toHaveLength(1);
  });
});

describe('B through A', () => {
  it('lists B with its services, and never B\'s token', async () => {
    const r = await a.api<{ remotes: RemoteView[] }>('GET', '/api/remotes');
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(b.info.token);
    const [view] = r.body.remotes;
    expect(view).toMatchObject({ name: 'b', url: tunnel.url, remotePort: bPort, reachable: true, error: null, version: b.info.version });
    expect(view?.services?.map((s) => s.id)).toEqual(['web']);
    const listed = await a.cli(['remote', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^b\\s+${tunnel.url} \\(port ${bPort} there\\)\\s+1 of 1 online`, 'm'));
  });

  it('answers B\'s status and one service through the proxy', async () => {
    const list = await a.api<{ services: ServiceStatus[] }>('GET', '/api/remotes/b/services/status');
    expect(list.status).toBe(200);
    expect(list.body.services.map((s) => s.id)).toEqual(['web']);
    const one = await a.api<ServiceStatus>('GET', '/api/remotes/b/services/web');
    expect(one.body.pid).toBe((await b.status('web')).pid);
    const unknown = await a.api<{ error: string }>('GET', '/api/remotes/b/services/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('b: unknown service: nope');
    expect((await a.api<{ error: string }>('GET', '/api/remotes/c/services/status')).body.error).toMatch(/no remote named "c"/);
  });

  it('restarts a service of B through A: B\'s own API shows a new pid', async () => {
    const before = (await b.status('web')).pid;
    expect(before).toBeGreaterThan(0);
    const r = await a.api<{ ok: boolean; service: ServiceStatus }>('POST', '/api/remotes/b/services/web/restart');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    const after = await b.waitFor('web', (s) => s.status === 'online' && s.pid !== null && s.pid !== before, 'online with a new pid');
    expect(after.pid).not.toBe(before);
    expect(b.output()).not.toContain('unauthorized');
  });

  it('the tray shows B under its name from A\'s answer, and its Restart item restarts B\'s service', async () => {
    const { remotes } = (await a.api<{ remotes: RemoteView[] }>('GET', '/api/remotes')).body;
    const menu = buildTrayMenu([], { openAtLogin: false, notifications: false, remotes });
    const server = menu.find((i) => i.id === 'remote:b');
    expect(server?.label).toBe('b — 1 of 1 online');
    const web = server?.submenu?.find((i) => i.id === 'remote:b:service:web');
    const restart = web?.submenu?.find((i) => i.label === 'Restart');
    expect(restart?.enabled).toBe(true);
    // The desktop app acts through its own runtime's remotes, read from the same remotes.json.
    const inApp = createRemotes({ file: `${a.home}/remotes.json` });
    const before = (await b.status('web')).pid;
    await runTrayAction(restart!.action!, {
      supervisor: { act: () => Promise.reject(new Error('not local')), stopStrays: () => Promise.resolve([]) },
      remotes: inApp,
      showWindow: () => undefined,
      toggleLoginItem: async () => undefined,
      toggleNotifications: async () => undefined,
      quit: () => undefined,
    });
    await b.waitFor('web', (s) => s.status === 'online' && s.pid !== null && s.pid !== before, 'online with a new pid after the tray restart');
  });

  it('shows B unreachable, with why, once the tunnel is gone', async () => {
    await tunnel.close();
    const view = await waitFor(
      async () => {
        const [v] = (await a.api<{ remotes: RemoteView[] }>('GET', '/api/remotes')).body.remotes;
        return v && !v.reachable ? v : null;
      },
      { timeoutMs: 30_000, message: 'b unreachable' },
    );
    expect(view.error).toMatch(/^cannot reach b at .*: connection refused/);
    expect(view.services).toBeNull();
    const act = await a.api<{ error: string }>('POST', '/api/remotes/b/services/web/stop');
    expect(act.status).toBe(502);
    expect(act.body.error).toMatch(/connection refused/);
  });

  it('removes B', async () => {
    const removed = await a.cli(['remote', 'remove', 'b']);
    expect(removed.code).toBe(0);
    expect((await a.api<{ remotes: RemoteView[] }>('GET', '/api/remotes')).body.remotes).toEqual([]);
    const gone = await a.cli(['remote', 'remove', 'b']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no remote named "b"/);
  });
});
