import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopSettingsFile, loadDesktopSettings, saveDesktopSettings } from '../../main/desktop/desktop-settings.js';
import { parseDesktopArgs } from '../../main/desktop/desktop-args.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hypha-home-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('desktop settings (HYPHA_HOME/desktop.json)', () => {
  it('defaults to notifications on when there is no file', () => {
    expect(loadDesktopSettings(home)).toEqual({ notifications: true });
  });

  it('persists the notifications switch, private to the user', async () => {
    await saveDesktopSettings(home, { notifications: false });
    expect(loadDesktopSettings(home)).toEqual({ notifications: false });
    expect(JSON.parse(await readFile(desktopSettingsFile(home), 'utf8'))).toEqual({ notifications: false });
    expect((await stat(desktopSettingsFile(home))).mode & 0o777).toBe(0o600);
  });

  it('falls back to defaults for a damaged file or a wrong type', async () => {
    await writeFile(desktopSettingsFile(home), '{not json');
    expect(loadDesktopSettings(home)).toEqual({ notifications: true });
    await writeFile(desktopSettingsFile(home), '{"notifications":"no"}');
    expect(loadDesktopSettings(home)).toEqual({ notifications: true });
  });
});

describe('parseDesktopArgs', () => {
  it('reads -c/--config and --hidden, ignoring the switches Electron and test drivers add', () => {
    expect(parseDesktopArgs([])).toEqual({ hidden: false });
    expect(parseDesktopArgs(['--inspect=0', '--remote-debugging-port=0', '-c', 'my.yaml', '--hidden'])).toEqual({
      configPath: 'my.yaml',
      hidden: true,
    });
    expect(parseDesktopArgs(['--config', 'a.yaml'])).toEqual({ configPath: 'a.yaml', hidden: false });
    expect(parseDesktopArgs(['--config=b.yaml'])).toEqual({ configPath: 'b.yaml', hidden: false });
    expect(parseDesktopArgs(['-c'])).toEqual({ hidden: false });
  });
});
