import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideLaunch, findElectronBinary, hasDisplay, type ElectronBinary } from '../../main/desktop/launch-decision.js';

const binary: ElectronBinary = { ok: true, path: '/x/node_modules/electron/dist/electron' };

describe('decideLaunch', () => {
  it('opens the tray app on a Linux desktop with an Electron binary', () => {
    expect(decideLaunch({ platform: 'linux', env: { DISPLAY: ':0' }, headlessFlag: false, electron: binary })).toEqual({
      mode: 'electron',
      binary: binary.ok ? binary.path : '',
    });
    expect(decideLaunch({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, headlessFlag: false, electron: binary }).mode).toBe('electron');
  });

  it('runs headless without a display, saying why in one line', () => {
    const d = decideLaunch({ platform: 'linux', env: {}, headlessFlag: false, electron: binary });
    expect(d).toEqual({ mode: 'headless', reason: 'hypha: no display — running headless; dashboard below' });
    if (d.mode === 'headless') expect(d.reason).not.toContain('\n');
    expect(decideLaunch({ platform: 'linux', env: { DISPLAY: '' }, headlessFlag: false, electron: binary }).mode).toBe('headless');
  });

  it('runs headless without an Electron binary, naming what is missing', () => {
    const d = decideLaunch({
      platform: 'darwin',
      env: {},
      headlessFlag: false,
      electron: { ok: false, problem: 'no Electron binary (node_modules/electron/dist/electron is missing)' },
    });
    expect(d).toEqual({
      mode: 'headless',
      reason: 'hypha: no Electron binary (node_modules/electron/dist/electron is missing) — running headless; dashboard below',
    });
  });

  it('runs headless when asked, by flag or HYPHA_HEADLESS', () => {
    expect(decideLaunch({ platform: 'linux', env: { DISPLAY: ':0' }, headlessFlag: true, electron: binary }).mode).toBe('headless');
    expect(decideLaunch({ platform: 'win32', env: { HYPHA_HEADLESS: '1' }, headlessFlag: false, electron: binary }).mode).toBe('headless');
    expect(decideLaunch({ platform: 'win32', env: { HYPHA_HEADLESS: '0' }, headlessFlag: false, electron: binary }).mode).toBe('electron');
  });

  it('treats macOS and Windows as always having a display', () => {
    expect(hasDisplay('darwin', {})).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
    expect(hasDisplay('freebsd', {})).toBe(false);
  });
});

describe('findElectronBinary', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hypha-electron-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const pkg = () => path.join(root, 'node_modules', 'electron');

  it('reports electron not installed', () => {
    expect(findElectronBinary(root, {})).toEqual({ ok: false, problem: 'Electron is not installed' });
  });

  it('reports a package whose download never ran (no path.txt)', async () => {
    await mkdir(pkg(), { recursive: true });
    await writeFile(path.join(pkg(), 'package.json'), '{"name":"electron"}');
    expect(findElectronBinary(root, {})).toEqual({ ok: false, problem: 'no Electron binary (its download did not run)' });
  });

  it('reports a path.txt that points at nothing', async () => {
    await mkdir(pkg(), { recursive: true });
    await writeFile(path.join(pkg(), 'package.json'), '{"name":"electron"}');
    await writeFile(path.join(pkg(), 'path.txt'), 'electron');
    const found = findElectronBinary(root, {});
    expect(found).toEqual({ ok: false, problem: `no Electron binary (${path.join('node_modules', 'electron', 'dist', 'electron')} is missing)` });
  });

  it('finds the binary path.txt names under dist/, or under ELECTRON_OVERRIDE_DIST_PATH', async () => {
    await mkdir(path.join(pkg(), 'dist'), { recursive: true });
    await writeFile(path.join(pkg(), 'package.json'), '{"name":"electron"}');
    await writeFile(path.join(pkg(), 'path.txt'), 'electron');
    await writeFile(path.join(pkg(), 'dist', 'electron'), '');
    expect(findElectronBinary(root, {})).toEqual({ ok: true, path: path.join(pkg(), 'dist', 'electron') });

    const override = path.join(root, 'custom');
    await mkdir(override);
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override }).ok).toBe(false);
    await writeFile(path.join(override, 'electron'), '');
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({ ok: true, path: path.join(override, 'electron') });
  });

  it('in this checkout, finds no binary without loading electron (which would try to download it)', () => {
    const here = path.resolve(import.meta.dirname, '..', '..');
    const found = findElectronBinary(here, {});
    // Wherever a binary was installed this is ok; here none can be, and it must say so.
    if (!found.ok) expect(found.problem).toMatch(/Electron/);
  });
});
