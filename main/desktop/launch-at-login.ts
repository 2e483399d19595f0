// Launch at login, per platform: Electron's login items on macOS and Windows (settings from
// login-settings.ts), an XDG autostart entry (login-item.ts) on Linux. Every platform starts
// hidden: `--hidden` where arguments can be passed, wasOpenedAtLogin on macOS.
import path from 'node:path';
import { app } from 'electron';
import { autostartFile, disableAutostart, enableAutostart, isAutostartEnabled, launchArgv } from './login-item.js';
import { loginItemQuery, loginItemSettings, startsHidden, type LoginFacts } from './login-settings.js';

export interface LaunchAtLogin {
  isEnabled(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
  /** Whether this start came from the login item (then the window stays closed). */
  startsHidden(hiddenFlag: boolean): boolean;
}

function facts(): LoginFacts {
  return { platform: process.platform, isPackaged: app.isPackaged, execPath: process.execPath, appPath: app.getAppPath() };
}

export function launchAtLogin(iconsDir: string): LaunchAtLogin {
  const hidden = (hiddenFlag: boolean): boolean =>
    startsHidden({ platform: process.platform, hiddenFlag, wasOpenedAtLogin: () => app.getLoginItemSettings(loginItemQuery(facts())).wasOpenedAtLogin });
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return {
      isEnabled: async () => app.getLoginItemSettings(loginItemQuery(facts())).openAtLogin,
      async set(enabled) {
        app.setLoginItemSettings(loginItemSettings(facts(), enabled));
      },
      startsHidden: hidden,
    };
  }
  const file = autostartFile();
  return {
    isEnabled: () => isAutostartEnabled(file),
    async set(enabled) {
      if (!enabled) return disableAutostart(file);
      const argv = launchArgv({ env: process.env, execPath: process.execPath, appPath: app.getAppPath(), isPackaged: app.isPackaged });
      // Packaged, the icon theme has it as "hypha-desktop" (an AppImage's own files vanish when it exits).
      const icon = app.isPackaged ? 'hypha-desktop' : path.join(iconsDir, 'app', '256x256.png');
      await enableAutostart(file, { argv, icon });
    },
    startsHidden: hidden,
  };
}
