// Daemon RSS after 10 000 crash/restart cycles against after a warm-up of 1 000 (issue 16: the
// first thousand cycles grow caches, JIT code and V8's heap to their working size, which is not a
// leak): a service that exits at once (/bin/false), restart delay 0, a limit it cannot reach
// (max_restarts 1000000 in a 2 s window). `--soak` (not in the default run: ~5 min here) goes on
// to 100 000 cycles.
// RSS is read from /proc/<pid>/status when the daemon's restart count passes each mark (median of
// five readings), and with
// it the heap in use right after the latest GC (the daemon runs with --trace-gc), which tells
// heap capacity that V8 keeps from memory that is really held.
import { pollUntil, rssMb, sleep } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';
import { hyphaYaml, runDir, startHyphaSystem } from '../lib/systems.mjs';

export const MARKS = [100, 1000, 5000, 10_000];
export const SOAK_MARKS = [...MARKS, 50_000, 100_000];
/** The mark the comparison starts from: after warm-up. */
export const BASE_MARK = 1000;

export async function measure(marks = MARKS) {
  const dir = runDir('leak-Hypha');
  const services = [{ name: 'crash', argv: ['/bin/false'], autorestart: true, stopTimeoutMs: 1000 }];
  const yaml = hyphaYaml(services, { restart: '{ policy: always, delay: 0, min_uptime: 0, max_restarts: 1000000, window: 2s }' });
  let lastLive = null;
  const sys = await startHyphaSystem({ dir, services, yaml, nodeFlags: ['--trace-gc'], onOutput: (c) => (lastLive = lastGcHeapMb(c.toString('utf8')) ?? lastLive) });
  const rss = {};
  const liveHeap = {};
  const t0 = Date.now();
  try {
    for (const mark of marks) {
      const ok = await pollUntil(async () => (await sys.daemon.status('crash')).restarts >= mark, 1_800_000, 10);
      if (!ok) throw new Error(`restart count never reached ${mark}`);
      // One RSS reading swings by tens of MB with where V8 is in its GC cycle: the median of
      // five readings a quarter second apart (the cycles go on meanwhile).
      const readings = [];
      for (let i = 0; i < 5; i++) {
        readings.push(rssMb(sys.pid));
        await sleep(250);
      }
      rss[mark] = median(readings);
      liveHeap[mark] = lastLive;
    }
  } finally {
    await sys.shutdown();
  }
  return { rss, liveHeap, seconds: (Date.now() - t0) / 1000 };
}

/**
 * `… Scavenge 12.3 (21.6) -> 11.6 (21.6) MB …` or `… Mark-Compact (reduce) 8.7 (10.9) -> 7.0 …`:
 * the heap in use right after the latest GC, an upper bound of what is really held.
 */
export function lastGcHeapMb(output) {
  const all = [...output.matchAll(/(?:Scavenge|Mark-Compact(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)];
  return all.length > 0 ? Number(all[all.length - 1][1]) : null;
}
