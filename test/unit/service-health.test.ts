// Health in virtual time (SPEC §1 health, §6 "Before the first probe", §7 start_interval): exact
// probe times, start_period, retries, restart_on_unhealthy counted against max_restarts, and the
// start_interval spacing until the first success.
import { afterEach, describe, expect, it } from 'vitest';
import { World } from './service-harness.js';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

const URL = 'http://127.0.0.1:9000/health';

function web(health: string, restart = 'delay: 1s, max_restarts: 10'): World {
  world = new World(`services:
  web:
    command: ./web
    health: { http: "${URL}", ${health} }
    restart: { ${restart} }
`);
  return world;
}

describe('health in virtual time', () => {
  it('is running/unknown (status starting) until the first probe, then healthy', async () => {
    const w = web('interval: 1s, start_interval: 1s');
    w.procs.health.set(URL, () => true);
    w.s('web').start();
    await w.clock.advance(999);
    expect(w.s('web').status()).toMatchObject({ state: 'running', health: 'unknown', status: 'starting' });
    await w.clock.advance(1);
    expect(w.s('web').status()).toMatchObject({ state: 'running', health: 'healthy', status: 'online', statusCode: 200 });
  });

  it('failures inside start_period do not count; the first one after it does', async () => {
    const w = web('interval: 100ms, retries: 1, start_period: 1s, restart_on_unhealthy: false');
    w.s('web').start();
    await w.clock.until(() => w.s('web').health === 'unhealthy');
    expect(w.clock.now()).toBe(1000);
    expect(w.procs.probes.map((p) => p.at)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('goes unhealthy after `retries` consecutive failures, and a success resets the count', async () => {
    const w = web('interval: 1s, start_interval: 1s, retries: 3, restart_on_unhealthy: false');
    // healthy, then fails at 2000 and 3000, healthy at 4000, then fails from 5000 on
    w.procs.health.set(URL, (at) => at < 2000 || at === 4000);
    w.s('web').start();
    await w.clock.until(() => w.s('web').health === 'unhealthy');
    expect(w.clock.now()).toBe(7000);
    expect(w.s('web').lastError).toBe('unhealthy: HTTP 503 after 3 checks');
    expect(w.timeline('web').filter((l) => /healthy/.test(l))).toEqual([
      '1000 healthy: healthy (HTTP 200)',
      '7000 unhealthy: became unhealthy: HTTP 503 after 3 checks',
    ]);
    expect(w.s('web').state).toBe('running');
    w.procs.health.set(URL, () => true);
    await w.clock.advance(1000);
    expect(w.s('web').health).toBe('healthy');
    expect(w.timeline('web').at(-1)).toBe('8000 recovered: recovered (HTTP 200)');
  });

  it('an unhealthy restart goes through the policy and counts against max_restarts', async () => {
    const w = web('interval: 1s, start_interval: 1s, retries: 1', 'delay: 1s, max_restarts: 2');
    w.s('web').start();
    await w.clock.until(() => w.s('web').state === 'failed');
    // probe fails at 1000 → stop → restart after 1 s at 2000; at 3000 → after 2 s at 5000; at 6000 → gave up
    expect(w.procs.spawnTimes('web')).toEqual([0, 2000, 5000]);
    expect(w.procs.stops.map((s) => s.at)).toEqual([1000, 3000, 6000]);
    expect(w.clock.now()).toBe(6000);
    expect(w.s('web').restarts).toBe(2);
    expect(w.s('web').lastError).toBe('unhealthy: HTTP 503 after 1 check; gave up after 2 restarts in 5m (max_restarts 2)');
  });

  it('start_interval: probes every 250 ms until the first success, then every interval', async () => {
    // The server listens from 1000 ms on; the interval is 10 s.
    const w = web('interval: 10s');
    w.procs.health.set(URL, (at) => at >= 1000);
    w.s('web').start();
    await w.clock.until(() => w.s('web').health === 'healthy');
    expect(w.clock.now()).toBe(1000); // ≤ listening (1000) + start_interval (250)
    await w.clock.advance(25_000);
    expect(w.procs.probes.map((p) => p.at)).toEqual([250, 500, 750, 1000, 11_000, 21_000]);
  });

  it('start_interval probes never make an unhealthy verdict quicker than interval would', async () => {
    const w = web('interval: 2s, retries: 2, restart_on_unhealthy: false');
    w.s('web').start();
    await w.clock.until(() => w.s('web').health === 'unhealthy');
    // Probes every 250 ms inside the first interval do not count; then 2000 and 4000 do.
    expect(w.clock.now()).toBe(4000);
    expect(w.procs.probes.map((p) => p.at)).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000, 4000]);
  });

  it('start_interval spacing lasts as long as start_period when one is set', async () => {
    const w = web('interval: 10s, start_interval: 500ms, start_period: 2s, retries: 1, restart_on_unhealthy: false');
    w.s('web').start();
    await w.clock.advance(13_000);
    expect(w.procs.probes.map((p) => p.at)).toEqual([500, 1000, 1500, 2000, 12_000]);
    expect(w.s('web').health).toBe('unhealthy');
  });
});
