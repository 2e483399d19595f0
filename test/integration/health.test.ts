// Issue #3: health probes against a real HTTP fixture whose health is flipped by a flag file.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '../helpers/index.js';
import { useDaemons, fixtureCommand, q, startDaemon, type Daemon } from '../helpers/daemon.js';
import type { SupervisorEvent } from '../../main/contract/status.js';

const daemons = useDaemons();

async function webDaemon(health: string, restart = 'restart: { delay: 50ms, max_restarts: 2, window: 1m }'): Promise<{ d: Daemon; flag: string; stamps: string; port: number }> {
  const dir = tempDir('hypha-health-');
  const flag = join(dir, 'sick');
  const stamps = join(dir, 'stamps');
  const port = await freePort();
  const d = await startDaemon(
    `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}", HEALTH_FLAG: ${q(flag)}, STAMP_FILE: ${q(stamps)} }
    port: ${port}
    health:
      http: http://127.0.0.1:${port}/health
${health}
    ${restart}
`,
    { dir },
  );
  daemons.push(d);
  return { d, flag, stamps, port };
}

async function events(d: Daemon, id: string): Promise<SupervisorEvent[]> {
  return (await d.api<{ events: SupervisorEvent[] }>('GET', `/api/services/${id}/events`)).body.events;
}

describe('health probes', () => {
  it('reports starting/unknown before the first probe, then online/healthy with the HTTP status', async () => {
    const { d } = await webDaemon('      interval: 200ms\n      timeout: 1s\n      retries: 2');
    const s = await d.waitFor('web', (x) => x.health === 'healthy', 'healthy');
    expect(s.status).toBe('online');
    expect(s.statusCode).toBe(200);
    // A service with a probe that is stopped says unknown, not none.
    await d.api('POST', '/api/services/web/stop');
    const stopped = await d.waitFor('web', (x) => x.state === 'stopped', 'stopped');
    expect(stopped.health).toBe('unknown');
    expect(stopped.status).toBe('offline');
  });

  it('goes unhealthy after `retries` failures, recovers, and does not restart when told not to', async () => {
    const { d, flag } = await webDaemon('      interval: 100ms\n      timeout: 1s\n      retries: 3\n      restart_on_unhealthy: false');
    const healthy = await d.waitFor('web', (x) => x.health === 'healthy', 'healthy');
    writeFileSync(flag, '');
    const sick = await d.waitFor('web', (x) => x.health === 'unhealthy', 'unhealthy');
    expect(sick.status).toBe('unhealthy');
    expect(sick.statusCode).toBe(503);
    expect(sick.pid).toBe(healthy.pid);
    const ev = await events(d, 'web');
    expect(ev.map((e) => e.message)).toContain('became unhealthy: HTTP 503 after 3 checks');
    rmSync(flag);
    const back = await d.waitFor('web', (x) => x.health === 'healthy', 'recovered');
    expect(back.pid).toBe(healthy.pid);
    expect(back.restarts).toBe(0);
    expect((await events(d, 'web')).some((e) => e.kind === 'recovered')).toBe(true);
  });

  it('does not count failures inside start_period', async () => {
    const dir0 = tempDir('hypha-sp-');
    const flag = join(dir0, 'sick');
    writeFileSync(flag, '');
    const port = await freePort();
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}", HEALTH_FLAG: ${q(flag)} }
    health: { http: "http://127.0.0.1:${port}/health", interval: 100ms, retries: 1, start_period: 1500ms, restart_on_unhealthy: false }
`,
      { dir: dir0 },
    );
    daemons.push(d);
    // Probes inside the start period fail (503) yet the service stays "starting", health unknown.
    await d.waitFor('web', (x) => x.statusCode === 503, 'a failed probe seen');
    const early = await d.status('web');
    expect(early.health).toBe('unknown');
    expect(early.status).toBe('starting');
    const late = await d.waitFor('web', (x) => x.health === 'unhealthy', 'unhealthy once the start period is over');
    expect(late.uptimeMs ?? 0).toBeGreaterThanOrEqual(1400);
  });

  it('restarts an unhealthy service through the policy and ends failed after max_restarts', async () => {
    // start_period gives each new run time to listen, so every verdict is the 503 under test.
    const { d, flag, stamps } = await webDaemon('      interval: 100ms\n      timeout: 1s\n      retries: 2\n      start_period: 800ms');
    await d.waitFor('web', (x) => x.health === 'healthy', 'healthy');
    writeFileSync(flag, '');
    const failed = await d.waitFor('web', (x) => x.state === 'failed', 'failed after unhealthy restarts', 30_000);
    expect(failed.restarts).toBe(2);
    expect(failed.lastError).toMatch(/unhealthy: HTTP 503 after 2 checks.*gave up after 2 restarts/);
    // 1 + max_restarts runs.
    expect(readFileSync(stamps, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
