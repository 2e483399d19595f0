// The tray's view of other Hyphas, as plain data under Node: a submenu per remote named after it,
// holding its services with the same actions as local ones (or why it cannot be reached); the
// action reaches the remote through the local daemon's remotes; and the keychain box that keeps
// their tokens in the desktop app.
import { describe, expect, it } from 'vitest';
import type { RemoteView } from '../../main/contract/remotes.js';
import type { ServiceStatus } from '../../main/contract/status.js';
import { keychainBox, type SafeStorageLike } from '../../main/desktop/keychain-box.js';
import { describeFailure, runTrayAction } from '../../main/desktop/tray-actions.js';
import { buildTrayMenu, type TrayMenuItem } from '../../main/desktop/tray-menu.js';

function svc(id: string, status: ServiceStatus['status'], state: ServiceStatus['state'], extra: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    id, name: id, type: 'daemon', status, state, health: 'none', statusCode: null, pid: state === 'running' ? 7 : null, port: null,
    autostart: true, restarts: 0, uptimeMs: null, lastExit: null, lastError: null, cpu: null, memoryBytes: null, dependsOn: [],
    nextRunAt: null, containment: 'tree', strays: [], ...extra,
  };
}

const view = (name: string, services: ServiceStatus[] | null, error: string | null = null): RemoteView => ({
  name, url: 'http://127.0.0.1:18765', remotePort: 8780, reachable: services !== null, error, version: '0.1.0', checkedAt: '2026-01-01T00:00:00.000Z', services,
});

const find = (items: readonly TrayMenuItem[], id: string): TrayMenuItem => {
  for (const i of items) {
    if (i.id === id) return i;
    if (i.submenu) {
      try {
        return find(i.submenu, id);
      } catch {
        // not in this branch
      }
    }
  }
  throw new Error(`no menu item ${id}`);
};

const base = { openAtLogin: false, notifications: true };

describe('remotes in the tray menu', () => {
  it('adds nothing when there are no remotes', () => {
    expect(buildTrayMenu([], { ...base, remotes: [] })).toEqual(buildTrayMenu([], base));
  });

  it('shows each remote as a submenu named after it, with its services and the same actions', () => {
    const menu = buildTrayMenu([svc('local', 'online', 'running')], {
      ...base,
      remotes: [view('server', [svc('web', 'online', 'running', { name: 'Web' }), svc('docs', 'offline', 'stopped'), svc('job', 'completed', 'completed', { type: 'oneshot' })])],
    });
    const ids = menu.map((i) => i.id);
    expect(ids.indexOf('remote:server')).toBeGreaterThan(ids.indexOf('service:local'));
    expect(ids.indexOf('remote:server')).toBeLessThan(ids.indexOf('start-all'));
    const server = find(menu, 'remote:server');
    expect(server.label).toBe('server — 1 of 2 online');
    expect(server.submenu?.map((i) => i.label)).toEqual(['Web — online', 'docs — offline', 'job — completed']);
    const web = find(menu, 'remote:server:service:web');
    expect(web.submenu?.map((i) => [i.label, i.enabled])).toEqual([['Start', false], ['Stop', true], ['Restart', true]]);
    expect(find(menu, 'remote:server:service:web:restart').action).toEqual({ kind: 'remote', remote: 'server', action: 'restart', id: 'web' });
    expect(find(menu, 'remote:server:service:docs:start').enabled).toBe(true);
    expect(find(menu, 'remote:server:service:job').submenu?.map((i) => i.label)).toEqual(['Run now', 'Stop']);
  });

  it('says why a remote cannot be reached, clipped so the menu stays narrow', () => {
    const why = `cannot reach server at http://127.0.0.1:18765: connection refused ${'x'.repeat(100)}`;
    const menu = buildTrayMenu([], { ...base, remotes: [view('server', null, why)] });
    const server = find(menu, 'remote:server');
    expect(server.label).toBe('server — unreachable');
    const line = find(menu, 'remote:server:error');
    expect(line.enabled).toBe(false);
    expect(line.label).toMatch(/^cannot reach server at .*connection refused x+…$/);
    expect(line.label?.length).toBe(80);
  });

  it('always offers "Add another machine…", which opens the window on the form', async () => {
    const menu = buildTrayMenu([], base);
    const add = find(menu, 'add-remote');
    expect(add.label).toBe('Add another machine…');
    const routes: (string | undefined)[] = [];
    await runTrayAction(add.action!, {
      supervisor: { act: async () => [], stopStrays: async () => [] },
      showWindow: (route) => routes.push(route),
      toggleLoginItem: async () => undefined,
      toggleNotifications: async () => undefined,
      quit: () => undefined,
    });
    expect(routes).toEqual(['/add-remote']);
  });

  it('runs a remote action through the remotes, and names the remote when it fails', async () => {
    const calls: string[] = [];
    const deps = {
      supervisor: { act: () => Promise.reject(new Error('not local')), stopStrays: () => Promise.resolve([]) },
      remotes: { act: async (remote: string, action: string, id: string) => (calls.push(`${remote} ${action} ${id}`), []) },
      showWindow: () => undefined,
      toggleLoginItem: async () => undefined,
      toggleNotifications: async () => undefined,
      quit: () => undefined,
    };
    await runTrayAction({ kind: 'remote', remote: 'server', action: 'restart', id: 'web' }, deps);
    expect(calls).toEqual(['server restart web']);
    expect(describeFailure({ kind: 'remote', remote: 'server', action: 'restart', id: 'web' }, new Error('server refused the token (HTTP 401)'))).toBe(
      'Could not restart web on server: server refused the token (HTTP 401)',
    );
  });
});

describe('keychain box', () => {
  // A stand-in for Electron's safeStorage (it runs only inside Electron): XOR, visibly not plain.
  const fake = (available: boolean, backend?: string): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  });

  it('seals and opens a token when the keychain is there', () => {
    const box = keychainBox(fake(true), 'darwin');
    expect(box?.kind).toBe('safeStorage');
    const sealed = box?.seal('secret-token') ?? '';
    expect(sealed).not.toContain('secret-token');
    expect(box?.open(sealed)).toBe('secret-token');
  });

  it('gives no box (so the 0600 file is used) without encryption, or with Linux\'s basic_text fallback', () => {
    expect(keychainBox(fake(false), 'darwin')).toBeUndefined();
    expect(keychainBox(fake(true, 'basic_text'), 'linux')).toBeUndefined();
    expect(keychainBox(fake(true, 'gnome_libsecret'), 'linux')?.kind).toBe('safeStorage');
  });
});
