// Launch at login starts hidden on all three platforms. Each case follows what the OS does with
// what Hypha registered — Windows runs the Run-key path with its args, macOS opens the app with no
// arguments and says wasOpenedAtLogin, Linux runs the autostart entry's Exec line — through the
// app's own argument parser to the one decision: window or no window.
import { describe, expect, it } from 'vitest';
import { parseDesktopArgs } from '../../main/desktop/desktop-args.js';
import { autostartEntry, launchArgv } from '../../main/desktop/login-item.js';
import { loginItemQuery, loginItemSettings, startsHidden, type LoginFacts } from '../../main/desktop/login-settings.js';

/** The app's own view of a start: Electron's argv, packaged [exe, …] or unpackaged [electron, app, …]. */
function appStartsHidden(platform: NodeJS.Platform, argv: string[], isPackaged: boolean, wasOpenedAtLogin: boolean): boolean {
  const args = parseDesktopArgs(argv.slice(isPackaged ? 1 : 2));
  return startsHidden({ platform, hiddenFlag: args.hidden, wasOpenedAtLogin: () => wasOpenedAtLogin });
}

/** An Exec line split back into argv (quotes as autostartEntry writes them; no field codes here). */
function execArgv(entry: string): string[] {
  const line = /^Exec=(.*)$/m.exec(entry)?.[1] ?? '';
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\\\/g, '\\').replace(/\\(.)/g, '$1') : (m[2] as string));
  return out;
}

describe('Windows: a Run-key entry whose args carry --hidden', () => {
  const packaged: LoginFacts = { platform: 'win32', isPackaged: true, execPath: 'C:\\Program Files\\Hypha\\Hypha.exe', appPath: 'C:\\Program Files\\Hypha\\resources\\app.asar' };
  const source: LoginFacts = { platform: 'win32', isPackaged: false, execPath: 'C:\\src\\node_modules\\electron\\dist\\electron.exe', appPath: 'C:\\src' };

  it('registers the executable with --hidden and asks about that same entry', () => {
    expect(loginItemSettings(packaged, true)).toEqual({ openAtLogin: true, path: packaged.execPath, args: ['--hidden'] });
    expect(loginItemQuery(packaged)).toEqual({ path: packaged.execPath, args: ['--hidden'] });
    expect(loginItemSettings(packaged, false)).toMatchObject({ openAtLogin: false });
  });

  it('the login start is hidden, packaged or from a source checkout; a menu start is not', () => {
    for (const facts of [packaged, source]) {
      const s = loginItemSettings(facts, true);
      expect(appStartsHidden('win32', [s.path as string, ...(s.args ?? [])], facts.isPackaged, false)).toBe(true);
    }
    expect(appStartsHidden('win32', [packaged.execPath], true, false)).toBe(false);
  });
});

describe('macOS 13+: a login item (no arguments) and wasOpenedAtLogin', () => {
  const facts: LoginFacts = { platform: 'darwin', isPackaged: true, execPath: '/Applications/Hypha.app/Contents/MacOS/Hypha', appPath: '/Applications/Hypha.app/Contents/Resources/app.asar' };

  it('registers the main app service, with no args and no openAsHidden (gone since macOS 13)', () => {
    const s = loginItemSettings(facts, true);
    expect(s).toEqual({ openAtLogin: true, type: 'mainAppService' });
    expect(loginItemQuery(facts)).toEqual({ type: 'mainAppService' });
  });

  it('a start the system made at login is hidden; one from Finder or the Dock is not', () => {
    expect(appStartsHidden('darwin', [facts.execPath], true, true)).toBe(true);
    expect(appStartsHidden('darwin', [facts.execPath], true, false)).toBe(false);
  });

  it('wasOpenedAtLogin is asked on macOS only (elsewhere Electron has no such answer)', () => {
    let asked = 0;
    startsHidden({ platform: 'linux', hiddenFlag: false, wasOpenedAtLogin: () => (asked++, true) });
    startsHidden({ platform: 'win32', hiddenFlag: false, wasOpenedAtLogin: () => (asked++, true) });
    expect(asked).toBe(0);
  });
});

describe('Linux: an XDG autostart entry whose Exec ends in --hidden', () => {
  it('an installed package starts hidden at login', () => {
    const argv = launchArgv({ env: {}, execPath: '/opt/Hypha/hypha-desktop', appPath: '/opt/Hypha/resources/app.asar', isPackaged: true });
    const exec = execArgv(autostartEntry({ argv, icon: 'hypha-desktop' }));
    expect(exec).toEqual(['/opt/Hypha/hypha-desktop', '--hidden']);
    expect(appStartsHidden('linux', exec, true, false)).toBe(true);
  });

  it('an AppImage is started through $APPIMAGE (its mount is gone at the next login), hidden', () => {
    const argv = launchArgv({ env: { APPIMAGE: '/home/ann/My Apps/Hypha.AppImage' }, execPath: '/tmp/.mount_Hypha1/hypha-desktop', appPath: '/tmp/.mount_Hypha1/resources/app.asar', isPackaged: true });
    const exec = execArgv(autostartEntry({ argv, icon: 'hypha-desktop' }));
    expect(exec).toEqual(['/home/ann/My Apps/Hypha.AppImage', '--hidden']);
    expect(appStartsHidden('linux', exec, true, false)).toBe(true);
  });

  it('a source checkout starts Electron on the app folder, hidden; a menu start is not', () => {
    const argv = launchArgv({ env: {}, execPath: '/src/node_modules/electron/dist/electron', appPath: '/src', isPackaged: false });
    const exec = execArgv(autostartEntry({ argv, icon: '/src/assets/icons/app/256x256.png' }));
    expect(appStartsHidden('linux', exec, false, false)).toBe(true);
    expect(appStartsHidden('linux', ['/opt/Hypha/hypha-desktop'], true, false)).toBe(false);
  });
});
