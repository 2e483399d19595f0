// The main-side paths of the desktop shell — IPC dispatch and tray actions — driven against a
// real Hypha runtime with real child processes. Only the Electron objects (window, app) are
// stand-ins, recorded as plain callbacks, because Electron cannot run here.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHypha, type HyphaRuntime } from '../../main/host/runtime.js';
import type { ServiceStatus } from '../../main/contract/status.js';
import { dispatchIpc } from '../../main/desktop/ipc-validate.js';
import { supervisorHandlers } from '../../main/desktop/ipc-handlers.js';
import { describeFailure, runTrayAction, serviceRoute, type TrayActionDeps } from '../../main/desktop/tray-actions.js';
import { aggregateState, buildTrayMenu } from '../../main/desktop/tray-menu.js';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');
let dir: string;
let runtime: HyphaRuntime;
const pids = new Set<number>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const status = (id: string): ServiceStatus => runtime.supervisor.get(id);
const track = (id: string): void => {
  const pid = status(id).pid;
  if (pid) pids.add(pid);
};

const windowRoutes: (string | undefined)[] = [];
let toggles = 0;
let quits = 0;
const deps = (): TrayActionDeps => ({
  supervisor: runtime.supervisor,
  showWindow: (route) => windowRoutes.push(route),
  toggleLoginItem: async () => {
    toggles += 1;
  },
  toggleNotifications: async () => {
    toggles += 1;
  },
  quit: () => {
    quits += 1;
  },
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hypha-desktop-bridge-'));
  const config = path.join(dir, 'hypha.yaml');
  await writeFile(
    config,
    [
      'api:',
      '  port: 0',
      'services:',
      '  web:',
      '    name: Web Server',
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(fixtures, 'http-server.mjs'))}]`,
      '    env: { PORT: "0" }',
      '    autostart: false',
      '    stop: { timeout: 3s }',
      '  job:',
      '    type: oneshot',
      `    command: [${JSON.stringify(process.execPath)}, "-e", "console.log('job ran')"]`,
      '    autostart: false',
      '',
    ].join('\n'),
  );
  runtime = await startHypha({ configPath: config, home: path.join(dir, 'home'), log: () => undefined });
});

afterAll(async () => {
  await runtime?.dispose();
  for (const pid of pids) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(dir, { recursive: true, force: true });
});

describe('IPC calls against a real supervisor', () => {
  it('list and info answer with the configured services', async () => {
    const handlers = supervisorHandlers(runtime.supervisor);
    const list = await dispatchIpc(handlers, 'list', []);
    expect('ok' in list && list.ok.map((s) => s.id)).toEqual(['web', 'job']);
    const info = await dispatchIpc(handlers, 'info', []);
    expect(info).toEqual({ ok: { version: runtime.supervisor.version, configFile: path.join(dir, 'hypha.yaml'), profile: null } });
    const settings = await dispatchIpc(handlers, 'settings', ['web']);
    expect('ok' in settings && settings.ok.name).toBe('Web Server');
  });

  it('starts a service, reads its logs, and turns bad calls into {error} with a status', async () => {
    const handlers = supervisorHandlers(runtime.supervisor);
    const started = await dispatchIpc(handlers, 'act', ['start', 'web']);
    expect('ok' in started).toBe(true);
    await until('web online', () => status('web').status === 'online');
    track('web');
    await until('web logs', () => runtime.supervisor.logs('web', 50).some((l) => l.text.includes('listening port=')));
    const logs = await dispatchIpc(handlers, 'logs', ['web', 50]);
    expect('ok' in logs && logs.ok.some((l) => l.text.startsWith('ready pid='))).toBe(true);

    expect(await dispatchIpc(handlers, 'act', ['start', 'ghost'])).toEqual({ error: { message: expect.stringContaining('ghost'), status: 404 } });
    expect(await dispatchIpc(handlers, 'act', ['explode', 'web'])).toMatchObject({ error: { status: 400 } });
    expect(await dispatchIpc(handlers, 'logs', ['web', -5])).toMatchObject({ error: { status: 400 } });
    expect(await dispatchIpc(handlers, 'events', ['../web'])).toMatchObject({ error: { status: 400 } });
    // A refused call changed nothing.
    expect(status('web').status).toBe('online');
  });
});

describe('tray actions against a real supervisor', () => {
  it('stops a service from its submenu, and the menu follows', async () => {
    await until('web online', () => status('web').status === 'online');
    const pid = status('web').pid;
    expect(aggregateState(runtime.supervisor.list())).toBe('online');
    const stop = buildTrayMenu(runtime.supervisor.list(), { openAtLogin: false, notifications: true })
      .find((i) => i.id === 'service:web')
      ?.submenu?.find((i) => i.id === 'service:web:stop');
    expect(stop?.enabled).toBe(true);
    await runTrayAction(stop!.action!, deps());
    await until('web offline', () => status('web').status === 'offline');
    expect(pid !== null && isAlive(pid)).toBe(false);
    expect(aggregateState(runtime.supervisor.list())).toBe('stopped');
  });

  it('runs a oneshot now', async () => {
    await runTrayAction({ kind: 'service', action: 'run', id: 'job' }, deps());
    await until('job completed', () => status('job').status === 'completed');
    expect(runtime.supervisor.logs('job', 20).some((l) => l.text === 'job ran')).toBe(true);
  });

  it('Start all and Stop all act on every service', async () => {
    await runTrayAction({ kind: 'all', action: 'start' }, deps());
    await until('web online', () => status('web').status === 'online');
    track('web');
    await runTrayAction({ kind: 'all', action: 'stop' }, deps());
    await until('all at rest', () => runtime.supervisor.list().every((s) => s.status === 'offline' || s.status === 'completed'));
  });

  it('Show logs opens the window on the service, the rest reach their handlers', async () => {
    await runTrayAction({ kind: 'show-logs', id: 'web' }, deps());
    await runTrayAction({ kind: 'open-window' }, deps());
    expect(windowRoutes).toEqual(['/service/web', undefined]);
    expect(serviceRoute('my_svc-1')).toBe('/service/my_svc-1');
    await runTrayAction({ kind: 'toggle-login-item' }, deps());
    await runTrayAction({ kind: 'toggle-notifications' }, deps());
    await runTrayAction({ kind: 'quit' }, deps());
    expect([toggles, quits]).toEqual([2, 1]);
  });

  it('a failing action rejects with a message a person can act on', async () => {
    const action = { kind: 'service', action: 'restart', id: 'ghost' } as const;
    const error = await runTrayAction(action, deps()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(describeFailure(action, error)).toMatch(/^Could not restart ghost: .*ghost/);
    await expect(runTrayAction({ kind: 'stop-strays', ids: ['ghost'] }, deps())).rejects.toThrow(/could not stop strays — ghost: /);
    // Stopping strays of a service that has none ends nothing.
    await runTrayAction({ kind: 'stop-strays', ids: ['web'] }, deps());
  });
});
