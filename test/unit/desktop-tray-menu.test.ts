import { describe, expect, it } from 'vitest';
import type { ServiceStatus, Status } from '../../main/contract/status.js';
import {
  aggregateState,
  buildTrayMenu,
  trayIconName,
  trayTooltip,
  type AggregateState,
  type TrayMenuItem,
} from '../../main/desktop/tray-menu.js';

const STATE_OF: Record<Status, ServiceStatus['state']> = {
  online: 'running',
  starting: 'starting',
  unhealthy: 'running',
  stopping: 'stopping',
  offline: 'stopped',
  backoff: 'backoff',
  failed: 'failed',
  completed: 'completed',
};

function svc(id: string, status: Status, extra: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    id,
    name: extra.name ?? id,
    type: 'daemon',
    status,
    state: STATE_OF[status],
    health: status === 'unhealthy' ? 'unhealthy' : 'none',
    statusCode: null,
    pid: STATE_OF[status] === 'running' ? 4242 : null,
    port: null,
    autostart: true,
    restarts: 0,
    uptimeMs: null,
    lastExit: null,
    lastError: null,
    cpu: null,
    memoryBytes: null,
    dependsOn: [],
    nextRunAt: null,
    containment: 'tree',
    strays: [],
    ...extra,
  };
}

const stray = (pid: number) => ({ pid, command: 'node mycobrain.mjs', startedAt: null, ancestry: [] });
const opts = { openAtLogin: false, notifications: true };

function find(menu: readonly TrayMenuItem[], id: string): TrayMenuItem {
  for (const item of menu) {
    if (item.id === id) return item;
    const inner = item.submenu ? findOrNull(item.submenu, id) : null;
    if (inner) return inner;
  }
  throw new Error(`no menu item ${id} in ${menu.map((i) => i.id).join(', ')}`);
}
function findOrNull(menu: readonly TrayMenuItem[], id: string): TrayMenuItem | null {
  try {
    return find(menu, id);
  } catch {
    return null;
  }
}
const labels = (menu: readonly TrayMenuItem[]) => menu.filter((i) => i.type !== 'separator').map((i) => i.label);

describe('aggregateState', () => {
  const cases: [string, ServiceStatus[], AggregateState][] = [
    ['every service online', [svc('a', 'online'), svc('b', 'online')], 'online'],
    ['online with a completed oneshot', [svc('a', 'online'), svc('job', 'completed', { type: 'oneshot' })], 'online'],
    ['online with one stopped by hand', [svc('a', 'online'), svc('b', 'offline')], 'online'],
    ['one still starting', [svc('a', 'online'), svc('b', 'starting')], 'starting'],
    ['one in backoff', [svc('a', 'online'), svc('b', 'backoff')], 'starting'],
    ['one stopping', [svc('a', 'stopping'), svc('b', 'offline')], 'starting'],
    ['one unhealthy', [svc('a', 'online'), svc('b', 'unhealthy')], 'warning'],
    ['one failed, another starting', [svc('a', 'failed'), svc('b', 'starting')], 'warning'],
    ['strays of an online service', [svc('a', 'online', { strays: [stray(77)] })], 'warning'],
    ['all stopped', [svc('a', 'offline'), svc('b', 'offline')], 'stopped'],
    ['only completed oneshots', [svc('job', 'completed', { type: 'oneshot' })], 'stopped'],
    ['no services', [], 'stopped'],
  ];
  it.each(cases)('%s → %s', (_name, statuses, expected) => {
    expect(aggregateState(statuses)).toBe(expected);
  });
});

describe('trayIconName', () => {
  it('names a file per state and platform', () => {
    expect(trayIconName('online', 'darwin')).toBe('tray-onlineTemplate.png');
    expect(trayIconName('warning', 'win32')).toBe('tray-warning.png');
    expect(trayIconName('starting', 'linux')).toBe('tray-starting-32.png');
    expect(trayIconName('stopped', 'freebsd')).toBe('tray-stopped-32.png');
  });
});

describe('trayTooltip', () => {
  it('counts the online daemons', () => {
    const statuses = [svc('a', 'online'), svc('b', 'online'), svc('c', 'online'), svc('d', 'starting')];
    expect(trayTooltip(statuses)).toBe('Hypha — 3 of 4 online');
  });
  it('leaves idle oneshots out of the count', () => {
    expect(trayTooltip([svc('a', 'online'), svc('job', 'offline', { type: 'oneshot' })])).toBe('Hypha — 1 of 1 online');
  });
  it('counts oneshots when there is nothing else', () => {
    expect(trayTooltip([svc('job', 'completed', { type: 'oneshot' })])).toBe('Hypha — 0 of 1 online');
  });
  it('names failures, unhealthy services and strays', () => {
    const statuses = [svc('a', 'failed'), svc('b', 'unhealthy', { strays: [stray(1), stray(2)] }), svc('c', 'online')];
    expect(trayTooltip(statuses)).toBe('Hypha — 1 of 3 online · 1 failed, 1 unhealthy, 2 strays');
  });
  it('says when there is nothing configured', () => {
    expect(trayTooltip([])).toBe('Hypha — no services');
  });
});

describe('buildTrayMenu', () => {
  it('has one entry per service, then the set-wide actions, window, preferences and quit', () => {
    const menu = buildTrayMenu([svc('db', 'online', { name: 'Database' }), svc('web', 'starting')], opts);
    expect(labels(menu)).toEqual([
      'Database — online',
      'web — starting',
      'Start all',
      'Stop all',
      'Restart all',
      'Open status window',
      'Add another machine…',
      'Launch at login',
      'Notifications',
      'Quit',
    ]);
    expect(find(menu, 'open-window').action).toEqual({ kind: 'open-window' });
    expect(find(menu, 'quit').action).toEqual({ kind: 'quit' });
    expect(find(menu, 'restart-all').action).toEqual({ kind: 'all', action: 'restart' });
  });

  it('gives a daemon Start / Stop / Restart / Show logs, enabled by its state (all online)', () => {
    const menu = buildTrayMenu([svc('db', 'online')], opts);
    const sub = find(menu, 'service:db').submenu ?? [];
    expect(labels(sub)).toEqual(['Start', 'Stop', 'Restart', 'Show logs']);
    expect(find(sub, 'service:db:start').enabled).toBe(false);
    expect(find(sub, 'service:db:stop')).toMatchObject({ enabled: true, action: { kind: 'service', action: 'stop', id: 'db' } });
    expect(find(sub, 'service:db:restart').action).toEqual({ kind: 'service', action: 'restart', id: 'db' });
    expect(find(sub, 'service:db:logs').action).toEqual({ kind: 'show-logs', id: 'db' });
    expect(find(menu, 'start-all').enabled).toBe(false);
    expect(find(menu, 'stop-all').enabled).toBe(true);
  });

  it('all stopped: Start is on, Stop is off, for each service and for all', () => {
    const menu = buildTrayMenu([svc('db', 'offline'), svc('web', 'offline')], opts);
    expect(find(menu, 'service:db:start')).toMatchObject({ enabled: true, action: { kind: 'service', action: 'start', id: 'db' } });
    expect(find(menu, 'service:db:stop').enabled).toBe(false);
    expect(find(menu, 'start-all')).toMatchObject({ enabled: true, action: { kind: 'all', action: 'start' } });
    expect(find(menu, 'stop-all').enabled).toBe(false);
  });

  it('starting and backoff: a start is left to the restart policy, a stop is allowed', () => {
    const menu = buildTrayMenu([svc('a', 'starting'), svc('b', 'backoff')], opts);
    expect(find(menu, 'service:a:start').enabled).toBe(false);
    expect(find(menu, 'service:b:start').enabled).toBe(false);
    expect(find(menu, 'service:b:stop').enabled).toBe(true);
    expect(find(menu, 'service:a').label).toBe('a — starting');
    expect(find(menu, 'service:b').label).toBe('b — backoff');
  });

  it('warning: a failed service shows why and can be started again', () => {
    const menu = buildTrayMenu([svc('db', 'failed', { lastError: 'port 5432 held by pid 99 (postgres)' }), svc('web', 'unhealthy')], opts);
    expect(find(menu, 'service:db').label).toBe('db — failed: port 5432 held by pid 99 (postgres)');
    expect(find(menu, 'service:db:start').enabled).toBe(true);
    expect(find(menu, 'service:db:stop').enabled).toBe(false);
    expect(find(menu, 'service:web').label).toBe('web — unhealthy');
    expect(find(menu, 'service:web:restart').enabled).toBe(true);
  });

  it('keeps a long error from widening the menu', () => {
    const menu = buildTrayMenu([svc('db', 'failed', { lastError: 'x'.repeat(300) })], opts);
    expect((find(menu, 'service:db').label ?? '').length).toBeLessThan(80);
  });

  it('offers "N strays — Stop them" for every service that has some, and in the service submenu', () => {
    const menu = buildTrayMenu(
      [svc('a', 'online', { strays: [stray(1), stray(2)] }), svc('b', 'online'), svc('c', 'offline', { strays: [stray(3)] })],
      opts,
    );
    expect(find(menu, 'strays')).toMatchObject({ label: '3 strays — Stop them', action: { kind: 'stop-strays', ids: ['a', 'c'] } });
    expect(find(menu, 'service:a:strays')).toMatchObject({ label: '2 strays — Stop them', action: { kind: 'stop-strays', ids: ['a'] } });
    expect(find(menu, 'service:c:strays').label).toBe('1 stray — Stop them');
    expect(findOrNull(menu, 'service:b:strays')).toBeNull();
  });

  it('has no strays entry when there are none', () => {
    expect(findOrNull(buildTrayMenu([svc('a', 'online')], opts), 'strays')).toBeNull();
  });

  it('gives a oneshot Run now instead of Start and Restart', () => {
    const menu = buildTrayMenu([svc('backup', 'completed', { type: 'oneshot' })], opts);
    const sub = find(menu, 'service:backup').submenu ?? [];
    expect(labels(sub)).toEqual(['Run now', 'Stop', 'Show logs']);
    expect(find(sub, 'service:backup:run')).toMatchObject({ enabled: true, action: { kind: 'service', action: 'run', id: 'backup' } });
    const running = buildTrayMenu([svc('backup', 'online', { type: 'oneshot' })], opts);
    expect(find(running, 'service:backup:run').enabled).toBe(false);
    expect(find(running, 'service:backup:stop').enabled).toBe(true);
  });

  it('reflects the preferences as checkboxes', () => {
    const on = buildTrayMenu([], { openAtLogin: true, notifications: false });
    expect(find(on, 'login-item')).toMatchObject({ type: 'checkbox', checked: true, action: { kind: 'toggle-login-item' } });
    expect(find(on, 'notifications')).toMatchObject({ type: 'checkbox', checked: false, action: { kind: 'toggle-notifications' } });
  });

  it('with no services says so and disables the set-wide actions', () => {
    const menu = buildTrayMenu([], opts);
    expect(find(menu, 'no-services')).toMatchObject({ enabled: false, label: 'No services configured' });
    for (const id of ['start-all', 'stop-all', 'restart-all']) expect(find(menu, id).enabled).toBe(false);
    expect(find(menu, 'open-window').enabled).toBe(true);
  });

  it('gives every item a unique id and every clickable item an action', () => {
    const menu = buildTrayMenu(
      [svc('a', 'online', { strays: [stray(1)] }), svc('b', 'failed'), svc('job', 'offline', { type: 'oneshot' })],
      { openAtLogin: true, notifications: true },
    );
    const all: TrayMenuItem[] = [];
    const walk = (items: readonly TrayMenuItem[]): void => {
      for (const i of items) {
        all.push(i);
        if (i.submenu) walk(i.submenu);
      }
    };
    walk(menu);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    for (const i of all) {
      if (i.type === 'normal' || i.type === 'checkbox') expect(i.action ?? i.enabled === false, i.id).toBeTruthy();
      if (i.type === 'submenu') expect(i.submenu?.length, i.id).toBeGreaterThan(0);
    }
    // Plain data: it survives a JSON round trip, so no function sneaks in.
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});
