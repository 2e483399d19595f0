// Electron's entry (package.json "main"). One app per user session: a second launch only shows
// the first one's window. The supervisor is the same runtime `hypha daemon` runs, under the same
// HYPHA_HOME lock, so the CLI and the HTTP API work against the app exactly as against the daemon.
import path from 'node:path';
import { app, dialog } from 'electron';
import { formatConfigError } from '../contract/config.js';
import { startHypha, StartError, type HyphaRuntime } from '../host/runtime.js';
import { parseDesktopArgs } from './desktop-args.js';
import { desktopPaths } from './paths.js';
import { startDesktopShell, type DesktopShell } from './shell.js';

// Unpackaged, argv is [electron, appPath, ...]; packaged, [app, ...].
const argv = process.argv.slice(app.isPackaged ? 1 : 2);
const args = parseDesktopArgs(argv);
let runtime: HyphaRuntime | null = null;
let shell: DesktopShell | null = null;
let launching: Promise<void> = Promise.resolve();
let exiting = false;

function message(error: unknown): string {
  if (error instanceof StartError && error.configErrors.length > 0) {
    return [error.message, ...error.configErrors.map(formatConfigError)].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

async function launch(): Promise<void> {
  const paths = desktopPaths();
  let started: HyphaRuntime;
  try {
    started = await startHypha({ configPath: args.configPath, log: (line) => console.log(line) });
  } catch (error) {
    console.error(`hypha: ${message(error).replace(/\n/g, '\nhypha: ')}`);
    dialog.showErrorBox('Hypha could not start', message(error));
    exiting = true;
    app.exit(1);
    return;
  }
  runtime = started;
  console.log(`hypha: dashboard ${started.url}`);
  // Without a shell nothing would stop the services at quit, so quit() falls back to the runtime.
  const desktop = await startDesktopShell(started, paths, { hidden: args.hidden });
  shell = desktop;
  if (process.env.HYPHA_E2E === '1') {
    // Read-only probe for test/e2e/electron.test.ts (Playwright evaluates in this process).
    Object.assign(globalThis, {
      hyphaDesktop: { trayState: () => desktop.tray.state, windowVisible: () => desktop.window.isVisible, home: started.home, url: started.url },
    });
  }
}

/** Every way out goes through here: services stop first, then the process exits with `code`. */
async function quit(code = 0): Promise<void> {
  if (exiting) return;
  exiting = true;
  // A quit during start-up waits for the services it is starting, so it can stop them too.
  await launching.catch(() => undefined);
  await (shell ? shell.shutdown() : runtime?.dispose())?.catch((error: unknown) => console.error(`hypha: ${message(error)}`));
  app.exit(code);
}

// The end-to-end test runs its own instance beside any Hypha a developer has open.
if (process.env.HYPHA_E2E === '1' && process.env.HYPHA_HOME) app.setPath('userData', path.join(process.env.HYPHA_HOME, 'electron'));

if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  app.on('second-instance', () => shell?.window.show());
  app.on('activate', () => shell?.window.show());
  // The window only hides; the app lives in the tray until Quit.
  app.on('window-all-closed', () => undefined);
  // app.exit() skips this event, so it only sees quits that must first stop the services.
  app.on('before-quit', (event) => {
    event.preventDefault();
    void quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void quit());

  launching = app.whenReady().then(launch);
  launching.catch((error: unknown) => {
    console.error(`hypha: ${message(error)}`);
    void quit(1);
  });
}
