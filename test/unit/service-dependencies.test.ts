// Dependencies over time (SPEC §1 depends_on, §7 restart: true), in virtual time: a dependent waits
// for its condition, fails at once when its dependency ended for good, waits again before every
// automatic restart instead of burning its restart budget, and follows a dependency's restart
// when it asked to.
import { afterEach, describe, expect, it } from 'vitest';
import { World } from './service-harness.js';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

const DB = 'http://127.0.0.1:5432/ready';

function pair(dbExtra: string, appDeps: string, appExtra = ''): World {
  world = new World(`services:
  db:
    command: ./db
    health: { http: "${DB}", interval: 1s, start_interval: 1s, retries: 1, restart_on_unhealthy: false }
${dbExtra}
  app:
    command: ./app
    depends_on: ${appDeps}
    restart: { delay: 1s, max_restarts: 3 }
${appExtra}
`);
  return world;
}

describe('dependencies in virtual time', () => {
  it('starting a dependent starts its dependency and waits for its condition', async () => {
    const w = pair('', '{ db: { condition: healthy } }');
    w.procs.health.set(DB, (at) => at >= 2000);
    w.s('app').start();
    await w.clock.advance(0);
    expect(w.s('db').state).toBe('running');
    expect(w.s('app').status()).toMatchObject({ state: 'starting', lastError: 'waiting for db (healthy)' });
    await w.clock.until(() => w.s('app').state === 'running');
    expect(w.procs.spawnTimes('app')).toEqual([2000]);
    expect(w.s('app').lastError).toBeNull();
  });

  it('a dependency that exits and will not restart (policy never) fails the waiting dependent at once', async () => {
    const w = pair('    restart: { policy: never }', '{ db: { condition: healthy } }');
    w.procs.scripts.set('db', () => ({ exitAfter: 1500, code: 0 }));
    w.s('app').start();
    await w.clock.until(() => w.s('app').state === 'failed');
    expect(w.clock.now()).toBe(1500);
    expect(w.s('app').lastError).toBe('not started: dependency db stopped (exited with code 0, policy never)');
    expect(w.procs.spawnCount('app')).toBe(0);
  });

  it('exit 1 with policy never, and a failed dependency, end the wait too', async () => {
    const w = pair('    restart: { policy: never }', '[db]', '  other:\n    command: ./o\n    depends_on: [app]');
    w.procs.scripts.set('db', () => ({ exitAfter: 100, code: 1 }));
    w.procs.health.set(DB, () => true);
    w.procs.spawnErrors.set('app', 'command not found: ./app');
    w.s('other').start();
    await w.clock.advance(5000);
    expect(w.s('app').state).toBe('failed');
    expect(w.s('other').state).toBe('failed');
    expect(w.s('other').lastError).toBe('not started: dependency app failed (command not found: ./app)');
    w.procs.spawnErrors.clear();
    // db exited 1 (policy never) while nothing waited; a start of app starts it again and waits.
    expect(w.s('db').endedForGood).toBe('exited with code 1, policy never');
  });

  it('before each automatic restart the dependent waits again for its dependency, not crash-looping', async () => {
    const w = pair('    restart: { delay: 10s, max_delay: 10s }', '{ db: { condition: healthy } }');
    let dbUp = true;
    w.procs.health.set(DB, () => dbUp);
    w.s('app').start();
    await w.clock.until(() => w.s('app').state === 'running');
    const appStart = w.clock.now();
    expect(appStart).toBe(1000);
    // db goes down at 5000 (crash; restarts 10 s later); app crashes with it.
    await w.clock.advance(4000);
    dbUp = false;
    w.procs.exit(w.run('db'), 1, null);
    w.procs.exit(w.run('app'), 1, null);
    await w.clock.advance(1000);
    // After its 1 s back-off app waits for db instead of spawning into a crash loop.
    expect(w.s('app').status()).toMatchObject({ state: 'starting', lastError: 'waiting for db (healthy)' });
    expect(w.procs.spawnCount('app')).toBe(1);
    dbUp = true;
    await w.clock.until(() => w.s('app').state === 'running');
    // db respawns at 15000, healthy at its first probe (16000); app spawns then.
    expect(w.procs.spawnTimes('db')).toEqual([0, 15_000]);
    expect(w.procs.spawnTimes('app')).toEqual([1000, 16_000]);
    expect(w.s('app').restarts).toBe(1);
  });

  it('restart: true — a restart of the dependency restarts the dependent; without it, not', async () => {
    world = new World(`services:
  db: { command: ./db }
  app: { command: ./app, depends_on: { db: { restart: true } }, restart: { delay: 0s } }
  side: { command: ./side, depends_on: [db], restart: { delay: 0s } }
`);
    const w = world;
    w.s('app').start();
    w.s('side').start();
    await w.clock.advance(2000);
    expect(w.procs.spawnCount('app')).toBe(1);
    w.s('db').restart();
    await w.clock.advance(2000);
    expect(w.procs.spawnTimes('db')).toEqual([0, 2000]);
    expect(w.procs.spawnTimes('app')).toEqual([0, 2000]);
    expect(w.procs.spawnTimes('side')).toEqual([0]);
    // A crash restart of db counts too.
    w.procs.exit(w.run('db'), 1, null);
    await w.clock.advance(5000);
    expect(w.procs.spawnCount('db')).toBe(3);
    expect(w.procs.spawnCount('app')).toBe(3);
    expect(w.s('app').state).toBe('running');
  });
});
