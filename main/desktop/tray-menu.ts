// Pure: service statuses → what the tray shows (icon, tooltip, menu). No electron import, so
// every state of the menu is tested under plain Node; tray.ts turns the template into a Menu
// and each `action` descriptor into a supervisor call.
import type { Action } from '../contract/control.js';
import type { RemoteView } from '../contract/remotes.js';
import type { ServiceStatus, Status } from '../contract/status.js';

/** One icon per aggregate state; names match assets/icons/tray-<state>*.png. */
export type AggregateState = 'online' | 'starting' | 'warning' | 'stopped';

export type TrayAction =
  | { kind: 'service'; action: Action; id: string }
  | { kind: 'all'; action: 'start' | 'stop' | 'restart' }
  | { kind: 'remote'; remote: string; action: Action; id: string }
  | { kind: 'show-logs'; id: string }
  | { kind: 'stop-strays'; ids: string[] }
  | { kind: 'open-window' }
  | { kind: 'add-remote' }
  | { kind: 'toggle-login-item' }
  | { kind: 'toggle-notifications' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  id: string;
  type: 'normal' | 'separator' | 'checkbox' | 'submenu';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: TrayMenuItem[];
  action?: TrayAction;
}

export interface TrayMenuOptions {
  openAtLogin: boolean;
  notifications: boolean;
  /** Other Hyphas, as last asked: each a submenu named after it (remoteMenus). */
  remotes?: readonly RemoteView[];
}

const TROUBLE: ReadonlySet<Status> = new Set(['unhealthy', 'failed']);
const IN_MOTION: ReadonlySet<Status> = new Set(['starting', 'backoff', 'stopping']);

function strayCount(statuses: readonly ServiceStatus[]): number {
  return statuses.reduce((sum, s) => sum + s.strays.length, 0);
}

/**
 * Trouble outranks motion, motion outranks rest. "stopped" means nothing is running at all
 * (oneshots that completed count as at rest); otherwise everything that runs is fine: "online".
 */
export function aggregateState(statuses: readonly ServiceStatus[]): AggregateState {
  if (statuses.some((s) => TROUBLE.has(s.status)) || strayCount(statuses) > 0) return 'warning';
  if (statuses.some((s) => IN_MOTION.has(s.status))) return 'starting';
  if (statuses.some((s) => s.status === 'online')) return 'online';
  return 'stopped';
}

/**
 * The icon file for a state. macOS gets the monochrome template it tints for the menu bar;
 * Linux panels draw at 22–24 px, so they start from the 32 px art rather than upscale the 16;
 * Windows takes the 16 px file and its @2x sibling by display scale.
 */
export function trayIconName(state: AggregateState, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return `tray-${state}Template.png`;
  if (platform === 'win32') return `tray-${state}.png`;
  return `tray-${state}-32.png`;
}

/**
 * `Hypha — 3 of 4 online`, counting daemons: a oneshot is idle most of the time and would make
 * a healthy set read as half down. With only oneshots, they are what is counted.
 */
export function trayTooltip(statuses: readonly ServiceStatus[]): string {
  if (statuses.length === 0) return 'Hypha — no services';
  const daemons = statuses.filter((s) => s.type === 'daemon');
  const counted = daemons.length > 0 ? daemons : statuses;
  const online = counted.filter((s) => s.status === 'online').length;
  const notes: string[] = [];
  const failed = statuses.filter((s) => s.status === 'failed').length;
  const unhealthy = statuses.filter((s) => s.status === 'unhealthy').length;
  const strays = strayCount(statuses);
  if (failed > 0) notes.push(`${failed} failed`);
  if (unhealthy > 0) notes.push(`${unhealthy} unhealthy`);
  if (strays > 0) notes.push(plural(strays, 'stray'));
  const head = `Hypha — ${online} of ${counted.length} online`;
  return notes.length > 0 ? `${head} · ${notes.join(', ')}` : head;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const separator = (id: string): TrayMenuItem => ({ id, type: 'separator' });

export function item(id: string, label: string, action: TrayAction, enabled = true): TrayMenuItem {
  return { id, type: 'normal', label, enabled, action };
}

// What a person can usefully ask of a service in each state; the supervisor merges or refuses
// the rest anyway, but a greyed-out entry says so before the click.
export function canStart(s: ServiceStatus): boolean {
  // Not in backoff: the policy decides when the next spawn comes, not the menu.
  return s.status === 'offline' || s.status === 'failed' || s.status === 'completed';
}
export function canStop(s: ServiceStatus): boolean {
  return s.status !== 'offline' && s.status !== 'completed' && s.status !== 'failed' && s.status !== 'stopping';
}

function serviceSubmenu(s: ServiceStatus): TrayMenuItem[] {
  const p = `service:${s.id}`;
  const entries: TrayMenuItem[] =
    s.type === 'oneshot'
      ? [
          item(`${p}:run`, 'Run now', { kind: 'service', action: 'run', id: s.id }, s.state !== 'running' && s.state !== 'starting'),
          item(`${p}:stop`, 'Stop', { kind: 'service', action: 'stop', id: s.id }, canStop(s)),
        ]
      : [
          item(`${p}:start`, 'Start', { kind: 'service', action: 'start', id: s.id }, canStart(s)),
          item(`${p}:stop`, 'Stop', { kind: 'service', action: 'stop', id: s.id }, canStop(s)),
          item(`${p}:restart`, 'Restart', { kind: 'service', action: 'restart', id: s.id }, s.status !== 'stopping'),
        ];
  entries.push(separator(`${p}:sep`), item(`${p}:logs`, 'Show logs', { kind: 'show-logs', id: s.id }));
  if (s.strays.length > 0) {
    entries.push(
      item(`${p}:strays`, `${plural(s.strays.length, 'stray')} — Stop them`, { kind: 'stop-strays', ids: [s.id] }),
    );
  }
  return entries;
}

export function serviceLabel(s: ServiceStatus): string {
  const detail = s.status === 'failed' && s.lastError ? `failed: ${s.lastError}` : s.status;
  // Menus do not wrap; a long lastError would make the whole menu as wide as the screen.
  const shown = detail.length > 60 ? `${detail.slice(0, 59)}…` : detail;
  return `${s.name} — ${shown}`;
}

/**
 * One submenu per remote, named after it: its services with the same Start/Stop/Restart (Run now
 * for a oneshot) as local ones, or, when it cannot be reached, why. Built here rather than in a
 * file of its own because it shares the local menu's words and rules.
 */
export function remoteMenus(remotes: readonly RemoteView[]): TrayMenuItem[] {
  if (remotes.length === 0) return [];
  const menus: TrayMenuItem[] = [separator('sep-remotes')];
  for (const r of remotes) {
    const p = `remote:${r.name}`;
    if (!r.reachable || r.services === null) {
      const why = r.error ?? 'not reachable';
      menus.push({
        id: p,
        type: 'submenu',
        label: `${r.name} — unreachable`,
        submenu: [{ id: `${p}:error`, type: 'normal', label: why.length > 80 ? `${why.slice(0, 79)}…` : why, enabled: false }],
      });
      continue;
    }
    const daemons = r.services.filter((s) => s.type === 'daemon');
    const counted = daemons.length > 0 ? daemons : r.services;
    const online = counted.filter((s) => s.status === 'online').length;
    const submenu: TrayMenuItem[] =
      r.services.length === 0
        ? [{ id: `${p}:none`, type: 'normal', label: 'No services configured there', enabled: false }]
        : r.services.map((s) => {
            const q = `${p}:service:${s.id}`;
            const act = (action: Action): TrayAction => ({ kind: 'remote', remote: r.name, action, id: s.id });
            const entries =
              s.type === 'oneshot'
                ? [item(`${q}:run`, 'Run now', act('run'), s.state !== 'running' && s.state !== 'starting'), item(`${q}:stop`, 'Stop', act('stop'), canStop(s))]
                : [
                    item(`${q}:start`, 'Start', act('start'), canStart(s)),
                    item(`${q}:stop`, 'Stop', act('stop'), canStop(s)),
                    item(`${q}:restart`, 'Restart', act('restart'), s.status !== 'stopping'),
                  ];
            return { id: q, type: 'submenu', label: serviceLabel(s), submenu: entries };
          });
    menus.push({ id: p, type: 'submenu', label: `${r.name} — ${online} of ${counted.length} online`, submenu });
  }
  return menus;
}

export function buildTrayMenu(statuses: readonly ServiceStatus[], opts: TrayMenuOptions): TrayMenuItem[] {
  const menu: TrayMenuItem[] = [];
  if (statuses.length === 0) {
    menu.push({ id: 'no-services', type: 'normal', label: 'No services configured', enabled: false });
  }
  for (const s of statuses) {
    menu.push({ id: `service:${s.id}`, type: 'submenu', label: serviceLabel(s), submenu: serviceSubmenu(s) });
  }
  const withStrays = statuses.filter((s) => s.strays.length > 0);
  if (withStrays.length > 0) {
    menu.push(
      separator('sep-strays'),
      item('strays', `${plural(strayCount(statuses), 'stray')} — Stop them`, {
        kind: 'stop-strays',
        ids: withStrays.map((s) => s.id),
      }),
    );
  }
  const any = statuses.length > 0;
  const anyActive = statuses.some((s) => canStop(s));
  menu.push(
    ...remoteMenus(opts.remotes ?? []),
    separator('sep-all'),
    item('start-all', 'Start all', { kind: 'all', action: 'start' }, any && statuses.some((s) => canStart(s))),
    item('stop-all', 'Stop all', { kind: 'all', action: 'stop' }, anyActive),
    item('restart-all', 'Restart all', { kind: 'all', action: 'restart' }, any),
    separator('sep-window'),
    item('open-window', 'Open status window', { kind: 'open-window' }),
    item('add-remote', 'Add another machine…', { kind: 'add-remote' }),
    separator('sep-prefs'),
    { id: 'login-item', type: 'checkbox', label: 'Launch at login', checked: opts.openAtLogin, enabled: true, action: { kind: 'toggle-login-item' } },
    { id: 'notifications', type: 'checkbox', label: 'Notifications', checked: opts.notifications, enabled: true, action: { kind: 'toggle-notifications' } },
    separator('sep-quit'),
    item('quit', 'Quit', { kind: 'quit' }),
  );
  return menu;
}
