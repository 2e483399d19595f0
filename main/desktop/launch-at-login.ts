// Launch at login, per platform: Electron's login items on macOS and Windows, an XDG autostart
// entry (login-item.ts) on Linux.
import path from 'node:path';
import { app } from 'electron';
import { autostartFile, disableAutostart, enableAutostart, isAutostartEnabled, launchArgv } from './login-item.js';

export interface LaunchAtLogin {
  isEnabled(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
  /** Whether this launch came from the login item (then the window stays closed). */
  wasLaunchedAtLogin(argv: readonly string[]): boolean;
}

export function launchAtLogin(iconsDir: string): LaunchAtLogin {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return {
      isEnabled: async () => app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin,
      async set(enabled) {
        // Windows passes args at login; macOS has none to pass and says wasOpenedAtLogin instead.
        app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
      },
      wasLaunchedAtLogin: (argv) =>
        argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin),
    };
  }
  const file = autostartFile();
  return {
    isEnabled: () => isAutostartEnabled(file),
    async set(enabled) {
      if (!enabled) return disableAutostart(file);
      const argv = launchArgv({ env: process.env, execPath: process.execPath, appPath: app.getAppPath(), isPackaged: app.isPackaged });
      // Packaged, the icon theme has it as "hypha" (an AppImage's own files vanish when it exits).
      const icon = app.isPackaged ? 'hypha' : path.join(iconsDir, 'app', '256x256.png');
      await enableAutostart(file, { argv, icon });
    },
    wasLaunchedAtLogin: (argv) => argv.includes('--hidden'),
  };
}
