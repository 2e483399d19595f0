// Where the config and Hypha's own state live (SPEC §1, §3, §6 "Platforms").
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface ResolveOptions {
  /** `-c FILE` */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  platform?: NodeJS.Platform;
  home?: string;
}

export const CONFIG_FILE_NAME = 'hypha.yaml';
/** The names a config file may have in a folder, first wins (`.yml` is as common as `.yaml`). */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, 'hypha.yml'] as const;

/** The config file in `dir` (hypha.yaml, else hypha.yml), or null. */
export function configFileIn(dir: string, platform: NodeJS.Platform = process.platform): string | null {
  const p = pathFor(platform);
  for (const name of CONFIG_FILE_NAMES) {
    const file = p.join(dir, name);
    if (isFile(file)) return file;
  }
  return null;
}

/**
 * `-c FILE` > `$HYPHA_CONFIG` > `./hypha.yaml` (or `./hypha.yml`) > the user config file > null
 * (the built-in default). A file named by `-c` or `$HYPHA_CONFIG` is returned even when missing,
 * so the loader can say so instead of silently running something else.
 */
export function resolveConfigPath(opts: ResolveOptions = {}): string | null {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const p = pathFor(platform);
  const cwd = opts.cwd ?? process.cwd();
  if (opts.flag !== undefined) return p.resolve(cwd, opts.flag);
  if (env.HYPHA_CONFIG) return p.resolve(cwd, env.HYPHA_CONFIG);
  const local = configFileIn(cwd, platform);
  if (local) return local;
  const user = userConfigPath(env, platform, opts.home ?? homedir());
  if (isFile(user)) return user;
  const userYml = user.slice(0, -'.yaml'.length) + '.yml';
  if (isFile(userYml)) return userYml;
  return null;
}

/** `$XDG_CONFIG_HOME/hypha/hypha.yaml`, else the platform's usual place for it. */
export function userConfigPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  const p = pathFor(platform);
  const xdg = absolute(env.XDG_CONFIG_HOME, p);
  if (xdg) return p.join(xdg, 'hypha', CONFIG_FILE_NAME);
  return p.join(appDataDir(env, platform, home) ?? p.join(home, '.config', 'hypha'), CONFIG_FILE_NAME);
}

/** `$HYPHA_HOME` > `$XDG_STATE_HOME/hypha` > the platform's app-data folder > `~/.local/state/hypha`. */
export function resolveHyphaHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const p = pathFor(platform);
  if (env.HYPHA_HOME) return p.resolve(env.HYPHA_HOME);
  const xdg = absolute(env.XDG_STATE_HOME, p);
  if (xdg) return p.join(xdg, 'hypha');
  return appDataDir(env, platform, home) ?? p.join(home, '.local', 'state', 'hypha');
}

/** macOS and Windows keep config and state together in one app folder; null elsewhere. */
function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | null {
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Hypha');
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Hypha');
  return null;
}

/** The XDG spec says relative values are to be ignored. */
function absolute(value: string | undefined, p: path.PlatformPath): string | null {
  return value && p.isAbsolute(value) ? value : null;
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
