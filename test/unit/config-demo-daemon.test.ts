import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoScriptPath } from '../../main/core/config/default.js';

interface Demo {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Demo[] = [];

function startDemo(env: Record<string, string>): Demo {
  const child = spawn(process.execPath, [demoScriptPath()], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const demo: Demo = { child, stdout: () => out, stderr: () => err, exited };
  started.push(demo);
  return demo;
}

/** Polls until `pick` finds something in the output, or fails with what was seen. */
async function waitFor<T>(demo: Demo, pick: () => T | null, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = pick();
    if (found !== null) return found;
    if (demo.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${what}; stdout:\n${demo.stdout()}\nstderr:\n${demo.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const listeningPort = (demo: Demo) =>
  waitFor(demo, () => {
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(demo.stdout());
    return m ? Number(m[1]) : null;
  }, '"listening on" line');

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

afterEach(async () => {
  for (const d of started.splice(0)) {
    if (d.child.exitCode === null && d.child.signalCode === null && d.child.pid !== undefined) {
      process.kill(d.child.pid, 'SIGKILL');
    }
    await d.exited;
  }
});

describe('the MycoBrain demo daemon', () => {
  it('serves /health and / on the port it is given, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const demo = startDemo({ PORT: String(port) });
    expect(await listeningPort(demo)).toBe(port);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const about = await fetch(`http://127.0.0.1:${port}/`);
    expect(about.status).toBe(200);
    expect(await about.json()).toMatchObject({ name: 'MycoBrain', pid: demo.child.pid, endpoints: ['/', '/health'] });

    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    expect(demo.stdout()).toMatch(/^INFO {2}MycoBrain v\d+\.\d+\.\d+ starting/);
    process.kill(demo.child.pid ?? 0, 'SIGTERM');
    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.stdout()).toContain('received SIGTERM, shutting down');
  });

  it('logs indexing to stdout and an occasional warning to stderr; SIGINT stops it too', async () => {
    const demo = startDemo({ PORT: '0', MYCOBRAIN_INDEX_INTERVAL_MS: '30' });
    await listeningPort(demo);
    await waitFor(demo, () => (/indexed \d+ spores \(\d+ total\)/.test(demo.stdout()) ? true : null), 'indexing line');
    await waitFor(demo, () => (/^WARN {2}slow hyphal branch/m.test(demo.stderr()) ? true : null), 'warning on stderr');
    process.kill(demo.child.pid ?? 0, 'SIGINT');
    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.stdout()).toContain('received SIGINT, shutting down');
  });

  it('exits 1 with a clear message when its port is taken', async () => {
    const first = startDemo({ PORT: '0' });
    const port = await listeningPort(first);
    const second = startDemo({ PORT: String(port) });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.stderr()).toContain(`port ${port} is already in use`);
  });

  it('can play an unhealthy service', async () => {
    const demo = startDemo({ PORT: '0', MYCOBRAIN_UNHEALTHY: '1' });
    const port = await listeningPort(demo);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(503);
  });
});
