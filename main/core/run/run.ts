// One run of a service: the child process, spawned as the leader of its own process group, in a
// cgroup of its own where Linux lets Hypha make one (joined before exec, see cgroup.ts), its output
// wired into the service log through real pipes, and the tracker of every descendant (the
// fallback where there is no cgroup). How it is stopped is stop.ts; what the main process's exit
// means for a program that forks into the background is daemon-exit.ts.
import fs from 'node:fs';
import { fdShortage } from './fd-budget.js';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { ServiceConfig } from '../../contract/config.js';
import { readEnvFiles } from '../config/env-file.js';
import type { ServiceLog } from '../logs/service-log.js';
import { DescendantTracker } from '../process/tree.js';
import { runAs } from '../users/account.js';
import { processStartTime } from '../process/proctable.js';
import { RUN_MARK_VAR, newRunMark } from './marks.js';
import { cgroupsEnabled, createRunCgroup, joiningArgv, removeCgroup } from '../process/cgroup.js';
import type { Containment } from '../../contract/status.js';
import type { Command } from '../../contract/config.js';
import { DAEMONIZE_WINDOW_MS, PIDFILE_WAIT_MS, awaitGone, awaitPidfile, awaitPortHolder, daemonizedMessage, survivors } from './daemon-exit.js';
export { adoptMarked, killRun } from './stop.js';
import { closeFd, openOutputPipe, type OutputPipe } from '../process/pipes.js';
import type { Readable } from 'node:stream';

export interface Run {
  /** The main process: the spawned one, or for a `pidfile` service the pid in the file once read. */
  pid: number;
  pgid: number;
  startedAt: number;
  /** Process start-time token, so a recycled pid is never mistaken for this run. */
  startTime: string | null;
  tracker: DescendantTracker;
  /** HYPHA_RUN value every process of this run inherits (see run-marks.ts). */
  mark: string;
  /** Resolves when the leader has exited, once its output is read and its end is known. */
  exited: Promise<void>;
  /** Resolves the moment the spawned process's exit event comes (a stop wakes on it). */
  leaderExited: Promise<void>;
  /** The supervisor asked for this exit. */
  requested: boolean;
  timedOut: boolean;
  /**
   * Set when the run cannot work and must not be restarted: the shell said the command does not
   * exist (exit 127 at once), or the program went into the background without `pidfile`.
   */
  notFound: string | null;
  /** How this run is held: its own cgroup, or the tracked process tree. */
  containment: Containment;
  /** The run's cgroup folder, or null (tree tracking only). */
  cgroup: string | null;
  /** The port the service declares (`port:`), or null: its holders belong to the run. */
  port: number | null;
  /** stop.command of the config it was started with, run with `env` in `cwd`. */
  stopCommand: Command | null;
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: ServiceLog;
}

export interface SpawnFailure {
  error: string;
}

export interface SpawnOptions {
  baseEnv: NodeJS.ProcessEnv;
  home: string | null;
  log: ServiceLog;
  onExit(run: Run, code: number | null, signal: string | null): void;
}

const isWindows = process.platform === 'win32';
/** How long an exit waits for the last output before it is reported anyway. */
const OUTPUT_SETTLE_MS = 250;
const DAEMONIZE_RECHECK_MS = 200;

function searchPath(file: string, envPath: string | undefined): string | null {
  if (file.includes('/') || (isWindows && file.includes('\\'))) return isExecutable(file) ? file : null;
  const exts = isWindows ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, file + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (isWindows) return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const nodeOnPathCache = new Map<string, boolean>();
/**
 * SPEC §6: only where no `node` is on the service's PATH (the packaged desktop app started from a
 * menu) does a command whose first word is `node` run with the Node that runs Hypha (Electron's
 * own, as Node). Inside Electron too, a person's own node on PATH is the one their command meant.
 */
export function nodeNeedsRewrite(envPath: string | undefined): boolean {
  const key = envPath ?? '';
  let onPath = nodeOnPathCache.get(key);
  if (onPath === undefined) {
    onPath = searchPath('node', envPath) !== null;
    nodeOnPathCache.set(key, onPath);
  }
  return !onPath;
}

function quoteForShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The containment a run started now would get (what status shows while a service is stopped). */
export function defaultContainment(): Containment {
  return !isWindows && cgroupsEnabled() ? 'cgroup' : 'tree';
}

export function spawnRun(c: ServiceConfig, opts: SpawnOptions): Run | SpawnFailure {
  let st: fs.Stats;
  try {
    st = fs.statSync(c.cwd);
  } catch {
    return { error: `cwd missing: ${c.cwd}` };
  }
  if (!st.isDirectory()) return { error: `cwd is not a folder: ${c.cwd}` };

  const files = readEnvFiles([c.globalEnvFile, c.envFile]);
  if (!files.ok) return { error: files.error };
  const fileEnv = files.env;
  const account = runAs(c.user);
  if (!account.ok) return { error: account.error };
  const mark = newRunMark();
  const env: NodeJS.ProcessEnv = { ...opts.baseEnv, ...account.runAs.env, ...fileEnv, ...c.env, HYPHA_SERVICE: c.id, [RUN_MARK_VAR]: mark };
  if (opts.home) env.HYPHA_HOME = opts.home;

  let file: string;
  let args: string[];
  let shell: boolean | string = false;
  if (Array.isArray(c.command)) {
    const first = c.command[0] ?? '';
    args = c.command.slice(1);
    if (first === 'node' && nodeNeedsRewrite(env.PATH)) {
      file = process.execPath;
      env.ELECTRON_RUN_AS_NODE = '1';
    } else {
      const found = searchPath(path.isAbsolute(first) || !first.includes('/') ? first : path.resolve(c.cwd, first), env.PATH);
      if (!found) return { error: `command not found: ${first}` };
      file = found;
    }
  } else {
    let text = c.command;
    if (/^node(\s|$)/.test(text) && nodeNeedsRewrite(env.PATH)) {
      text = quoteForShell(process.execPath) + text.slice(4);
      env.ELECTRON_RUN_AS_NODE = '1';
    }
    file = text;
    args = [];
    shell = c.shell ?? true;
    if (c.shell !== null && !searchPath(c.shell, env.PATH)) return { error: `shell not found: ${c.shell}` };
  }

  // node:child_process directly rather than execa: a run needs none of execa's buffering or
  // promise plumbing (the supervisor owns signals and trees), and its per-spawn overhead was a
  // fifth of the crash → respawn time.
  const shortage = fdShortage();
  if (shortage) return { error: `cannot start: ${shortage}` };
  // Its own cgroup, joined by the child before it execs the command (no fork can escape it).
  const cgroup = isWindows ? null : createRunCgroup(opts.home, `${c.id}.${mark}`);
  // A `user:` service joins its cgroup while still root (moving a process between cgroups needs
  // write access to their common ancestor, which the user lacks), then drops to the account with
  // setpriv just before exec; without a cgroup, node's spawn sets uid/gid itself.
  let dropTo: { uid?: number; gid?: number } = { uid: account.runAs.uid, gid: account.runAs.gid };
  if (cgroup) {
    if (shell) {
      args = ['-c', file];
      file = typeof shell === 'string' ? shell : '/bin/sh';
    }
    if (account.runAs.uid !== undefined && account.runAs.gid !== undefined) {
      args = ['--reuid', String(account.runAs.uid), '--regid', String(account.runAs.gid), '--init-groups', '--', file, ...args];
      file = 'setpriv';
      dropTo = {};
    }
    ({ file, args } = joiningArgv(cgroup, file, args));
    shell = false;
  }

  // Real pipes (FIFOs), so the child can open /dev/stdout and /dev/stderr (see pipes.ts).
  const log = opts.log;
  let lastStderr = '';
  const take = (name: 'stdout' | 'stderr', chunk: Buffer): void => {
    // Only the end is wanted (the shell's 'not found'): 1200 bytes hold the last 300 characters.
    if (name === 'stderr') lastStderr = chunk.subarray(-1200).toString('utf8').slice(-300);
    log.ingest(name, chunk);
  };
  const pipes: [OutputPipe | null, OutputPipe | null] = [openOutputPipe((c) => take('stdout', c)), openOutputPipe((c) => take('stderr', c))];
  const closeWriteEnds = (): void => {
    for (const p of pipes) if (p) closeFd(p.writeFd);
  };
  const dropPipes = (): void => {
    closeWriteEnds();
    for (const p of pipes) p?.reader.destroy();
  };
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: c.cwd,
      env,
      shell,
      uid: dropTo.uid,
      gid: dropTo.gid,
      detached: !isWindows,
      stdio: ['ignore', pipes[0]?.writeFd ?? 'pipe', pipes[1]?.writeFd ?? 'pipe'],
      windowsHide: true,
    });
  } catch (err) {
    dropPipes();
    if (cgroup) removeCgroup(cgroup);
    return { error: `cannot start: ${(err as Error).message}` };
  }
  // The child holds its own copies now; ours must go, or the reader never sees end-of-file.
  closeWriteEnds();
  const pid = child.pid;
  if (pid === undefined) {
    child.on('error', () => undefined);
    dropPipes();
    if (cgroup) removeCgroup(cgroup);
    return { error: `cannot start ${Array.isArray(c.command) ? c.command[0] : c.command}: spawn failed` };
  }
  child.on('error', () => undefined);

  let resolveExit: () => void = () => undefined;
  let resolveLeaderExit: () => void = () => undefined;
  const startTime = processStartTime(pid);
  const run: Run = {
    pid,
    pgid: pid,
    startedAt: Date.now(),
    startTime,
    tracker: new DescendantTracker(pid, pid, startTime),
    mark,
    exited: new Promise<void>((r) => (resolveExit = r)),
    leaderExited: new Promise<void>((r) => (resolveLeaderExit = r)),
    requested: false,
    timedOut: false,
    notFound: null,
    containment: cgroup ? 'cgroup' : 'tree',
    cgroup,
    port: c.port,
    stopCommand: c.stop.command,
    env,
    cwd: c.cwd,
    log: opts.log,
  };

  let open = 0;
  let allEnded: () => void = () => undefined;
  const ended = new Promise<void>((r) => (allEnded = r));
  const streams: [Readable | null, Readable | null] = [pipes[0]?.reader ?? child.stdout, pipes[1]?.reader ?? child.stderr];
  (['stdout', 'stderr'] as const).forEach((name, i) => {
    const stream = streams[i];
    if (!stream) return;
    open++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      log.flushPartial(name);
      if (--open === 0) allEnded();
    };
    // A FIFO's reader hands its chunks to `take` itself; Node's own pipe (the fallback) emits them.
    if (!pipes[i]) stream.on('data', (chunk: Buffer) => take(name, chunk));
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', () => undefined);
    // A process that escaped the run and still holds the pipe must not keep the supervisor alive.
    if (stream instanceof net.Socket) stream.unref();
  });
  if (open === 0) allEnded();

  child.once('exit', (code, signal) => {
    resolveLeaderExit();
    // The last lines usually arrive just after the exit: wait for the pipes to close (briefly: a
    // background process may hold them), so the log is complete before the exit is reported.
    const settle = setTimeout(() => allEnded(), OUTPUT_SETTLE_MS);
    void ended.then(async () => {
      clearTimeout(settle);
      if (typeof c.command === 'string' && code === 127 && Date.now() - run.startedAt < 2000) {
        const said = lastStderr.trim().split('\n').pop() ?? '';
        // `/bin/sh: 1: x: not found` → `x`: the shell's own words repeat "not found".
        const missing = /:\s*(?:command\s+)?not found$/.test(said) ? said.replace(/:\s*(?:command\s+)?not found$/, '').split(': ').pop() : undefined;
        run.notFound = `command not found: ${missing ?? (said || String(c.command).split(/\s+/)[0])}`;
      }
      const end = await mainProcessEnd(run, c, code, signal);
      resolveExit();
      opts.onExit(run, end.code, end.signal);
    });
  });
  return run;
}

/**
 * The end of the run as the service sees it. For most, the spawned process's exit. For a `pidfile`
 * service whose main process exited 0, the end of the process the file names. For a daemon that
 * exited 0 at once leaving processes behind, the same exit, marked as "went into the background".
 */
async function mainProcessEnd(run: Run, c: ServiceConfig, code: number | null, signal: string | null): Promise<{ code: number | null; signal: string | null }> {
  const cleanEarlyExit = code === 0 && signal === null && !run.requested && c.type === 'daemon';
  if (!cleanEarlyExit) return { code, signal };
  if (c.pidfile) {
    const pid = await awaitPidfile(run, c.pidfile);
    if (pid === null) {
      if (!run.requested) run.notFound = `pidfile ${c.pidfile} did not name a live process of ${c.id} within ${PIDFILE_WAIT_MS / 1000}s after the main process exited`;
      return { code, signal };
    }
    const startTime = processStartTime(pid);
    run.pid = pid;
    run.startTime = startTime;
    run.log.supervisor(`main process is pid ${pid} (from ${c.pidfile})`);
    await awaitGone(pid, startTime);
    // Not our child, so its exit status is not ours to read; an end nobody asked for is a failure.
    return run.requested ? { code: 0, signal: null } : { code: null, signal: 'unknown' };
  }
  if (Date.now() - run.startedAt > DAEMONIZE_WINDOW_MS) return { code, signal };
  let left = survivors(run, c.port);
  if (left.length === 0 && !run.cgroup && c.port !== null) left = await awaitPortHolder(run, c.port);
  if (left.length > 0) {
    // A child that was itself on its way out when the main process exited is not a daemon.
    await new Promise((r) => setTimeout(r, DAEMONIZE_RECHECK_MS));
    left = left.filter((pid) => survivors(run, c.port).includes(pid));
  }
  if (left.length > 0) run.notFound = daemonizedMessage(c.command, Math.min(...left));
  return { code, signal };
}

