// Oneshots in virtual time (SPEC §1 oneshot keys, §7 success_exit_codes, completed_successfully,
// run history): completion, retries with the doubling delay, timeout, success codes, the
// dependency conditions that read them, and the last-20 run history.
import { afterEach, describe, expect, it } from 'vitest';
import { World } from './service-harness.js';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

function job(extra: string, more = ''): World {
  world = new World(`services:
  job:
    type: oneshot
    command: ./job
${extra}
${more}`);
  return world;
}

describe('oneshots in virtual time', () => {
  it('exit 0 → completed, with the run in its history', async () => {
    const w = job('');
    w.procs.scripts.set('job', () => ({ exitAfter: 300, code: 0 }));
    w.s('job').start();
    await w.clock.until(() => w.s('job').state === 'completed');
    expect(w.clock.now()).toBe(300);
    expect(w.timeline('job')).toEqual(['0 started: started (pid 1000)', '300 completed: completed in 300ms']);
    expect(w.s('job').runs).toEqual([
      { startedAt: new Date(0).toISOString(), endedAt: new Date(300).toISOString(), exit: { code: 0, signal: null }, error: null },
    ]);
  });

  it('retries a failed run `retries` times with the doubling delay, then fails', async () => {
    const w = job('    retries: 2\n    restart: { delay: 1s }');
    w.procs.scripts.set('job', () => ({ exitAfter: 100, code: 1 }));
    w.s('job').start();
    await w.clock.until(() => w.s('job').state === 'failed');
    expect(w.procs.spawnTimes('job')).toEqual([0, 1100, 3200]);
    expect(w.clock.now()).toBe(3300);
    expect(w.s('job').lastError).toBe('exited with code 1 (after 2 retries)');
    expect(w.s('job').restarts).toBe(2);
    expect(w.s('job').runs.map((r) => r.error)).toEqual(['exited with code 1', 'exited with code 1', 'exited with code 1']);
  });

  it('a run past `timeout` is killed and failed', async () => {
    const w = job('    timeout: 1s');
    w.s('job').start();
    await w.clock.until(() => w.s('job').state === 'failed');
    expect(w.clock.now()).toBe(1000);
    expect(w.procs.stops).toEqual([{ id: 'job', at: 1000, signal: 'SIGKILL' }]);
    expect(w.s('job').lastError).toBe('timed out after 1s');
    expect(w.s('job').runs[0]).toMatchObject({ exit: { code: null, signal: 'SIGKILL' }, error: 'timed out after 1s' });
  });

  it('success_exit_codes: an exit code in the list completes; one outside fails', async () => {
    const w = job('    success_exit_codes: [0, 3]');
    const codes = [3, 1];
    w.procs.scripts.set('job', (n) => ({ exitAfter: 10, code: codes[n] ?? 0 }));
    w.s('job').start();
    await w.clock.advance(100);
    expect(w.s('job').state).toBe('completed');
    w.s('job').start();
    await w.clock.advance(2000);
    expect(w.s('job').state).toBe('failed');
    expect(w.s('job').lastError).toBe('exited with code 1');
  });

  it('completed_successfully waits for a success code; completed takes any exit', async () => {
    const w = job(
      '    success_exit_codes: [0]',
      `  strict: { command: ./s, depends_on: { job: { condition: completed_successfully } } }
  loose: { command: ./l, depends_on: { job: { condition: completed } } }
`,
    );
    w.procs.scripts.set('job', () => ({ exitAfter: 500, code: 2 }));
    w.s('strict').start();
    w.s('loose').start();
    await w.clock.advance(0);
    expect(w.s('strict').lastError).toBe('waiting for job (completed_successfully)');
    await w.clock.advance(1000);
    expect(w.procs.spawnTimes('loose')).toEqual([500]);
    expect(w.s('strict').state).toBe('failed');
    expect(w.s('strict').lastError).toBe('not started: dependency job failed (exited with code 2)');
  });

  it('keeps the last 20 runs, oldest first; a stopped run says so', async () => {
    const w = job('    restart: { delay: 0s }');
    w.procs.scripts.set('job', (n) => ({ exitAfter: 10, code: n % 2 }));
    for (let i = 0; i < 25; i++) {
      w.s('job').start();
      await w.clock.advance(100);
    }
    const runs = w.s('job').runs;
    expect(runs.length).toBe(20);
    expect(runs[0]?.startedAt).toBe(new Date(500).toISOString());
    expect(runs[19]?.startedAt).toBe(new Date(2400).toISOString());
    expect(runs.map((r) => r.error)).toEqual(Array.from({ length: 20 }, (_, i) => ((i + 5) % 2 ? 'exited with code 1' : null)));
    w.procs.scripts.set('job', () => ({}));
    w.s('job').start();
    await w.clock.advance(10);
    void w.s('job').stop();
    await w.clock.advance(10);
    expect(w.s('job').runs.at(-1)).toMatchObject({ exit: { code: null, signal: 'SIGTERM' }, error: 'stopped by request' });
  });
});
