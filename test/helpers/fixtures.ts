// Starts a test/fixtures program the way the supervisor would (own process group) and lets a
// test wait on its output. Every fixture started here is registered with `fixtureReaper`:
// call `afterEach(() => fixtureReaper.reapAll())` in files that use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessReaper } from './processes.js';
import { waitFor } from './wait.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const fixtureReaper = new ProcessReaper();

export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, /\.(mjs|sh)$/.test(name) ? name : `${name}.mjs`);
}

export interface Fixture {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved as received. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves once the fixture printed `ready pid=<pid>`. */
  ready(timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnFixtureOptions {
  /** Own process group like a supervised service. Default true. */
  detached?: boolean;
  args?: string[];
  cwd?: string;
}

/** Runs fixture `name` (`http-server`, `forker`, `shell-tree.sh`…) with `env` added to ours. */
export function spawnFixture(name: string, env: Record<string, string> = {}, opts: SpawnFixtureOptions = {}): Fixture {
  const file = fixturePath(name);
  const [command, args] = file.endsWith('.sh') ? ['/bin/sh', [file]] : [process.execPath, [file]];
  const child = spawn(command, [...args, ...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? true,
  });
  if (child.pid === undefined) throw new Error(`could not start fixture ${name}`);
  const pid = child.pid;
  fixtureReaper.add(pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> =>
    waitFor(() => pattern.exec(output), { timeoutMs, message: `${name} to print ${pattern}` }).catch((error: Error) => {
      throw new Error(`${error.message}; its output: ${JSON.stringify(output.slice(-500))}`);
    });
  return {
    child,
    pid,
    output: () => output,
    waitForOutput,
    ready: async (timeoutMs) => void (await waitForOutput(new RegExp(`ready pid=${pid}\\b`), timeoutMs)),
    exited,
  };
}

export interface ForkerPids {
  all: number[];
  root: number;
  /** The parent of the setsid process. */
  middle: number;
  setsid: number;
  setsidChild: number;
}

/** Waits for forker.mjs's $PIDS_FILE and names its members (see the order documented there). */
export async function readForkerPids(pidsFile: string, timeoutMs = 20_000): Promise<ForkerPids> {
  const all = await waitFor(() => JSON.parse(readFileSync(pidsFile, 'utf8')) as number[], {
    timeoutMs,
    message: `forker to write ${pidsFile}`,
  });
  fixtureReaper.add(...all);
  const [root, middle, setsid, setsidChild] = all as [number, number, number, number];
  return { all, root, middle, setsid, setsidChild };
}
