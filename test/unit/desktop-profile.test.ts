// The desktop app takes its environment profile from HYPHA_PROFILE (it has no command line to
// pass --profile): its composition root (startAppRoot, the one main.ts runs, here with a
// stand-in shell since Electron cannot run) starts the runtime with that profile, and the IPC
// `info` the window reads names it. A bad name is a start failure the person is told about.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppRoot, type AppRoot, type AppShell } from '../../main/desktop/app-root.js';
import { supervisorHandlers } from '../../main/desktop/ipc-handlers.js';

const saved = { HYPHA_PROFILE: process.env.HYPHA_PROFILE, HYPHA_HOME: process.env.HYPHA_HOME };
const roots: AppRoot<AppShell>[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const r of roots.splice(0)) await r.shutdown();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setUp(profile: string): { configPath: string; told: string[]; exits: number[]; opts: Parameters<typeof startAppRoot<AppShell>>[0] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-desktop-profile-'));
  dirs.push(dir);
  const configPath = path.join(dir, 'hypha.yaml');
  writeFileSync(configPath, 'api: { port: 0 }\nenv: { MODE: dev }\nenv_prod: { MODE: prod }\nservices:\n  web:\n    command: sleep 1000\n    autostart: false\n');
  process.env.HYPHA_HOME = path.join(dir, 'home');
  process.env.HYPHA_PROFILE = profile;
  const told: string[] = [];
  const exits: number[] = [];
  return {
    configPath,
    told,
    exits,
    opts: {
      configPath,
      log: () => undefined,
      tell: (title, message) => told.push(`${title}: ${message}`),
      exit: (code) => exits.push(code),
      startShell: async (runtime) => ({ shutdown: () => runtime.dispose() }),
    },
  };
}

describe('desktop app and HYPHA_PROFILE', () => {
  it('starts with the profile HYPHA_PROFILE names, and IPC info says which', async () => {
    const { opts, configPath } = setUp('prod');
    const root = await startAppRoot(opts);
    if (!root) throw new Error('the app did not start');
    roots.push(root);
    expect(root.runtime.config.profile).toBe('prod');
    expect(root.runtime.supervisor.settings('web').env).toEqual({ MODE: 'prod' });
    expect(supervisorHandlers(root.runtime.supervisor).info()).toEqual({ version: root.runtime.supervisor.version, configFile: configPath, profile: 'prod' });
  });

  it('a profile name no env_<profile> key could have is a start failure the person is told', async () => {
    const { opts, told, exits } = setUp('Prod!');
    expect(await startAppRoot(opts)).toBeNull();
    expect(exits).toEqual([2]);
    expect(told).toEqual(['Hypha could not start: invalid profile name "Prod!" in HYPHA_PROFILE: use lowercase letters, digits, - and _, as in an env_<profile> key']);
  });
});
