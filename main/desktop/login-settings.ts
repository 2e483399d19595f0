// Launch at login that starts hidden, decided per platform as data (no electron import), so each
// platform's choice is tested under plain Node:
// - Windows: a Run-key entry whose args carry `--hidden` (unpackaged, the app folder first,
//   because the executable is Electron itself); the query passes the same path and args, as
//   getLoginItemSettings needs them to answer for this entry.
// - macOS 13+: a login item (SMAppService mainAppService) takes no arguments and `openAsHidden`
//   no longer works, so the app asks `wasOpenedAtLogin` when it starts and then opens no window.
// - Linux: an XDG autostart entry with `--hidden` (login-item.ts), Exec at $APPIMAGE in an AppImage.
import type { Settings, LoginItemSettingsOptions } from 'electron';

export const HIDDEN_FLAG = '--hidden';

export interface LoginFacts {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** process.execPath */
  execPath: string;
  /** app.getAppPath(), what an unpackaged Electron is started with. */
  appPath: string;
}

/** The argv after the executable that a login start passes (Windows, Linux outside an AppImage). */
export function hiddenLaunchArgs(facts: Pick<LoginFacts, 'isPackaged' | 'appPath'>): string[] {
  return facts.isPackaged ? [HIDDEN_FLAG] : [facts.appPath, HIDDEN_FLAG];
}

/** What app.setLoginItemSettings gets on macOS and Windows. */
export function loginItemSettings(facts: LoginFacts, enabled: boolean): Settings {
  if (facts.platform === 'win32') return { openAtLogin: enabled, path: facts.execPath, args: hiddenLaunchArgs(facts) };
  return { openAtLogin: enabled, type: 'mainAppService' };
}

/** What app.getLoginItemSettings gets, so it answers for the entry loginItemSettings made. */
export function loginItemQuery(facts: LoginFacts): LoginItemSettingsOptions {
  if (facts.platform === 'win32') return { path: facts.execPath, args: hiddenLaunchArgs(facts) };
  return { type: 'mainAppService' };
}

export interface StartFacts {
  platform: NodeJS.Platform;
  /** The app's own arguments (parseDesktopArgs's `hidden`). */
  hiddenFlag: boolean;
  /** app.getLoginItemSettings().wasOpenedAtLogin; asked on macOS only. */
  wasOpenedAtLogin: () => boolean;
}

/** Whether this start stays in the tray with no window. */
export function startsHidden(facts: StartFacts): boolean {
  if (facts.hiddenFlag) return true;
  return facts.platform === 'darwin' && facts.wasOpenedAtLogin();
}
