// The sampler reads only what can have changed (issue 16): a run without a cgroup whose known
// processes used no CPU and have no unknown child is not worth a read of the whole process
// table; a fork is found at the next tick all the same, and every FULL_EVERY ticks the table is
// read anyway. Counted reads, no timing.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../main/core/process/proctable.js';
import { DescendantTracker, descendantsOf } from '../../main/core/process/tree.js';
import { FULL_EVERY, ProcessWatch } from '../../main/core/process/watch.js';
import { readProcessTable } from '../../main/core/process/proctable.js';
import type { Run } from '../../main/core/run/run.js';
import { waitFor } from '../helpers/wait.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe.runIf(process.platform === 'linux')('ProcessWatch', () => {
  it('reads the whole table only when a tree run changed, or every FULL_EVERY ticks', async () => {
    // A shell that forks a `sleep` once a line arrives, and until then sits in `read` (no CPU).
    const child = spawn('/bin/sh', ['-c', 'read line; sleep 30 & wait'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    const pid = child.pid as number;
    started.push(pid);
    await waitFor(() => processStartTime(pid) !== null, { message: 'the shell to start' });
    const tracker = new DescendantTracker(pid, pid, processStartTime(pid));
    const run = { pid, pgid: pid, cgroup: null, tracker } as unknown as Run;
    const watch = new ProcessWatch(3_600_000, () => new Map([['sh', run]]));
    watch.scan();
    expect(watch.fullTableReads).toBe(1);
    // Quiet: the shell waits in `read`. (A tick it happened to use CPU in reads in full; retry.)
    await waitFor(
      () => {
        const before = watch.fullTableReads;
        watch.scan();
        return watch.fullTableReads === before;
      },
      { message: 'a tick that needs no table' },
    );
    // A fork: the new child is found by the next tick, through the children file.
    child.stdin.write('go\n');
    await waitFor(() => descendantsOf(pid, readProcessTable()).length > 0, { message: 'the shell to fork sleep' });
    const before = watch.fullTableReads;
    watch.scan();
    expect(watch.fullTableReads).toBe(before + 1);
    const sleepPid = descendantsOf(pid, readProcessTable())[0]?.pid;
    expect(tracker.members().map((m) => m.pid)).toContain(sleepPid);
    // And every FULL_EVERY ticks in full, quiet or not.
    let full = 0;
    for (let i = 0; i < FULL_EVERY * 2; i++) {
      const b = watch.fullTableReads;
      watch.scan();
      full += watch.fullTableReads - b;
    }
    expect(full).toBeGreaterThanOrEqual(2);
    expect(full).toBeLessThan(FULL_EVERY * 2);
  });
});
