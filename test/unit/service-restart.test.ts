// Restart rules of SPEC §1 `restart` and §6 "Counting restarts", run in virtual time and asserted
// at exact milliseconds: 1 + max_restarts spawns then failed, the doubling delay to its cap,
// min_uptime resetting the doubling, the window forgetting old restarts, zero-delay respawns on a
// later turn, the spacing no request can beat, and requests merged while a start or stop runs.
import { afterEach, describe, expect, it } from 'vitest';
import { World, flush } from './service-harness.js';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

function crasher(restart: string, extra = ''): World {
  world = new World(`services:
  app:
    command: ./app
    restart: { ${restart} }
${extra}`);
  return world;
}

describe('service restarts in virtual time', () => {
  it('max_restarts 3: spawned 1 + 3 times with the doubling delay, then failed', async () => {
    const w = crasher('delay: 1s, max_delay: 60s, min_uptime: 5s, max_restarts: 3, window: 5m');
    w.procs.scripts.set('app', () => ({ exitAfter: 100, code: 1 }));
    w.s('app').start();
    await w.clock.until(() => w.s('app').state === 'failed');
    expect(w.procs.spawnTimes('app')).toEqual([0, 1100, 3200, 7300]);
    expect(w.clock.now()).toBe(7400);
    expect(w.s('app').restarts).toBe(3);
    expect(w.s('app').lastError).toBe('gave up after 3 restarts in 5m (max_restarts 3); last: exited with code 1');
    expect(w.timeline('app').filter((l) => l.includes('restarting'))).toEqual([
      '100 restarting: restarting in 1s (exited with code 1)',
      '1200 restarting: restarting in 2s (exited with code 1)',
      '3300 restarting: restarting in 4s (exited with code 1)',
    ]);
    expect(w.states.get('app')).toEqual([
      '0 starting', '0 running', '100 backoff', '1100 starting', '1100 running', '1200 backoff', '3200 starting', '3200 running',
      '3300 backoff', '7300 starting', '7300 running', '7400 failed',
    ]);
  });

  it('doubles the delay per consecutive crash up to max_delay', async () => {
    const w = crasher('delay: 1s, max_delay: 3s, max_restarts: 100');
    w.procs.scripts.set('app', () => ({ exitAfter: 100, code: 1 }));
    w.s('app').start();
    await w.clock.until(() => w.procs.spawnCount('app') === 6);
    // gaps from exit to spawn: 1000, 2000, 3000 (4000 capped), 3000, 3000
    expect(w.procs.spawnTimes('app')).toEqual([0, 1100, 3200, 6300, 9400, 12500]);
  });

  it('a run that lasted min_uptime resets the doubling', async () => {
    const w = crasher('delay: 1s, min_uptime: 5s, max_restarts: 100');
    const lives = [100, 100, 6000, 100, 100];
    w.procs.scripts.set('app', (n) => ({ exitAfter: lives[n] ?? 100, code: 1 }));
    w.s('app').start();
    await w.clock.until(() => w.procs.spawnCount('app') === 5);
    // 0 →(1s) 1100 →(2s) 3200 lives 6 s → exit 9200 →(1s again) 10200 → exit 10300 →(2s) 12300
    expect(w.procs.spawnTimes('app')).toEqual([0, 1100, 3200, 10200, 12300]);
  });

  it('restarts older than window no longer count against max_restarts', async () => {
    const w = crasher('delay: 1s, max_delay: 1s, min_uptime: 5s, max_restarts: 2, window: 10s');
    const lives = [100, 100, 20_000, 100, 100];
    w.procs.scripts.set('app', (n) => ({ exitAfter: lives[n] ?? 100, code: 1 }));
    w.s('app').start();
    await w.clock.until(() => w.s('app').state === 'failed');
    // Restarts decided at 100 and 1200; by 22200 both left the 10 s window, so two more are allowed.
    expect(w.procs.spawnTimes('app')).toEqual([0, 1100, 2200, 23200, 24300]);
    expect(w.clock.now()).toBe(24400);
    expect(w.s('app').restarts).toBe(4);
  });

  it('policy on-failure stops after exit 0; policy never stops after a crash; always restarts exit 0', async () => {
    const w = new World(`services:
  ok: { command: ./a, restart: { policy: on-failure } }
  crash: { command: ./b, restart: { policy: never } }
  always: { command: ./c, restart: { policy: always, delay: 500ms, max_restarts: 1 } }
`);
    world = w;
    w.procs.scripts.set('ok', () => ({ exitAfter: 100, code: 0 }));
    w.procs.scripts.set('crash', () => ({ exitAfter: 100, code: 2 }));
    w.procs.scripts.set('always', () => ({ exitAfter: 100, code: 0 }));
    for (const id of ['ok', 'crash', 'always']) w.s(id).start();
    await w.clock.advance(10_000);
    expect(w.s('ok').state).toBe('stopped');
    expect(w.s('ok').lastError).toBeNull();
    expect(w.s('ok').endedForGood).toBe('exited with code 0, policy on-failure');
    expect(w.s('crash').state).toBe('stopped');
    expect(w.s('crash').lastError).toBe('exited with code 2');
    expect(w.procs.spawnTimes('always')).toEqual([0, 600]);
    expect(w.s('always').state).toBe('failed');
  });

  it('a zero-delay respawn happens on a later turn, never inside the exit callback', async () => {
    const w = crasher('policy: always, delay: 0s, max_restarts: 1000');
    w.s('app').start();
    await flush();
    expect(w.procs.spawnCount('app')).toBe(1);
    const deferredBefore = w.clock.deferred;
    w.procs.exit(w.run('app'), 1, null);
    // Back from the exit callback: nothing spawned yet, a later turn is booked.
    expect(w.procs.spawnCount('app')).toBe(1);
    expect(w.s('app').state).toBe('backoff');
    expect(w.clock.deferred).toBe(deferredBefore + 1);
    await w.clock.advance(0);
    expect(w.procs.spawnCount('app')).toBe(2);
    expect(w.procs.spawnTimes('app')).toEqual([0, 0]);
  });

  it('nothing spawns sooner than restart.delay after the previous spawn, whoever asks', async () => {
    const w = crasher('delay: 1s');
    w.s('app').start();
    await w.clock.advance(100);
    w.s('app').restart();
    await w.clock.until(() => w.procs.spawnCount('app') === 2);
    expect(w.procs.spawnTimes('app')).toEqual([0, 1000]);
    await w.clock.advance(5000);
    // A stop and a start at 6000: the previous spawn was 5 s ago, so at once.
    void w.s('app').stop();
    await w.clock.advance(0);
    w.s('app').start();
    await w.clock.advance(0);
    expect(w.procs.spawnTimes('app')).toEqual([0, 1000, 6000]);
    // A reload's replacement inherits the spacing of the copy it replaces.
    void w.s('app').stop();
    await w.clock.advance(0);
    w.s('app').carrySpacing(6500);
    w.s('app').start();
    await w.clock.until(() => w.procs.spawnCount('app') === 4);
    expect(w.procs.spawnTimes('app')[3]).toBe(7500);
  });

  it('a person start clears failed, resets the count and spawns again', async () => {
    const w = crasher('delay: 100ms, max_restarts: 1');
    w.procs.scripts.set('app', () => ({ exitAfter: 50, code: 1 }));
    w.s('app').start();
    await w.clock.until(() => w.s('app').state === 'failed');
    expect(w.s('app').restarts).toBe(1);
    expect(w.procs.spawnTimes('app')).toEqual([0, 150]);
    expect(w.clock.now()).toBe(200);
    w.s('app').start();
    expect(w.s('app').state).toBe('starting');
    expect(w.s('app').restarts).toBe(0);
    expect(w.s('app').lastError).toBeNull();
    // As soon as the policy allows: restart.delay after the previous spawn.
    await w.clock.until(() => w.s('app').state === 'running');
    expect(w.procs.spawnTimes('app')).toEqual([0, 150, 250]);
  });

  it('merges start/stop/restart that arrive while a start or stop is in progress: no extra spawns', async () => {
    const w = crasher('delay: 0s', '    port: 7001\n    stop: { timeout: 5s }');
    w.procs.scripts.set('app', () => ({ stopTakes: 500 }));
    const app = w.s('app');
    app.start();
    app.start();
    app.restart();
    app.start();
    await w.clock.advance(10);
    expect(w.procs.spawnCount('app')).toBe(1);
    // During a stop: every start and restart folds into one start after it.
    app.restart();
    app.restart();
    app.start();
    app.restart();
    expect(app.state).toBe('stopping');
    await w.clock.advance(1000);
    expect(w.procs.spawnTimes('app')).toEqual([0, 510]);
    expect(w.procs.stops.length).toBe(1);
    // A stop during the port check cancels the spawn it would have made.
    void app.stop();
    await w.clock.advance(1000);
    expect(app.state).toBe('stopped');
    app.start();
    void app.stop();
    await w.clock.advance(1000);
    expect(app.state).toBe('stopped');
    expect(w.procs.spawnCount('app')).toBe(2);
  });
});
