// The one main file is both the tray app and the CLI (main/desktop/role.ts decides). A CLI word
// given to the GUI executable (`hypha-desktop status`) is answered by the CLI and never starts the
// app; the `hypha` wrapper (ELECTRON_RUN_AS_NODE=1) is always the CLI. Proven on the pure decision
// and on the built bundle itself, run by Node made to look like Electron's main process, with a
// stand-in `electron` package that says so (and exits 42) if the app half ever loads.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseRole } from '../../main/desktop/role.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const GUI = '/opt/Hypha/hypha-desktop';

describe('chooseRole', () => {
  const packaged = (...args: string[]) => chooseRole({ argv: [GUI, ...args], env: {}, electron: '45.4.1', defaultApp: false });

  it('the GUI executable with no word, or only its own and Chromium switches, is the app', () => {
    expect(packaged()).toEqual({ kind: 'app' });
    expect(packaged('--hidden')).toEqual({ kind: 'app' });
    expect(packaged('-c', 'my.yaml', '--hidden')).toEqual({ kind: 'app' });
    expect(packaged('--config=my.yaml', '--no-sandbox', '--enable-logging')).toEqual({ kind: 'app' });
    expect(chooseRole({ argv: ['/x/electron', '/src/hypha', '--hidden'], env: {}, electron: '45.4.1', defaultApp: true })).toEqual({ kind: 'app' });
  });

  it('a CLI word given to the GUI executable is the CLI, with everything from the word on', () => {
    expect(packaged('status')).toEqual({ kind: 'cli', argv: ['status'] });
    expect(packaged('status', '--json')).toEqual({ kind: 'cli', argv: ['status', '--json'] });
    expect(packaged('logs', 'web', '-f')).toEqual({ kind: 'cli', argv: ['logs', 'web', '-f'] });
    // Unknown words too: the CLI says it does not know them, the window never opens.
    expect(packaged('frobnicate')).toEqual({ kind: 'cli', argv: ['frobnicate'] });
    expect(packaged('--version')).toEqual({ kind: 'cli', argv: ['--version'] });
    expect(packaged('-c', 'my.yaml', 'validate')).toEqual({ kind: 'cli', argv: ['validate'] });
    // Unpackaged (`electron . status`), the app path comes first and is not a word.
    expect(chooseRole({ argv: ['/x/electron', '/src/hypha', 'status'], env: {}, electron: '45.4.1', defaultApp: true })).toEqual({ kind: 'cli', argv: ['status'] });
  });

  it('Electron as Node (the hypha wrapper) and plain Node are always the CLI', () => {
    const bundle = '/opt/Hypha/resources/app.asar/dist/app/main.cjs';
    expect(chooseRole({ argv: [GUI, bundle, 'status'], env: { ELECTRON_RUN_AS_NODE: '1' }, electron: '45.4.1', defaultApp: false })).toEqual({ kind: 'cli', argv: ['status'] });
    expect(chooseRole({ argv: [GUI, bundle], env: { ELECTRON_RUN_AS_NODE: '1' }, electron: '45.4.1', defaultApp: false })).toEqual({ kind: 'cli', argv: [] });
    expect(chooseRole({ argv: ['/usr/bin/node', bundle, '--hidden'], env: {}, electron: undefined, defaultApp: false })).toEqual({ kind: 'cli', argv: ['--hidden'] });
  });
});

describe('the built main file under a stand-in Electron main process', () => {
  let dir: string;
  let bundle: string;
  const preload = pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'as-electron-main.mjs')).href;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-role-'));
    // The bundle beside a package.json (for its version) and a stand-in electron package.
    mkdirSync(path.join(dir, 'dist', 'app'), { recursive: true });
    bundle = path.join(dir, 'dist', 'app', 'main.cjs');
    copyFileSync(path.join(ROOT, 'dist', 'app', 'main.cjs'), bundle);
    copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    mkdirSync(path.join(dir, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'electron', 'index.js'), "process.stdout.write('the app started\\n'); process.exit(42);\n");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function gui(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', preload, bundle, ...args],
        { cwd: dir, env: { ...process.env, HYPHA_HOME: path.join(dir, 'home'), NO_COLOR: '1', ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('`hypha-desktop status` is answered by the CLI (no daemon: exit 3), and the app never loads', async () => {
    const r = await gui(['status']);
    expect(r.stdout).not.toContain('the app started');
    expect(r.stderr).toContain('no daemon running');
    expect(r.code).toBe(3);
  });

  it('`hypha-desktop --version` and `hypha-desktop validate -c FILE` are the CLI too', async () => {
    const version = await gui(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const config = path.join(dir, 'hypha.yaml');
    writeFileSync(config, 'services:\n  web:\n    command: node server.js\n');
    expect(await gui(['validate', '-c', config])).toMatchObject({ code: 0, stdout: `ok: ${config} (1 service)\n` });
  });

  it('with no word (a menu launch, or --hidden at login) the app starts', async () => {
    expect(await gui([])).toMatchObject({ code: 42, stdout: 'the app started\n' });
    expect(await gui(['--hidden'])).toMatchObject({ code: 42, stdout: 'the app started\n' });
  });

  it('ELECTRON_RUN_AS_NODE=1 (the hypha wrapper) is the CLI whatever follows', async () => {
    const r = await gui(['--version'], { ELECTRON_RUN_AS_NODE: '1' });
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});
