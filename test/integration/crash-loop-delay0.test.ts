// Issue 18 item 1: ten services crash-looping with `restart.delay: 0s` must not freeze the daemon.
// (Proven able to fail: with the respawn made inside the exit callback, no ping was answered.)
// A zero-delay respawn goes to a later turn of the event loop, so every /api/ping during the loop
// is answered, and a SIGTERM of the daemon ends with 0 processes left: /proc is the witness (every
// process a service started carries this test's token in its environment). No latency bound:
// only that every ping is answered and that nothing survives.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tempDir, waitFor } from '../helpers/index.js';
import { cleanUp, q, startDaemon } from '../helpers/daemon.js';

afterAll(async () => {
  await cleanUp();
});

/** Pids of live processes whose environment holds LOOP_TOKEN=token. */
function carriers(token: string): number[] {
  const needle = `LOOP_TOKEN=${token}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (env.split('\0').includes(needle)) found.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

function stampCount(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe.skipIf(process.platform !== 'linux')('delay-0 crash loop', () => {
  it('ten services with delay 0 crash-loop while every ping is answered; SIGTERM leaves 0 processes', { timeout: 180_000 }, async () => {
    const dir = tempDir('hypha-delay0-');
    const stamps = join(dir, 'stamps');
    const token = randomBytes(6).toString('hex');
    const services = Array.from({ length: 10 }, (_, i) => {
      // As reported: `sleep 0.1; exit 1`, two of them leaving a setsid grandchild behind each run;
      // half exit at once, the harshest loop (with the respawn inside the exit callback it froze
      // the daemon: no ping answered in 120 s).
      const leave = i < 2 ? '(setsid sleep 30 &); ' : '';
      const nap = i < 5 ? 'sleep 0.1; ' : '';
      return `  loop${i}:
    command: ${q(`echo x >> ${stamps}; ${leave}${nap}exit 1`)}
    env: { LOOP_TOKEN: ${q(token)} }
    restart: { policy: always, delay: 0s, max_restarts: 1000000, window: 1m }
    stop: { timeout: 5s }`;
    });
    const d = await startDaemon(`api: { port: 0 }\nservices:\n${services.join('\n')}\n`, { dir });
    try {
      // Ping one after another while the loop runs until it has spawned at least 100 times.
      let pings = 0;
      let failed = 0;
      await waitFor(
        async () => {
          const r = await d.api<{ ok: boolean }>('GET', '/api/ping', { token: null }).catch(() => ({ status: 0, body: { ok: false } }));
          pings++;
          if (r.status !== 200 || !r.body.ok) failed++;
          return stampCount(stamps) >= 100 && pings >= 20;
        },
        { timeoutMs: 120_000, intervalMs: 50, message: 'a crash loop of 100 spawns with pings answered' },
      );
      expect(failed).toBe(0);
      // The status API answers too, and shows services in their loop, not failed.
      const list = await d.list();
      expect(list.filter((s) => s.state === 'failed')).toEqual([]);
      expect(list.every((s) => s.restarts > 0)).toBe(true);
    } finally {
      await d.stop();
    }
    const exit = await d.exited;
    expect(exit.code).toBe(0);
    // Whatever the reaper had still to end is gone within a moment; nothing of the services lives.
    await waitFor(() => carriers(token).length === 0, { timeoutMs: 10_000, message: `no process with the loop token: ${carriers(token).join(' ')}` });
  });
});
