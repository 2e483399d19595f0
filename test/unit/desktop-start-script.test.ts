// `npm start` where Electron cannot run: scripts/start.mjs says why in one line and runs the
// same supervisor headless (`hypha daemon`) in the foreground, passing arguments and signals on
// and exiting with its code. Real processes, a temp HYPHA_HOME, every pid ended by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const pids = new Set<number>();
let dir: string;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startScript(args: string[], home: string): Started {
  const env: NodeJS.ProcessEnv = { ...process.env, HYPHA_HOME: home };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.HYPHA_HEADLESS;
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) pids.add(child.pid);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exit };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-start-'));
});

afterAll(() => {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start without a display', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('says why in one line, runs the daemon headless, and stops it all on %s', async (stopSignal) => {
    const home = path.join(dir, `home-${stopSignal}`);
    const config = path.join(dir, `${stopSignal}.yaml`);
    writeFileSync(
      config,
      `api:
  port: 0
services:
  web:
    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(FIXTURES, 'http-server.mjs'))}]
    env: { PORT: "0" }
    stop: { timeout: 3s }
`,
    );
    const run = startScript(['-c', config], home);

    const info = await until(() => {
      const file = path.join(home, 'daemon.json');
      if (!existsSync(file)) return undefined;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string; token: string };
      } catch {
        return undefined; // caught mid-rename
      }
    }, 'daemon.json');
    pids.add(info.pid);
    expect(info.pid).not.toBe(run.child.pid);

    expect(run.err().split('\n').filter(Boolean)[0]).toBe('hypha: no display — running headless; dashboard below');
    expect(run.err().match(/running headless/g)).toHaveLength(1);
    // The daemon prints the dashboard URL itself, and it answers.
    await until(() => (run.out().includes(info.url) ? true : undefined), 'dashboard URL on stdout');
    const ping = (await (await fetch(`${info.url}/api/ping`)).json()) as { ok: boolean };
    expect(ping.ok).toBe(true);

    // The service really runs under it.
    const web = await until(async () => {
      const res = await fetch(`${info.url}/api/services/web`, { headers: { authorization: `Bearer ${info.token}` } });
      const s = (await res.json()) as { status: string; pid: number | null };
      return s.status === 'online' && s.pid ? s.pid : undefined;
    }, 'web online');
    pids.add(web);

    run.child.kill(stopSignal);
    const { code, signal } = await run.exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    await until(() => (isAlive(info.pid) ? undefined : true), 'daemon to end', 15_000);
    await until(() => (isAlive(web) ? undefined : true), 'service to end', 15_000);
    expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
  });

  it("exits with the daemon's code when the daemon cannot start", async () => {
    const config = path.join(dir, 'bad.yaml');
    writeFileSync(config, 'api:\n  port: 0\nservices:\n  web:\n    command: true\n    bogus: 1\n');
    const run = startScript(['-c', config], path.join(dir, 'home-bad'));
    const { code } = await run.exit;
    expect(code).toBe(2);
    expect(run.err()).toContain('hypha: no display — running headless');
    expect(run.err()).toMatch(/bad\.yaml:6:5/);
  });
});
