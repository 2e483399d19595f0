// The tray icon: the pure template from tray-menu.ts turned into an Electron Menu, rebuilt at
// most a few times a second however fast statuses arrive, and set again after every change
// (Linux StatusNotifier items keep showing a stale menu otherwise).
import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { ServiceStatus } from '../contract/status.js';
import { aggregateState, buildTrayMenu, trayIconName, trayTooltip, type AggregateState, type TrayAction, type TrayMenuItem, type TrayMenuOptions } from './tray-menu.js';

export interface TrayControllerOptions {
  iconsDir: string;
  statuses(): ServiceStatus[];
  menuOptions(): TrayMenuOptions;
  onAction(action: TrayAction): void;
  /** Shortest gap between two rebuilds. */
  throttleMs?: number;
}

function toElectronMenu(items: readonly TrayMenuItem[], onAction: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const out: MenuItemConstructorOptions = { id: item.id, type: item.type };
    if (item.label !== undefined) out.label = item.label;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.checked !== undefined) out.checked = item.checked;
    if (item.submenu) out.submenu = toElectronMenu(item.submenu, onAction);
    const action = item.action;
    if (action) out.click = () => onAction(action);
    return out;
  });
}

export class TrayController {
  private readonly tray: Tray;
  private shownState: AggregateState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastBuilt = 0;
  private disposed = false;

  constructor(private readonly opts: TrayControllerOptions) {
    this.tray = new Tray(this.icon('stopped'));
    // macOS and Windows deliver clicks; Linux often does not, so the menu carries the same action.
    this.tray.on('click', () => opts.onAction({ kind: 'open-window' }));
    this.rebuild();
  }

  /** Asks for a rebuild; bursts of status events collapse into one, at most every throttleMs. */
  refresh(): void {
    if (this.disposed || this.timer) return;
    const gap = this.opts.throttleMs ?? 250;
    const wait = Math.max(0, this.lastBuilt + gap - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.rebuild();
    }, wait);
  }

  /** What the tray shows right now; read by the end-to-end test through the main process. */
  get state(): AggregateState | null {
    return this.shownState;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private rebuild(): void {
    if (this.disposed || this.tray.isDestroyed()) return;
    this.lastBuilt = Date.now();
    const statuses = this.opts.statuses();
    const state = aggregateState(statuses);
    if (state !== this.shownState) {
      this.tray.setImage(this.icon(state));
      this.shownState = state;
    }
    this.tray.setToolTip(trayTooltip(statuses));
    const template = buildTrayMenu(statuses, this.opts.menuOptions());
    this.tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(template, this.opts.onAction)));
  }

  private icon(state: AggregateState): Electron.NativeImage {
    const image = nativeImage.createFromPath(path.join(this.opts.iconsDir, trayIconName(state)));
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }
}
