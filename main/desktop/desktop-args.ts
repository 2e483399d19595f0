// What the desktop app reads from its command line. Electron and Chromium add switches of their
// own (and test drivers add --inspect and --remote-debugging-port), so anything unknown is
// ignored rather than refused.
export interface DesktopArgs {
  /** `-c FILE` / `--config FILE` / `--config=FILE`, as for `hypha daemon`. */
  configPath?: string;
  /** Started at login: stay in the tray, open no window. */
  hidden: boolean;
}

export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  const out: DesktopArgs = { hidden: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--hidden') out.hidden = true;
    else if ((arg === '-c' || arg === '--config') && i + 1 < argv.length) out.configPath = argv[++i];
    else if (arg?.startsWith('--config=')) out.configPath = arg.slice('--config='.length);
  }
  return out;
}
