// One fatal-error policy (main/host/fatal.ts) in both composition roots: an uncaught error kills
// every service's whole tree at once, says why, and exits 1. The daemon's case is
// test/integration/process-rules.test.ts; this is the tray app's root (main/desktop/app-root.ts,
// what main.ts runs) under plain Node with a stand-in shell, the fault injected the same way
// (`node --import` of test/fixtures/inject-fault.mjs). Before the policy, the app showed a dialog
// and carried on with its services unsupervised.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { aliveOf, readForkerPids, tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, cleanUp, daemonReaper, fixtureCommand, q, ROOT } from '../helpers/daemon.js';

afterEach(async () => {
  await cleanUp();
});

function startAppRoot(dir: string, config: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(FIXTURES, 'app-root.mjs'), config], {
    cwd: dir,
    env: { ...process.env, HYPHA_HOME: join(dir, 'home'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) daemonReaper.add(child.pid);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** A config with one service that forks a tree of 12 processes, their pids written to pidsFile. */
function treeConfig(prefix: string): { dir: string; config: string; pidsFile: string } {
  const dir = tempDir(prefix);
  const pidsFile = join(dir, 'pids.json');
  const config = join(dir, 'hypha.yaml');
  writeFileSync(
    config,
    `api: { port: 0 }
services:
  tree:
    command: ${fixtureCommand('forker.mjs')}
    env: { PIDS_FILE: ${q(pidsFile)} }
    stop: { timeout: 1s }
`,
  );
  return { dir, config, pidsFile };
}

describe('the tray app’s fatal-error policy', () => {
  it('an uncaught error in the app kills every child, says why, and exits 1', async () => {
    expect(existsSync(join(ROOT, 'dist', 'main', 'desktop', 'app-root.js'))).toBe(true);
    const { dir, config, pidsFile } = treeConfig('hypha-app-fatal-');
    const faultFile = join(dir, 'fault');
    const app = startAppRoot(dir, config, {
      NODE_OPTIONS: `--import=${pathToFileURL(join(FIXTURES, 'inject-fault.mjs')).href}`,
      HYPHA_FAULT_FILE: faultFile,
    });
    const pids = await readForkerPids(pidsFile);
    expect(aliveOf(pids.all)).toHaveLength(12);
    await waitFor(() => app.output().includes('app shell up'), { message: `app shell up: ${app.output()}` });

    writeFileSync(faultFile, '');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.output()).toContain('[dialog] Hypha stopped after an internal error');
    expect(app.output()).toContain('hypha: internal error: Error: injected fault');
    expect(app.output()).toContain('every service was killed');
    // killAllNow is synchronous SIGKILL; the kernel may take a moment to reap what it killed.
    await waitFor(() => aliveOf(pids.all).length === 0, { message: `children left: ${aliveOf(pids.all)}` });
    // The daemon's emergency path, the same here: no info file left to point a CLI at a dead API.
    expect(existsSync(join(dir, 'home', 'daemon.json'))).toBe(false);
  });

  it('without a fault the same root quits cleanly: every service stopped, exit 0', async () => {
    const { dir, config, pidsFile } = treeConfig('hypha-app-quit-');
    const app = startAppRoot(dir, config, {});
    const pids = await readForkerPids(pidsFile);
    await waitFor(() => app.output().includes('app shell up'), { message: `app shell up: ${app.output()}` });
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(aliveOf(pids.all)).toEqual([]);
    expect(existsSync(join(dir, 'home', 'daemon.json'))).toBe(false);
  });
});
