// Which program this process is: the one main file (dist/app/main.cjs) is both the tray app and
// the `hypha` CLI. Packages put a wrapper named `hypha` on PATH that runs this file with
// Electron's own Node (ELECTRON_RUN_AS_NODE=1), and a person may also type `hypha-desktop status`:
// a CLI word must then be answered by the CLI, never by raising the window. Pure, so it is
// tested under plain Node with made-up argv and environments.

export type Role = { kind: 'cli'; argv: string[] } | { kind: 'app' };

export interface RoleFacts {
  /** process.argv as the process received it. */
  argv: readonly string[];
  env: { ELECTRON_RUN_AS_NODE?: string };
  /** process.versions.electron: set inside Electron, in either mode. */
  electron: string | undefined;
  /** app.isPackaged would need electron; a packaged app's argv has no app path after the binary. */
  defaultApp: boolean;
}

/** Switches the desktop app takes itself; everything else that starts with '-' belongs to Chromium. */
const APP_FLAGS_WITH_VALUE = new Set(['-c', '--config']);
const CLI_SWITCHES = new Set(['-h', '--help', '-V', '--version']);

/** The arguments after the program (and, unpackaged or under node, the script or app path). */
export function userArgs(facts: RoleFacts): string[] {
  const asNode = facts.electron === undefined || runsAsNode(facts.env);
  // node main.cjs … · electron /path/to/app … (defaultApp) · /opt/Hypha/hypha-desktop …
  return facts.argv.slice(asNode || facts.defaultApp ? 2 : 1);
}

function runsAsNode(env: RoleFacts['env']): boolean {
  return env.ELECTRON_RUN_AS_NODE !== undefined && env.ELECTRON_RUN_AS_NODE !== '' && env.ELECTRON_RUN_AS_NODE !== '0';
}

export function chooseRole(facts: RoleFacts): Role {
  const args = userArgs(facts);
  if (facts.electron === undefined || runsAsNode(facts.env)) return { kind: 'cli', argv: args };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (APP_FLAGS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (CLI_SWITCHES.has(arg)) return { kind: 'cli', argv: args.slice(i) };
    // macOS hands old-style apps a -psn_… switch; Chromium switches all start with '-'.
    if (!arg.startsWith('-')) return { kind: 'cli', argv: args.slice(i) };
  }
  return { kind: 'app' };
}
