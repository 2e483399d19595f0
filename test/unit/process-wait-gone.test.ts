// The stop's wait (wait-gone.ts) wakes on events, not on a polling round: with a backstop timer
// of an hour, only the event can end these waits before the test's own timeout. Also: `done` is
// told when the event was heard, and a table read for a caller woken by an exit is never an
// older shared one.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProcessTableAsync } from '../../main/core/process/proctable.js';
import { onFileChange, onSettled, waitUntil } from '../../main/core/process/wait-gone.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const HOUR = { firstMs: 3_600_000, maxMs: 3_600_000 };
const far = (): number => Date.now() + 3_600_000;

describe('waitUntil', () => {
  it('looks again when a promise settles, and says when it heard it', async () => {
    let done = false;
    let resolve: () => void = () => undefined;
    const settled = new Promise<void>((r) => (resolve = r));
    const heard: number[] = [];
    const waiting = waitUntil((at) => (heard.push(at), done), far(), [onSettled(settled)], HOUR);
    setImmediate(() => {
      done = true;
      resolve();
    });
    expect(await waiting).toBe(true);
    expect(heard[0]).toBe(0); // the first look is at once
    expect(heard.at(-1)).toBeGreaterThan(0);
  });

  it('looks again when a watched file changes (as cgroup.events does)', async () => {
    const file = join(tempDir(), 'events');
    writeFileSync(file, 'populated 1\n');
    let done = false;
    const waiting = waitUntil(() => done, far(), [onFileChange(file)], HOUR);
    setTimeout(() => {
      done = true;
      writeFileSync(file, 'populated 0\n');
    }, 20);
    expect(await waiting).toBe(true);
  });

  it('gives up at the deadline with the last answer', async () => {
    expect(await waitUntil(() => false, Date.now() + 30, [], { firstMs: 5, maxMs: 10 })).toBe(false);
  });

  it('watching a file that does not exist is no error: the timer still looks', async () => {
    let n = 0;
    expect(await waitUntil(() => ++n > 2, far(), [onFileChange('/nonexistent/cgroup.events')], { firstMs: 1, maxMs: 2 })).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('readProcessTableAsync(notBefore)', () => {
  it('never answers a caller woken by an exit with a table read before it', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      const before = await readProcessTableAsync();
      expect(before.some((p) => p.pid === pid)).toBe(true);
      const exited = new Promise<number>((r) => child.once('exit', () => r(performance.now())));
      child.kill('SIGKILL');
      const heardAt = await exited;
      // Within the 20 ms a table is shared, an unconditioned read may still show the child.
      const after = await readProcessTableAsync(heardAt);
      expect(after.some((p) => p.pid === pid && p.state !== 'Z')).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
