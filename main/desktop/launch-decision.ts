// `npm start` opens the tray app where Electron can run and the same supervisor headless where it
// cannot. The decision is pure; finding the binary reads the file system but never loads
// electron's index.js, which would try to download the binary when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ElectronBinary = { ok: true; path: string } | { ok: false; problem: string };

export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: { DISPLAY?: string; WAYLAND_DISPLAY?: string; HYPHA_HEADLESS?: string };
  /** `--headless` was passed. */
  headlessFlag: boolean;
  electron: ElectronBinary;
}

export type LaunchDecision = { mode: 'electron'; binary: string } | { mode: 'headless'; reason: string };

const TAIL = 'running headless; dashboard below';

/** macOS and Windows always have a display; every other platform draws through X11 or Wayland. */
export function hasDisplay(platform: NodeJS.Platform, env: LaunchFacts['env']): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY) || Boolean(env.WAYLAND_DISPLAY);
}

export function decideLaunch(facts: LaunchFacts): LaunchDecision {
  const forced = facts.headlessFlag || (facts.env.HYPHA_HEADLESS !== undefined && facts.env.HYPHA_HEADLESS !== '' && facts.env.HYPHA_HEADLESS !== '0');
  if (forced) return { mode: 'headless', reason: `hypha: headless asked for — ${TAIL}` };
  if (!hasDisplay(facts.platform, facts.env)) return { mode: 'headless', reason: `hypha: no display — ${TAIL}` };
  if (!facts.electron.ok) return { mode: 'headless', reason: `hypha: ${facts.electron.problem} — ${TAIL}` };
  return { mode: 'electron', binary: facts.electron.path };
}

/**
 * Where electron's installer put the binary: node_modules/electron/path.txt names it relative to
 * dist/ (or to $ELECTRON_OVERRIDE_DIST_PATH, which electron's own index.js honours too).
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkg, 'package.json'))) return { ok: false, problem: 'Electron is not installed' };
  let relative: string;
  try {
    relative = readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    return { ok: false, problem: 'no Electron binary (its download did not run)' };
  }
  if (relative === '') return { ok: false, problem: 'no Electron binary (node_modules/electron/path.txt is empty)' };
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  const binary = path.join(dist, relative);
  if (!existsSync(binary)) return { ok: false, problem: `no Electron binary (${path.relative(root, binary) || binary} is missing)` };
  return { ok: true, path: binary };
}
