// The status window: created when asked for, destroyed when closed (a hidden window would keep a
// whole renderer alive in a tray app nobody is looking at), and created again from the tray.
// Locked down so the renderer is a web page with one bridge object and nothing else — no Node,
// no navigation away, no new windows, no permissions. Its Content-Security-Policy is the meta tag
// in renderer/index.html: the page loads from file://, where no response headers exist to carry
// one (test/unit/desktop-csp.test.ts reads the built page).
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, type Session } from 'electron';
import type { SupervisorMessage } from '../contract/status.js';
import { ipcChannels } from '../contract/ipc.js';

const PARTITION = 'hypha-window';

export interface StatusWindowOptions {
  page: string;
  preload: string;
  icon: string;
  /** A window now exists and shows messages (its feed starts). */
  onOpen(): void;
  /** The window is gone (its feed stops). */
  onClose(): void;
}

function lockDown(ses: Session): void {
  // Camera, notifications, clipboard…: the status window needs none of them.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

export class StatusWindow {
  private window: BrowserWindow | null = null;
  private readonly session: Session;
  private readonly pageUrl: string;

  constructor(private readonly opts: StatusWindowOptions) {
    this.session = session.fromPartition(PARTITION);
    lockDown(this.session);
    this.pageUrl = pathToFileURL(opts.page).href;
  }

  /** The webContents id IPC handlers compare senders with; null while no window exists. */
  get contentsId(): number | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents.id : null;
  }

  /** Whether a window exists at all (a closed one does not). */
  get exists(): boolean {
    return this.window !== null && !this.window.isDestroyed();
  }

  get isVisible(): boolean {
    return this.window !== null && !this.window.isDestroyed() && this.window.isVisible();
  }

  /** Shows the window, creating it on first use; `route` is the renderer's hash route, e.g. `/service/db`. */
  show(route?: string): void {
    const win = this.window && !this.window.isDestroyed() ? this.window : this.create(route);
    if (route !== undefined && win.webContents.getURL().startsWith('file:')) {
      void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#${route}`)}`).catch(() => undefined);
    }
    if (win.isMinimized()) win.restore();
    if (process.platform === 'darwin') void app.dock?.show();
    win.show();
    win.focus();
  }

  send(message: SupervisorMessage): void {
    const win = this.window;
    if (win && !win.isDestroyed() && !win.webContents.isLoading()) win.webContents.send(ipcChannels.message, message);
  }

  /** At quit. */
  dispose(): void {
    if (this.window && !this.window.isDestroyed()) this.window.destroy();
    this.window = null;
  }

  private create(route?: string): BrowserWindow {
    const win = new BrowserWindow({
      width: 1100,
      height: 720,
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'Hypha',
      icon: this.opts.icon,
      autoHideMenuBar: true,
      backgroundColor: '#14201b',
      webPreferences: {
        preload: this.opts.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        spellcheck: false,
        partition: PARTITION,
      },
    });
    this.window = win;

    // Closing destroys the window and its renderer; the tray's "Open" makes a new one.
    win.on('closed', () => {
      if (this.window === win) this.window = null;
      this.opts.onClose();
      if (process.platform === 'darwin') app.dock?.hide();
    });
    this.opts.onOpen();

    const contents = win.webContents;
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayHome = (event: { preventDefault(): void }, url: string): void => {
      if (!this.isOwnPage(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());

    if (existsSync(this.opts.page)) {
      void win.loadFile(this.opts.page, route ? { hash: route } : {}).catch((e: unknown) => {
        console.error(`hypha: the status window could not load ${this.opts.page}: ${e instanceof Error ? e.message : String(e)}`);
      });
    } else {
      void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(missingPage(this.opts.page))}`);
    }
    return win;
  }

  private isOwnPage(url: string): boolean {
    return url.split('#')[0] === this.pageUrl;
  }
}

function missingPage(page: string): string {
  const escaped = page.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Hypha</title>
<body style="font:14px system-ui;color:#eee;background:#14201b;padding:2em">
<h1 style="font-size:18px">The status window is not built</h1>
<p>${escaped} is missing. Run <code>npm run build</code>, then open the window again.</p>
<p>Services keep running; the tray menu works without the window.</p></body>`;
}
