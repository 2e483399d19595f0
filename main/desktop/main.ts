// The tray app (entry.ts starts it when this process is not the CLI). One app per user session: a
// second launch only shows the first one's window. The composition root (app-root.ts) installs
// the fatal-error policy the daemon uses and starts the same runtime `hypha daemon` runs, under
// the same HYPHA_HOME lock, so the CLI and the HTTP API work against the app exactly as against
// the daemon; this file adds only what needs Electron.
import { app, dialog, safeStorage } from 'electron';
import path from 'node:path';
import { startAppRoot, type AppRoot } from './app-root.js';
import { parseDesktopArgs } from './desktop-args.js';
import { keychainBox } from './keychain-box.js';
import { desktopPaths } from './paths.js';
import { startDesktopShell, type DesktopShell } from './shell.js';

/** Windows groups taskbar entries and routes notifications by this id; the same as appId. */
const APP_USER_MODEL_ID = 'dev.hypha.app';

let root: AppRoot<DesktopShell> | null = null;
let launching: Promise<void> = Promise.resolve();
let exiting = false;

/** Said on stderr always; in a dialog too, because a tray app's stderr is seen by nobody. */
function tell(title: string, message: string): void {
  console.error(message.startsWith('hypha: ') ? message : `hypha: ${message.replace(/\n/g, '\nhypha: ')}`);
  if (app.isReady()) dialog.showErrorBox(title, message);
}

function exitNow(code: number): void {
  exiting = true;
  app.exit(code);
}

async function launch(configPath: string | undefined, hiddenFlag: boolean): Promise<void> {
  const paths = desktopPaths(app.getAppPath());
  root = await startAppRoot({
    configPath,
    secretBox: keychainBox(safeStorage),
    log: (line) => console.log(line),
    tell,
    exit: exitNow,
    startShell: (runtime) => startDesktopShell(runtime, paths, { hiddenFlag }),
  });
  const started = root;
  if (started && process.env.HYPHA_E2E === '1') {
    // Read-only probe for test/e2e/electron.test.ts (Playwright evaluates in this process).
    Object.assign(globalThis, {
      hyphaDesktop: {
        trayState: () => started.shell.tray.state,
        windowVisible: () => started.shell.window.isVisible,
        windowExists: () => started.shell.window.exists,
        showWindow: () => started.shell.window.show(),
        home: started.runtime.home,
        url: started.runtime.url,
      },
    });
  }
}

/** Every way out goes through here: services stop first, then the process exits with `code`. */
async function quit(code = 0): Promise<void> {
  if (exiting) return;
  exiting = true;
  // A quit during start-up waits for the services it is starting, so it can stop them too.
  await launching.catch(() => undefined);
  await root?.shutdown().catch((error: unknown) => console.error(`hypha: ${error instanceof Error ? error.message : String(error)}`));
  app.exit(code);
}

/** Called by entry.ts once it knows this process is the tray app. */
export function runApp(): void {
  // Unpackaged, argv is [electron, appPath, ...]; packaged, [app, ...].
  const args = parseDesktopArgs(process.argv.slice(app.isPackaged ? 1 : 2));
  // The end-to-end test runs its own instance beside any Hypha a developer has open.
  if (process.env.HYPHA_E2E === '1' && process.env.HYPHA_HOME) app.setPath('userData', path.join(process.env.HYPHA_HOME, 'electron'));
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  if (!app.requestSingleInstanceLock()) {
    app.exit(0);
    return;
  }
  app.on('second-instance', () => root?.shell.window.show());
  app.on('activate', () => root?.shell.window.show());
  // Closing the window destroys it; the app lives on in the tray until Quit.
  app.on('window-all-closed', () => undefined);
  // app.exit() skips this event, so it only sees quits that must first stop the services.
  app.on('before-quit', (event) => {
    event.preventDefault();
    void quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void quit());

  launching = app.whenReady().then(() => launch(args.configPath, args.hidden));
  launching.catch((error: unknown) => {
    console.error(`hypha: ${error instanceof Error ? error.message : String(error)}`);
    void quit(1);
  });
}
