// Issue 18 items 13 and 14: event-stream clients that never read are dropped early while a log
// flood goes on, and /api/ping keeps answering throughout (the daemon's sockets in /proc are the
// witness); `hypha logs -f` gives up with a message after two missed heartbeats when the daemon
// freezes (SIGSTOP), instead of hanging forever.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { waitFor } from '../helpers/index.js';
import { BIN, fixtureCommand, startDaemon, useDaemons, daemonReaper, type Daemon } from '../helpers/daemon.js';

const daemons = useDaemons();
const sockets: Socket[] = [];
const stopped: number[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
});

/** Remote ports of the daemon's ESTABLISHED TCP connections on its API port (from /proc). */
function establishedPeers(d: Daemon): Set<number> {
  const apiPort = Number(new URL(d.info.url).port);
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${d.pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${d.pid}/fd/${fd}`));
      if (m) inodes.add(m[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  const peers = new Set<number>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const local = parseInt((f[1] as string).split(':')[1] as string, 16);
    const remote = parseInt((f[2] as string).split(':')[1] as string, 16);
    if (local === apiPort && f[3] === '01' && inodes.has(f[9] as string)) peers.add(remote);
  }
  return peers;
}

/** Opens /api/events with the token and then never reads. */
function idleEventClient(d: Daemon): Promise<Socket> {
  const url = new URL(d.info.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => {
      s.write(`GET /api/events HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${d.info.token}\r\nAccept: text/event-stream\r\n\r\n`);
      s.pause();
      resolve(s);
    });
    s.on('error', () => undefined);
    s.once('error', reject);
    sockets.push(s);
  });
}

describe('hardening: event streams', () => {
  it('clients that never read are dropped during a log flood, and every ping is answered', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  flood:
    command: ${fixtureCommand('flooder.mjs')}
    env: { LINES: "100000000", PAD: "200", BATCH: "1" }
`);
    daemons.push(d);
    await d.waitFor('flood', (s) => s.state === 'running', 'running');
    const idle = await Promise.all(Array.from({ length: 30 }, () => idleEventClient(d)));
    const ports = idle.map((s) => s.localPort as number);
    await waitFor(() => ports.every((p) => establishedPeers(d).has(p)), { message: 'the idle clients are connected' });
    let pings = 0;
    let failed = 0;
    let going = true;
    const pinger = (async () => {
      while (going) {
        const r = await fetch(`${d.info.url}/api/ping`).then((x) => x.json() as Promise<{ ok: boolean }>).catch(() => ({ ok: false }));
        if (r.ok) pings++;
        else failed++;
      }
    })();
    await waitFor(
      () => {
        const peers = establishedPeers(d);
        return ports.every((p) => !peers.has(p));
      },
      { timeoutMs: 120_000, message: 'every non-reading client dropped by the daemon' },
    );
    going = false;
    await pinger;
    expect(failed).toBe(0);
    expect(pings).toBeGreaterThan(0);
    expect((await d.api<{ ok: boolean }>('GET', '/api/ping')).body.ok).toBe(true);
  }, 180_000);

  it('`hypha logs -f` gives up with a message after two missed heartbeats while the daemon is frozen', async () => {
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: "while :; do echo tick; sleep 0.5; done"
`,
      { env: { HYPHA_SSE_HEARTBEAT_MS: '1000' } },
    );
    daemons.push(d);
    await d.waitFor('web', (s) => s.state === 'running', 'running');
    const child = spawn(process.execPath, [BIN, 'logs', 'web', '-f'], { env: { ...process.env, HYPHA_HOME: d.home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    daemonReaper.add(child.pid as number);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor(() => out.includes('tick'), { message: 'following' });
    process.kill(d.pid, 'SIGSTOP');
    stopped.push(d.pid);
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 90_000))]);
    process.kill(d.pid, 'SIGCONT');
    expect(code, out).toBe(1);
    expect(out).toMatch(/no heartbeat from the daemon .* following stopped/);
  }, 180_000);
});
