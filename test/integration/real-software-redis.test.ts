// Real software, as a user runs it: redis-server from the distribution. A redis told to
// `--daemonize yes` without `pidfile:` is caught going into the background (with a message that
// says what to change) and nothing of it is left; with `pidfile:` it is supervised: its pid is the
// service's, a kill -9 of it restarts the service, and a stop leaves nothing. /proc is the witness.
// Skipped, saying so, where redis-server is not installed (CI installs it).
import { afterEach, describe, expect, it } from 'vitest';

import { join } from 'node:path';
import { aliveOf, freePort, pidIn, requireProgram, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();
// Whatever redis a test's pidfile names is reaped by pid even when the test fails half-way (a
// daemonized redis is nobody's child). Registered after useDaemons, so it runs first.
const pidFiles: string[] = [];
afterEach(() => {
  for (const f of pidFiles.splice(0)) {
    const pid = pidIn(f);
    if (pid !== null) fixtureReaper.add(pid);
  }
});

const hasRedis = requireProgram('redis-server', 'real-software-redis');

function redisCommand(dir: string, port: number, extra: string[] = []): string {
  const argv = ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extra];
  return `[${argv.map(q).join(', ')}]`;
}

for (const env of [{}, { HYPHA_CGROUPS: '0' }] as Record<string, string>[]) {
describe.skipIf(!hasRedis)(`real software: redis-server${env.HYPHA_CGROUPS ? ' (tree fallback)' : ''}`, () => {
  it('--daemonize yes without pidfile: detected with the message, and nothing of it is left', async () => {
    const dir = tempDir('hypha-redis-');
    const port = await freePort();
    const pidFile = join(dir, 'redis.pid');
    pidFiles.push(pidFile);
    const d = await startDaemon(
      `api: { port: 0 }
services:
  redis:
    command: ${redisCommand(dir, port, ['--daemonize', 'yes', '--pidfile', pidFile])}
    port: ${port}
`,
      { dir, env },
    );
    daemons.push(d);
    const s = await d.waitFor('redis', (x) => x.state === 'failed', 'failed as a daemonizer');
    expect(s.lastError).toMatch(/^redis-server went into the background \(pid \d+\): run it in the foreground \(--daemonize no\) or set pidfile:$/);
    const daemonPid = Number(/pid (\d+)/.exec(s.lastError ?? '')?.[1]);
    fixtureReaper.add(daemonPid);
    // What it left is ended with it: the daemon is not left serving, untracked.
    await waitFor(() => (aliveOf([daemonPid]).length === 0 ? true : null), { message: `redis daemon ${daemonPid} ended` });
    const stop = await d.cli(['stop', 'redis']);
    expect(stop.code).toBe(0);
    expect(aliveOf([daemonPid])).toEqual([]);
  });

  it('with pidfile: supervised; kill -9 of the daemon pid restarts it; stop leaves nothing', async () => {
    const dir = tempDir('hypha-redis-');
    const port = await freePort();
    const pidFile = join(dir, 'redis.pid');
    pidFiles.push(pidFile);
    const d = await startDaemon(
      `api: { port: 0 }
services:
  redis:
    command: ${redisCommand(dir, port, ['--daemonize', 'yes', '--pidfile', pidFile])}
    pidfile: ${q(pidFile)}
    port: ${port}
    restart: { policy: on-failure, delay: 200ms }
    stop: { command: ${q(`redis-cli -p ${port} shutdown nosave`)}, timeout: 10s }
`,
      { dir, env },
    );
    daemons.push(d);
    const first = await waitFor(() => pidIn(pidFile), { message: 'redis.pid written' });
    fixtureReaper.add(first);
    const s = await d.waitFor('redis', (x) => x.state === 'running' && x.pid === first, `running as pid ${first} (from the pidfile)`);
    expect(s.pid).toBe(first);

    process.kill(first, 'SIGKILL');
    // Running again, as the pid the new daemon wrote (the main process hands over to it).
    const again = await d.waitFor(
      'redis',
      (x) => x.state === 'running' && x.pid !== null && x.pid !== first && x.restarts >= 1 && x.pid === pidIn(pidFile),
      'restarted after kill -9, as the pid in the new pidfile',
    );
    const second = again.pid as number;
    fixtureReaper.add(second);
    expect(pidIn(pidFile)).toBe(second);
    expect(aliveOf([first])).toEqual([]);

    const stop = await d.cli(['stop', 'redis']);
    expect(stop.code, stop.stdout + stop.stderr).toBe(0);
    expect(aliveOf([first, second])).toEqual([]);
    const logs = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/redis/logs?lines=200');
    expect(logs.body.lines.map((l) => l.text).join('\n')).toContain(`main process is pid ${second}`);
  });
});
}
