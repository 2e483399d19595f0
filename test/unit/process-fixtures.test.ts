// The fixtures other tests build on do what their headers promise.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixtureReaper, spawnFixture } from '../helpers/fixtures.js';
import { freePort } from '../helpers/ports.js';
import { isProcessAlive } from '../helpers/processes.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

afterEach(() => fixtureReaper.reapAll());
afterAll(removeTempDirs);

describe('fixtures', () => {
  it('http-server answers /health by the flag file, stamps its start and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const port = await freePort();
    const flag = join(dir, 'sick');
    const stamp = join(dir, 'stamp');
    const server = spawnFixture('http-server', { PORT: String(port), HEALTH_FLAG: flag, STAMP_FILE: stamp });
    await server.waitForOutput(/listening port=/);
    const health = async (): Promise<number> => (await fetch(`http://127.0.0.1:${port}/health`)).status;
    expect(await health()).toBe(200);
    writeFileSync(flag, '');
    expect(await health()).toBe(503);
    rmSync(flag);
    expect(await health()).toBe(200);
    expect(readFileSync(stamp, 'utf8')).toMatch(new RegExp(`^started ${server.pid} \\d+\\n$`));
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('crasher stamps and exits with EXIT_CODE after AFTER_MS', async () => {
    const stamp = join(tempDir(), 'stamp');
    const crasher = spawnFixture('crasher', { STAMP_FILE: stamp, EXIT_CODE: '3', AFTER_MS: '50' });
    expect(await crasher.exited).toEqual({ code: 3, signal: null });
    expect(readFileSync(stamp, 'utf8')).toMatch(/^\d+\n$/);
    expect((await spawnFixture('crasher').exited).code).toBe(1);
  });

  it('oneshot stamps, sleeps and exits with EXIT_CODE', async () => {
    const stamp = join(tempDir(), 'stamp');
    const job = spawnFixture('oneshot', { STAMP_FILE: stamp, SLEEP_MS: '20', EXIT_CODE: '0' });
    expect(await job.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(stamp, 'utf8')).toMatch(new RegExp(`^ran ${job.pid} \\d+\\n$`));
    expect((await spawnFixture('oneshot', { EXIT_CODE: '4' }).exited).code).toBe(4);
  });

  it('flooder writes every numbered line through a pipe, then exits 0', async () => {
    const flood = spawnFixture('flooder', { LINES: '100000' });
    expect(await flood.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => flood.output().endsWith(`line 100000 ${'x'.repeat(40)}\n`), { message: 'the last line' });
    const lines = flood.output().trimEnd().split('\n');
    expect(lines[0]).toBe(`ready pid=${flood.pid}`);
    expect(lines).toHaveLength(100_001);
    expect(lines[12345]).toBe(`line 12345 ${'x'.repeat(40)}`);
  });

  it('port-holder and slow-stopper stay up; slow-stopper shrugs off SIGTERM', async () => {
    const stopper = spawnFixture('slow-stopper');
    await stopper.ready();
    stopper.child.kill('SIGTERM');
    await stopper.waitForOutput(/ignoring SIGTERM/);
    expect(stopper.child.exitCode).toBeNull();
    const holder = spawnFixture('port-holder', { PORT: '0' });
    await holder.waitForOutput(/listening port=\d+/);
    expect(isProcessAlive(holder.pid)).toBe(true);
  });
});
