import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartEntry,
  autostartFile,
  disableAutostart,
  enableAutostart,
  execLine,
  isAutostartEnabled,
  launchArgv,
} from '../../main/desktop/login-item.js';

let xdg: string;
beforeEach(async () => {
  xdg = await mkdtemp(path.join(os.tmpdir(), 'hypha-xdg-'));
});
afterEach(async () => {
  await rm(xdg, { recursive: true, force: true });
});

describe('autostartFile', () => {
  it('lives in $XDG_CONFIG_HOME/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: xdg }, '/home/ann')).toBe(path.join(xdg, 'autostart', 'hypha.desktop'));
  });
  it('defaults to ~/.config, and ignores a relative XDG_CONFIG_HOME as the spec asks', () => {
    expect(autostartFile({}, '/home/ann')).toBe('/home/ann/.config/autostart/hypha.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'rel/dir' }, '/home/ann')).toBe('/home/ann/.config/autostart/hypha.desktop');
  });
});

describe('launchArgv', () => {
  const base = { execPath: '/opt/Hypha/hypha', appPath: '/opt/Hypha/resources/app.asar', isPackaged: true };
  it('starts an AppImage through $APPIMAGE, not its vanishing mount', () => {
    expect(launchArgv({ ...base, env: { APPIMAGE: '/home/ann/Apps/Hypha.AppImage' } })).toEqual(['/home/ann/Apps/Hypha.AppImage', '--hidden']);
  });
  it('starts a packaged install by its executable', () => {
    expect(launchArgv({ ...base, env: {} })).toEqual(['/opt/Hypha/hypha', '--hidden']);
  });
  it('starts a source checkout as electron + app path', () => {
    expect(launchArgv({ env: {}, execPath: '/src/node_modules/electron/dist/electron', appPath: '/src', isPackaged: false })).toEqual([
      '/src/node_modules/electron/dist/electron',
      '/src',
      '--hidden',
    ]);
  });
});

describe('execLine', () => {
  it('leaves plain paths alone', () => {
    expect(execLine(['/opt/hypha/hypha', '--hidden'])).toBe('/opt/hypha/hypha --hidden');
  });
  it('quotes reserved characters and escapes as the Desktop Entry spec says', () => {
    expect(execLine(['/home/ann/My Apps/Hypha.AppImage', '--hidden'])).toBe('"/home/ann/My Apps/Hypha.AppImage" --hidden');
    // `$` inside quotes takes a backslash, which the string escape rule then doubles.
    expect(execLine(['/tmp/a$b'])).toBe('"/tmp/a\\\\$b"');
    // A literal backslash is four backslashes in the file.
    expect(execLine(['/tmp/a\\b'])).toBe('"/tmp/a\\\\\\\\b"');
    // % starts a field code; a literal one is doubled.
    expect(execLine(['/tmp/100%'])).toBe('/tmp/100%%');
  });
});

describe('the autostart entry', () => {
  it('is a valid desktop entry that starts Hypha hidden', () => {
    const text = autostartEntry({ argv: ['/home/ann/Apps/Hypha.AppImage', '--hidden'], icon: 'hypha' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    expect(lines).toContain('Type=Application');
    expect(lines).toContain('Name=Hypha');
    expect(lines).toContain('Exec=/home/ann/Apps/Hypha.AppImage --hidden');
    expect(lines).toContain('Icon=hypha');
    expect(lines).toContain('Terminal=false');
    expect(lines).toContain('X-GNOME-Autostart-enabled=true');
    for (const line of lines.slice(1)) expect(line).toMatch(/^[A-Za-z0-9-]+=.*$/);
  });

  it('is written, read back as enabled, and removed', async () => {
    const file = autostartFile({ XDG_CONFIG_HOME: xdg });
    expect(await isAutostartEnabled(file)).toBe(false);

    await enableAutostart(file, { argv: ['/opt/Hypha/hypha', '--hidden'], icon: '/opt/Hypha/icon.png' });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('Exec=/opt/Hypha/hypha --hidden\n');
    expect(text).toContain('Icon=/opt/Hypha/icon.png\n');
    // Readable by the session that reads it at login; writable by no one else.
    expect((await stat(file)).mode & 0o422).toBe(0o400);
    expect(await isAutostartEnabled(file)).toBe(true);

    await disableAutostart(file);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    expect(await isAutostartEnabled(file)).toBe(false);
    // Removing twice is not an error.
    await disableAutostart(file);
  });

  it('counts an entry switched off in the desktop settings as disabled', async () => {
    const file = autostartFile({ XDG_CONFIG_HOME: xdg });
    await enableAutostart(file, { argv: ['/opt/Hypha/hypha', '--hidden'], icon: 'hypha' });
    await writeFile(file, (await readFile(file, 'utf8')).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(await isAutostartEnabled(file)).toBe(false);
    await writeFile(file, `${autostartEntry({ argv: ['x'], icon: 'hypha' })}Hidden=true\n`);
    expect(await isAutostartEnabled(file)).toBe(false);
  });
});
