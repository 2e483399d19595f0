// The timed soak of issue 16: for 20 minutes a service crashes about ten times a second (it exits
// at once; restart delay 100 ms, plus the spawn, so fewer on a busy machine; a limit it cannot
// reach), with the daemon's RSS and its V8 heap in use after the latest GC read once a minute.
// It answers a question the cycle marks of leak.mjs cannot: whether memory creeps with
// wall-clock time (timers, histories, rotated log files, samples kept) rather than with the
// number of restarts.
// Not in the default run (`--soak`; `--soak-minutes=N` for a shorter one).
import { pollUntil, rssMb, sleep } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';
import { hyphaYaml, runDir, startHyphaSystem } from '../lib/systems.mjs';
import { lastGcHeapMb } from './leak.mjs';

/**
 * @param {{minutes?: number, onMinute?: (row: {minute: number, restarts: number, rssMb: number, heapMb: number | null}) => void}} [o]
 * @returns {Promise<{rows: {minute: number, restarts: number, rssMb: number, heapMb: number | null}[], seconds: number}>}
 */
export async function measure(o = {}) {
  const minutes = o.minutes ?? 20;
  const dir = runDir('soak-Hypha');
  const services = [{ name: 'crash', argv: ['/bin/false'], autorestart: true, stopTimeoutMs: 1000 }];
  const yaml = hyphaYaml(services, { restart: '{ policy: always, delay: 100ms, min_uptime: 0, max_restarts: 1000000, window: 2s }' });
  let lastLive = null;
  const sys = await startHyphaSystem({ dir, services, yaml, nodeFlags: ['--trace-gc'], onOutput: (c) => (lastLive = lastGcHeapMb(c.toString('utf8')) ?? lastLive) });
  const rows = [];
  const t0 = Date.now();
  try {
    if (!(await pollUntil(async () => (await sys.daemon.status('crash')).restarts >= 1, 60_000, 50))) throw new Error('the crashing service never restarted');
    for (let minute = 1; minute <= minutes; minute++) {
      // Wall-clock minutes from the start: a slow reading does not stretch the soak.
      const wait = t0 + minute * 60_000 - Date.now();
      if (wait > 0) await sleep(wait);
      const readings = [];
      for (let i = 0; i < 5; i++) {
        readings.push(rssMb(sys.pid));
        await sleep(200);
      }
      const row = { minute, restarts: (await sys.daemon.status('crash')).restarts, rssMb: median(readings), heapMb: lastLive };
      rows.push(row);
      o.onMinute?.(row);
    }
  } finally {
    await sys.shutdown();
  }
  return { rows, seconds: (Date.now() - t0) / 1000 };
}
