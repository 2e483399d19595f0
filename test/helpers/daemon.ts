// Runs the real `hypha daemon` (the built CLI, as a user would) on a temp config and HYPHA_HOME,
// and talks to it over its real HTTP API and CLI. Every daemon is registered for reaping.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { fixtureReaper } from './fixtures.js';
import { ProcessReaper, isProcessAlive } from './processes.js';
import { removeTempDirs, tempDir } from './temp.js';
import { waitFor } from './wait.js';
import type { ServiceStatus } from '../../main/contract/status.js';
import type { DaemonInfo } from '../../main/host/daemon-info.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'hypha');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const daemonReaper = new ProcessReaper();

export type { DaemonInfo };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Daemon {
  home: string;
  dir: string;
  configFile: string;
  child: ChildProcess;
  pid: number;
  info: DaemonInfo;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  api<T = unknown>(method: string, path: string, init?: { headers?: Record<string, string>; body?: string; token?: string | null }): Promise<{ status: number; body: T }>;
  status(id: string): Promise<ServiceStatus>;
  list(): Promise<ServiceStatus[]>;
  waitFor(id: string, pred: (s: ServiceStatus) => boolean, message: string, timeoutMs?: number): Promise<ServiceStatus>;
  cli(args: string[], timeoutMs?: number): Promise<CliResult>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the CLI with this HYPHA_HOME; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 90_000, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: timeoutMs, cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface StartDaemonOptions {
  home?: string;
  dir?: string;
  env?: Record<string, string>;
  /** Wait for daemon.json (default true). */
  waitReady?: boolean;
  /** More `hypha daemon` arguments after `-c FILE` (e.g. `--profile prod`). */
  args?: string[];
}

/** Writes `yaml` to a fresh folder and starts `hypha daemon -c` on it. */
export async function startDaemon(yaml: string, opts: StartDaemonOptions = {}): Promise<Daemon> {
  const dir = opts.dir ?? tempDir('hypha-it-');
  const home = opts.home ?? join(dir, 'home');
  const configFile = join(dir, 'hypha.yaml');
  writeFileSync(configFile, yaml);
  const child = spawn(process.execPath, [BIN, 'daemon', '-c', configFile, ...(opts.args ?? [])], {
    cwd: dir,
    env: { ...process.env, HYPHA_HOME: home, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!child.pid) throw new Error('could not start hypha daemon');
  const pid = child.pid;
  daemonReaper.add(pid);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const infoFile = join(home, 'daemon.json');
  let info: DaemonInfo = { pid, url: '', token: '', version: '', startedAt: '' };
  if (opts.waitReady !== false) {
    info = await waitFor(
      () => {
        if (gone) throw new Error(`daemon exited early: ${out}`);
        if (!existsSync(infoFile)) return null;
        const i = JSON.parse(readFileSync(infoFile, 'utf8')) as DaemonInfo;
        return i.pid === pid ? i : null;
      },
      { timeoutMs: 60_000, message: `daemon.json of pid ${pid}` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\ndaemon output:\n${out}`);
    });
  }
  const api = async <T,>(method: string, path: string, init: { headers?: Record<string, string>; body?: string; token?: string | null } = {}): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? info.token : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${info.url}${path}`, { method, headers, body: init.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (dashboard, metrics): keep the text.
    }
    return { status: res.status, body: body as T };
  };
  const status = async (id: string): Promise<ServiceStatus> => {
    const r = await api<ServiceStatus>('GET', `/api/services/${id}`);
    if (r.status !== 200) throw new Error(`GET ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const d: Daemon = {
    home,
    dir,
    configFile,
    child,
    pid,
    info,
    output: () => out,
    exited,
    api,
    status,
    list: async () => (await api<{ services: ServiceStatus[] }>('GET', '/api/services/status')).body.services,
    waitFor: async (id, pred, message, timeoutMs = 60_000) => {
      let last: ServiceStatus | undefined;
      try {
        return await waitFor(
          async () => {
            last = await status(id);
            return pred(last) ? last : null;
          },
          { timeoutMs, intervalMs: 30, message: `${id}: ${message}` },
        );
      } catch (e) {
        throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last)}\ndaemon output (tail):\n${out.slice(-2000)}`);
      }
    },
    cli: (args, timeoutMs) => runCli(args, { HYPHA_HOME: home }, timeoutMs, dir),
    stop: async () => {
      if (!gone && isProcessAlive(pid)) child.kill('SIGTERM');
      return exited;
    },
  };
  return d;
}

/** A YAML double-quoted string. */
export function q(s: string): string {
  return JSON.stringify(s);
}

/** `node <fixture>` as a YAML flow array, for `command:`. */
export function fixtureCommand(name: string, ...args: string[]): string {
  return `[${[process.execPath, join(FIXTURES, name), ...args].map(q).join(', ')}]`;
}

/**
 * The daemons a test file starts: push each one, and after every test they are stopped
 * (SIGTERM, then by pid whatever is left), fixtures are reaped and temp folders removed.
 */
export function useDaemons(): Daemon[] {
  const daemons: Daemon[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) await d.stop();
    await cleanUp();
  });
  return daemons;
}

/** Ends, by pid, every daemon and fixture a test file started, and removes its temp folders. */
export async function cleanUp(): Promise<void> {
  await daemonReaper.reapAll();
  await fixtureReaper.reapAll();
  removeTempDirs();
}
