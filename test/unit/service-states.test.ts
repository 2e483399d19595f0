// Every transition of SPEC §2, driven through the service in virtual time, each asserted as the
// sequence of public states with the millisecond each began. Together with the other
// service-*.test.ts files this covers the whole table in machine.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { World } from './service-harness.js';
import { table } from '../../main/core/service/machine.js';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

function one(extra = ''): World {
  world = new World(`services:
  svc:
    command: ./svc
    restart: { delay: 100ms, max_restarts: 1 }
${extra}`);
  return world;
}

describe('SPEC §2 states in virtual time', () => {
  it('stopped → starting → running → stopping → stopped', async () => {
    const w = one('    stop: { timeout: 2s }');
    w.procs.scripts.set('svc', () => ({ stopTakes: 300 }));
    w.s('svc').start();
    await w.clock.advance(1000);
    const stopped = w.s('svc').stop();
    await w.clock.advance(1000);
    await stopped;
    expect(w.states.get('svc')).toEqual(['0 starting', '0 running', '1000 stopping', '1300 stopped']);
    expect(w.procs.stops).toEqual([{ id: 'svc', at: 1000, signal: 'SIGTERM' }]);
  });

  it('a stop that outlives stop.timeout escalates and says so', async () => {
    const w = one('    stop: { timeout: 2s }');
    w.procs.scripts.set('svc', () => ({ stopTakes: Infinity }));
    w.s('svc').start();
    await w.clock.advance(10);
    void w.s('svc').stop();
    await w.clock.until(() => w.s('svc').state === 'stopped');
    expect(w.clock.now()).toBe(2010);
    expect(w.s('svc').lastExit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('running → backoff → starting → running → backoff → failed (max_restarts 1) → starting on a person start', async () => {
    const w = one();
    w.procs.scripts.set('svc', (n) => (n < 2 ? { exitAfter: 50, code: 1 } : {}));
    w.s('svc').start();
    await w.clock.until(() => w.s('svc').state === 'failed');
    w.s('svc').start();
    await w.clock.advance(500);
    expect(w.states.get('svc')).toEqual([
      '0 starting', '0 running', '50 backoff', '150 starting', '150 running', '200 failed', '200 starting', '250 running',
    ]);
  });

  it('starting → failed: command not found, cwd missing (spawn error), port taken', async () => {
    const w = one('    port: 7000');
    w.procs.scripts.set('svc', () => ({ exitAfter: 5, code: 127, notFound: 'command not found: ./svc' }));
    w.s('svc').start();
    await w.clock.advance(100);
    expect(w.s('svc').status()).toMatchObject({ state: 'failed', lastError: 'command not found: ./svc' });
    expect(w.procs.spawnCount('svc')).toBe(1); // never restarted
    w.procs.spawnErrors.set('svc', 'cwd missing: /nope');
    w.s('svc').start();
    await w.clock.advance(200);
    expect(w.s('svc').status()).toMatchObject({ state: 'failed', lastError: 'cwd missing: /nope' });
    w.procs.spawnErrors.clear();
    w.procs.takenPorts.add(7000);
    w.s('svc').start();
    await w.clock.advance(200);
    expect(w.s('svc').status()).toMatchObject({ state: 'failed', lastError: 'port 7000 held by pid 4242 (other-server) — see strays' });
    expect(w.procs.spawnCount('svc')).toBe(1);
  });

  it('backoff → stopped, starting → stopped, failed → stopped, completed → stopped/starting', async () => {
    const w = one();
    w.procs.scripts.set('svc', () => ({ exitAfter: 50, code: 1 }));
    w.s('svc').start();
    await w.clock.advance(60);
    expect(w.s('svc').state).toBe('backoff');
    await w.s('svc').stop();
    expect(w.s('svc').state).toBe('stopped');
    w.procs.scripts.set('svc', () => ({}));
    w.s('svc').start();
    expect(w.s('svc').state).toBe('starting'); // spacing: 100 ms after the previous spawn
    await w.s('svc').stop();
    expect(w.s('svc').state).toBe('stopped');
    await w.clock.advance(1000);
    expect(w.procs.spawnCount('svc')).toBe(1); // the cancelled back-off and start spawned nothing
    w.procs.spawnErrors.set('svc', 'cwd missing: /x');
    w.s('svc').start();
    await w.clock.advance(200);
    expect(w.s('svc').state).toBe('failed');
    await w.s('svc').stop();
    expect(w.s('svc').state).toBe('stopped');

    const j = new World('services:\n  j: { type: oneshot, command: ./j, restart: { delay: 0s } }\n');
    j.procs.scripts.set('j', () => ({ exitAfter: 10, code: 0 }));
    j.s('j').start();
    await j.clock.advance(100);
    expect(j.s('j').state).toBe('completed');
    j.s('j').start();
    await j.clock.advance(100);
    await j.s('j').stop();
    expect(j.states.get('j')).toEqual(['0 starting', '0 running', '10 completed', '100 starting', '100 running', '110 completed', '200 stopped']);
    await j.dispose();
  });

  it('stopping → starting (restart), and a restart while running goes through stopping', async () => {
    const w = one('    stop: { timeout: 5s }');
    w.procs.scripts.set('svc', () => ({ stopTakes: 200 }));
    w.s('svc').start();
    await w.clock.advance(1000);
    w.s('svc').restart();
    await w.clock.advance(1000);
    expect(w.states.get('svc')).toEqual(['0 starting', '0 running', '1000 stopping', '1200 starting', '1200 running']);
    expect(w.s('svc').restarts).toBe(0); // a person's restart is not an automatic one
  });

  it('the table names a rule for every phase and only known events', () => {
    expect(Object.keys(table).sort()).toEqual(['backoff', 'completed', 'failed', 'preparing', 'running', 'spacing', 'stopped', 'stopping', 'waiting']);
    for (const [phase, rules] of Object.entries(table)) {
      if (phase !== 'stopped') expect(Object.keys(rules), phase).toContain('stop');
    }
  });
});
