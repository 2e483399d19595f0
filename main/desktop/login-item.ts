// Launch at login on Linux: Electron's setLoginItemSettings covers macOS and Windows only, so
// there we write an XDG autostart entry ourselves. Plain Node (no electron import): the electron
// side passes in what it knows (execPath, app path, packaged or not).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface LaunchCommand {
  env: NodeJS.ProcessEnv;
  /** process.execPath: the Electron binary (or the packaged app's executable). */
  execPath: string;
  /** app.getAppPath(): the folder holding package.json, passed to Electron when not packaged. */
  appPath: string;
  isPackaged: boolean;
}

/** `$XDG_CONFIG_HOME/autostart/hypha.desktop`, XDG_CONFIG_HOME defaulting to ~/.config. */
export function autostartFile(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(configHome, 'autostart', 'hypha.desktop');
}

/**
 * The argv that starts Hypha again, hidden in the tray. An AppImage must be started through
 * $APPIMAGE: process.execPath points into its mount, which is gone once it exits.
 */
export function launchArgv(cmd: LaunchCommand): string[] {
  const appImage = cmd.env.APPIMAGE;
  if (appImage) return [appImage, '--hidden'];
  if (cmd.isPackaged) return [cmd.execPath, '--hidden'];
  return [cmd.execPath, cmd.appPath, '--hidden'];
}

// Desktop Entry spec, "The Exec key": arguments with reserved characters are double-quoted,
// and inside quotes `"`, `` ` ``, `$` and `\` take a backslash. The string-value escape rule
// then doubles every backslash once more, and `%` is written `%%` (field codes).
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

function quoteExecArg(arg: string): string {
  const quoted = RESERVED.test(arg) || arg === '' ? `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : arg;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function execLine(argv: readonly string[]): string {
  return argv.map(quoteExecArg).join(' ');
}

export interface AutostartEntryOptions {
  argv: readonly string[];
  /** An icon theme name or an absolute path to a PNG. */
  icon: string;
}

export function autostartEntry(opts: AutostartEntryOptions): string {
  // Newlines would end the key; no legitimate path or name holds one.
  const clean = (v: string): string => v.replace(/[\r\n]/g, ' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Hypha',
    'Comment=Keeps your local services alive',
    `Exec=${clean(execLine(opts.argv))}`,
    `Icon=${clean(opts.icon)}`,
    'Terminal=false',
    'Categories=Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function enableAutostart(file: string, opts: AutostartEntryOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, autostartEntry(opts), { mode: 0o644 });
}

export async function disableAutostart(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Whether Hypha starts at login. An entry a person disabled in their desktop's settings panel
 * (Hidden=true or X-GNOME-Autostart-enabled=false) counts as off.
 */
export async function isAutostartEnabled(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}
