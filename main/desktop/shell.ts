// The desktop shell around one running supervisor: tray, window, IPC, notifications, launch at
// login — each a disposable, created in order and disposed in reverse at quit, after every
// service has stopped. The tray and notifications listen without log lines; the window's feed
// (window-feed.ts) carries them only while a window exists.
import { app } from 'electron';
import type { HyphaRuntime } from '../host/runtime.js';
import type { RemoteView } from '../contract/remotes.js';
import type { Disposable } from '../contract/status.js';
import { loadDesktopSettings, saveDesktopSettings } from './desktop-settings.js';
import { registerIpc } from './ipc.js';
import { launchAtLogin } from './launch-at-login.js';
import { Notifier } from './notifications.js';
import type { DesktopPaths } from './paths.js';
import { describeFailure, runTrayAction, serviceRoute } from './tray-actions.js';
import { TrayController } from './tray.js';
import type { TrayAction } from './tray-menu.js';
import { StatusWindow } from './window.js';
import { WindowFeed } from './window-feed.js';

/** A quit that takes longer than this tells the person why the app has not gone yet. */
const SLOW_QUIT_MS = 1000;
/** Remotes send no events here: the tray asks them again this often. */
const REMOTE_POLL_MS = 5000;

export interface DesktopShell {
  readonly tray: TrayController;
  readonly window: StatusWindow;
  /** Stops every service, then tears the shell down; resolves when nothing is left. */
  shutdown(): Promise<void>;
}

export async function startDesktopShell(runtime: HyphaRuntime, paths: DesktopPaths, opts: { hiddenFlag: boolean }): Promise<DesktopShell> {
  const { supervisor } = runtime;
  const disposables: Disposable[] = [];
  let quitting = false;

  const settings = loadDesktopSettings(runtime.home);
  const loginItem = launchAtLogin(paths.icons);
  let openAtLogin = await loginItem.isEnabled().catch(() => false);

  // The feed is created before the window it feeds; `window` is assigned before any window opens.
  const feed = new WindowFeed(supervisor, (message) => window.send(message));
  const window: StatusWindow = new StatusWindow({
    page: paths.page,
    preload: paths.preload,
    icon: paths.appIcon,
    onOpen: () => feed.open(),
    onClose: () => feed.close(),
  });
  disposables.push(feed, window);

  const nameOf = (id: string): string => {
    try {
      return supervisor.get(id).name;
    } catch {
      return id;
    }
  };
  const notifier = new Notifier({
    icon: paths.appIcon,
    enabled: () => settings.notifications,
    nameOf,
    onClick: (id) => window.show(id ? serviceRoute(id) : undefined),
  });
  disposables.push(notifier);

  disposables.push(registerIpc(supervisor, window, paths.page, runtime.remotes));

  const onAction = (action: TrayAction): void => {
    if (quitting) return;
    runTrayAction(action, {
      supervisor,
      remotes: runtime.remotes,
      showWindow: (route) => window.show(route),
      async toggleLoginItem() {
        await loginItem.set(!openAtLogin);
        openAtLogin = await loginItem.isEnabled();
      },
      async toggleNotifications() {
        settings.notifications = !settings.notifications;
        await saveDesktopSettings(runtime.home, settings);
      },
      quit: () => app.quit(),
    })
      .catch((error: unknown) => notifier.show('Hypha', describeFailure(action, error)))
      .finally(() => {
        tray.refresh();
        if (action.kind === 'remote') void pollRemotes();
      });
  };

  let remotes: RemoteView[] = [];
  let shownKey = '';
  let polling = false;
  const pollRemotes = async (): Promise<void> => {
    if (polling || quitting) return;
    polling = true;
    try {
      remotes = await runtime.remotes.list();
    } catch {
      // list() answers every remote's failure inside its view; nothing else is expected here.
    } finally {
      polling = false;
    }
    // Only what the menu shows: setting an unchanged menu every few seconds would close an open one on some panels.
    const key = JSON.stringify(remotes.map((r) => [r.name, r.reachable, r.error, r.services?.map((s) => [s.id, s.name, s.type, s.status, s.state, s.lastError])]));
    if (key !== shownKey) {
      shownKey = key;
      tray.refresh();
    }
  };

  const tray = new TrayController({
    iconsDir: paths.icons,
    statuses: () => supervisor.list(),
    menuOptions: () => ({ openAtLogin, notifications: settings.notifications, remotes }),
    onAction,
  });
  disposables.push(tray);
  const remoteTimer = setInterval(() => void pollRemotes(), REMOTE_POLL_MS);
  disposables.push({ dispose: () => clearInterval(remoteTimer) });
  void pollRemotes();

  disposables.push(
    supervisor.subscribe(
      (message) => {
        tray.refresh();
        notifier.onMessage(message);
      },
      { logs: false },
    ),
  );

  if (!loginItem.startsHidden(opts.hiddenFlag)) window.show();

  let done: Promise<void> | null = null;
  return {
    tray,
    window,
    shutdown() {
      done ??= (async () => {
        quitting = true;
        const slow = setTimeout(() => notifier.show('Hypha is quitting', 'Stopping services…'), SLOW_QUIT_MS);
        try {
          await runtime.dispose();
        } catch (error) {
          console.error(`hypha: stopping services failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          clearTimeout(slow);
          for (const d of disposables.reverse()) d.dispose();
        }
      })();
      return done;
    },
  };
}
