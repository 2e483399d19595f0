// How a person reads a stray: a short name for a process and one line saying what spawned it
// ("spawned by cron (pid 812) → /bin/sh -c python run.py", "parent gone (orphaned)"). Pure.
import type { ProcessRef } from '../../contract/status.js';
import { clipCommand } from '../process/command-text.js';

/** Programs whose first plain argument is the script that says what the process really is. */
const INTERPRETERS = /^(?:sh|bash|dash|zsh|ksh|mksh|fish|node|nodejs|deno|bun|python[\d.]*|pypy[\d.]*|perl|ruby|php|lua|tclsh)$/;
const SHELLS = /^(?:sh|bash|dash|zsh|ksh|mksh|fish)$/;
/**
 * Processes that only pass a command on (and may stay around as its parent): naming one of them as
 * "what spawned it" would send a person to the wrong place, so the verdict looks past them.
 */
const PASS_THROUGH = /^(?:timeout|flock|nice|ionice|stdbuf|sudo|su|doas|runuser|run-parts|nohup|setsid|env|chronic|time)$/;
/** Reapers: a process whose parent is one of these lost its real parent, or is a service unit. */
const INIT_LIKE = /^(?:init|systemd|launchd|tini|dumb-init|catatonit|docker-init)$/;
const CRON_LIKE = /^(?:cron|crond|anacron|fcron|atd|cronie)$/;

/** Splits a command line as the process table shows it (arguments joined by spaces). */
function words(command: string): string[] {
  return command.trim().split(/\s+/).filter((w) => w.length > 0);
}

function basename(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return (cut >= 0 ? file.slice(cut + 1) : file).replace(/^-/, '').replace(/\.exe$/i, '');
}

export function clip(text: string, max: number): string {
  return clipCommand(text, max);
}

/** `sh -c …`, `bash -lc …`: a shell that runs one command line it was handed. */
export function isShellWrapper(command: string): boolean {
  const w = words(command);
  return SHELLS.test(basename(w[0] ?? '')) && /^-[a-z]*c[a-z]*$/.test(w[1] ?? '');
}

function isPassThrough(ref: ProcessRef): boolean {
  return isShellWrapper(ref.command) || PASS_THROUGH.test(basename(words(ref.command)[0] ?? ''));
}

export function isInitLike(ref: ProcessRef): boolean {
  return ref.pid === 1 || INIT_LIKE.test(basename(words(ref.command)[0] ?? ''));
}

/**
 * The name a person knows a process by: `cron` for `/usr/sbin/cron -f`, `cron-loop.sh` for
 * `/bin/sh ./cron-loop.sh`, `sh -c "…"` for a shell handed a command line.
 */
export function processName(command: string): string {
  const w = words(command);
  const exe = basename(w[0] ?? '');
  if (exe === '') return clip(command, 60) || '?';
  if (isShellWrapper(command)) return `${exe} -c "${clip(w.slice(2).join(' '), 40)}"`;
  if (INTERPRETERS.test(exe)) {
    const script = w.slice(1).find((a) => !a.startsWith('-'));
    if (script) return basename(script);
  }
  return exe;
}

function named(ref: ProcessRef): string {
  return `${processName(ref.command)} (pid ${ref.pid})`;
}

/** Environment facts that tell another supervisor's children apart (Linux: /proc/PID/environ). */
export interface HyphaEnv {
  service: string | null;
  home: string | null;
  run: string | null;
}

export interface VerdictInput {
  /** Parent first, up to init. */
  ancestry: readonly ProcessRef[];
  env: HyphaEnv | null;
  /** This supervisor's HYPHA_HOME. */
  home: string | null;
  /** The systemd unit the stray runs in, when it is a `.service` (Linux cgroup), else null. */
  unit: string | null;
  platform: NodeJS.Platform;
}

/** Where the chain of real spawners starts: the nearest ancestor that is not a pass-through. */
export function spawner(ancestry: readonly ProcessRef[]): { source: ProcessRef | null; via: ProcessRef[] } {
  const via: ProcessRef[] = [];
  for (const ref of ancestry) {
    if (isInitLike(ref)) return { source: ref, via };
    if (!isPassThrough(ref)) return { source: ref, via };
    via.push(ref);
  }
  return { source: null, via };
}

/** One line: who started this process, in words a person can act on. */
export function spawnVerdict(input: VerdictInput): string {
  const env = input.env;
  if (env?.service && env.home && env.home !== input.home) {
    return `started by another Hypha (HYPHA_HOME ${env.home}, service ${env.service})`;
  }
  const { source, via } = spawner(input.ancestry);
  const chain = via
    .slice()
    .reverse()
    .map((r) => clip(r.command, 60))
    .join(' → ');
  if (!source || isInitLike(source)) {
    if (input.unit) return `started by systemd unit ${input.unit}${chain ? ` → ${chain}` : ''}`;
    if (input.platform === 'darwin' && source?.pid === 1 && via.length === 0) {
      return 'started by launchd (a launch agent, or its parent is gone)';
    }
    return via.length === 0 ? 'parent gone (orphaned)' : `spawned by ${chain}, whose parent is gone (orphaned)`;
  }
  return `spawned by ${named(source)}${chain ? ` → ${chain}` : ''}`;
}

/** What to do about a source that keeps starting new copies. */
function advice(source: ProcessRef | null, unit: string | null): string {
  if (unit) return `stop and disable ${unit}`;
  if (source && CRON_LIKE.test(processName(source.command))) return 'disable that cron job (crontab -l lists them)';
  return 'disable that script or cron job';
}

/**
 * The verdict for copies that keep coming back. `source` is their nearest common ancestor, or
 * null when their parents are gone (each copy was orphaned right after it was started).
 */
export function respawnVerdict(source: ProcessRef | null, unit: string | null): string {
  if (source && !isInitLike(source)) {
    return `respawning: new copies keep appearing, spawned by ${named(source)} — ${advice(source, unit)}`;
  }
  if (unit) return `respawning: new copies keep appearing, started by systemd unit ${unit} — ${advice(null, unit)}`;
  return 'respawning: new copies keep appearing and their parents are gone — look for a cron job, a systemd timer or a script that starts them';
}
