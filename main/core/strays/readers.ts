// Processes that only look at a service's file are not copies of the service (issue 11 item 7):
// `less mycobrain.mjs`, `vim app.py`, `tail -f server.js`, `grep -n x main.mjs` all match a
// `match` that names the script, yet ending them would hit a person at work. A process whose
// executable is a pager, editor, viewer or text tool (or a shell handed the file as a script) is a
// stray only when the pattern names that executable itself, or when the service runs that very
// program (a copy of `sh job.sh` is `sh job.sh`). Pure, so the rule can be proven on strings.

/** Pagers, editors, viewers and text tools: they read a file, they never are the service. */
const READERS = new Set([
  'less', 'more', 'most', 'pg', 'view', 'vi', 'vim', 'nvim', 'gvim', 'vimdiff', 'nvim-qt', 'ex', 'ed',
  'nano', 'pico', 'micro', 'joe', 'mg', 'jed', 'emacs', 'emacsclient', 'kak', 'hx', 'helix', 'code',
  'codium', 'subl', 'gedit', 'kate', 'mousepad', 'cat', 'bat', 'batcat', 'tac', 'tail', 'head', 'grep',
  'egrep', 'fgrep', 'rg', 'ag', 'ack', 'wc', 'sed', 'awk', 'gawk', 'mawk', 'diff', 'cmp', 'nl', 'od',
  'xxd', 'hexdump', 'file', 'stat', 'sha1sum', 'sha256sum', 'md5sum', 'cp', 'mv', 'ls', 'find', 'git',
  'tee', 'sort', 'uniq', 'cut', 'strings',
]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'fish']);
/** Commands that run the next word as the program (`nice -n 5 less x`, `sudo vim x`, `script -qc "less x"`). */
const PASS_THROUGH = new Set(['script', 'watch', 'xargs', 'nice', 'ionice', 'nohup', 'setsid', 'env', 'stdbuf', 'sudo', 'doas', 'timeout', 'time', 'command', 'exec']);

function basename(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return (cut >= 0 ? file.slice(cut + 1) : file).replace(/^-/, '').replace(/\.exe$/i, '');
}

/** The basename of the program a command line runs (`/usr/bin/less` → `less`). */
export function executableOf(command: string | readonly string[]): string {
  const w = typeof command === 'string' ? command.trim().split(/\s+/) : command;
  return basename(w[0] ?? '');
}

/**
 * The program a command line really runs and where its word starts, looking through `sh -c "…"`
 * and pass-through commands (`nice`, `sudo`, `env A=1`). Options and `VAR=value` words are skipped.
 */
export function effectiveProgram(command: string): { exe: string; at: number; args: string[] } {
  const re = /\S+/g;
  const words: { w: string; at: number }[] = [];
  for (let m = re.exec(command); m; m = re.exec(command)) words.push({ w: m[0], at: m.index });
  let i = 0;
  for (let hops = 0; hops < 8 && i < words.length; hops++) {
    const exe = basename(words[i]?.w ?? '');
    if (SHELLS.has(exe) && /^-[a-z]*c[a-z]*$/.test(words[i + 1]?.w ?? '')) {
      i += 2; // `sh -c "less x"`: the table joins the string's words with spaces
      if (words[i]) words[i] = { w: (words[i] as { w: string }).w.replace(/^["']/, ''), at: (words[i] as { at: number }).at };
      continue;
    }
    if (!PASS_THROUGH.has(exe)) break;
    i++;
    while (i < words.length && (/^-/.test(words[i]?.w ?? '') || /^[A-Za-z_]\w*=/.test(words[i]?.w ?? '') || /^\d+$/.test(words[i]?.w ?? ''))) i++;
  }
  const head = words[i];
  return { exe: head ? basename(head.w) : '', at: head?.at ?? 0, args: words.slice(i + 1).map((x) => x.w) };
}

/** Whether `exe` with `args` only reads files: a pager, editor or text tool, or a shell given a script. */
export function isReader(exe: string, args: readonly string[]): boolean {
  if (READERS.has(exe)) return true;
  return SHELLS.has(exe) && args.some((a) => !a.startsWith('-'));
}

/**
 * Whether a process whose command line `command` hits `match` is a copy of the service, not a
 * person reading its file. `serviceExe` is the basename of the program the service runs.
 */
export function isCopyOfService(command: string, match: RegExp, serviceExe: string | null): boolean {
  const { exe, at, args } = effectiveProgram(command);
  if (!isReader(exe, args)) return true;
  if (serviceExe !== null && serviceExe === exe) return true;
  // The pattern names the executable when one of its hits covers the executable's word.
  const end = at + (command.slice(at).match(/^\S+/)?.[0].length ?? 0);
  const global = new RegExp(match.source, match.flags.includes('g') ? match.flags : `${match.flags}g`);
  for (let m = global.exec(command); m; m = global.exec(command)) {
    if (m.index < end && m.index + m[0].length > at) return true;
    if (m[0].length === 0) global.lastIndex++;
  }
  return false;
}
