// Daemon RSS after 10 000 crash/restart cycles against after 100: a service that exits at once
// (/bin/false), restart delay 0, a limit it cannot reach (max_restarts 100000 in a 2 s window).
// RSS is read from /proc/<pid>/status when the daemon's restart count passes each mark, and with
// it the heap in use right after the latest GC (the daemon runs with --trace-gc), which tells
// heap capacity that V8 keeps from memory that is really held.
import { pollUntil, rssMb } from '../lib/proc.mjs';
import { hyphaYaml, runDir, startHyphaSystem } from '../lib/systems.mjs';

export const MARKS = [100, 1000, 5000, 10_000];

export async function measure() {
  const dir = runDir('leak-Hypha');
  const services = [{ name: 'crash', argv: ['/bin/false'], autorestart: true, stopTimeoutMs: 1000 }];
  const yaml = hyphaYaml(services, { restart: '{ policy: always, delay: 0, min_uptime: 0, max_restarts: 100000, window: 2s }' });
  let lastLive = null;
  const sys = await startHyphaSystem({ dir, services, yaml, nodeFlags: ['--trace-gc'], onOutput: (c) => (lastLive = lastGcHeapMb(c.toString('utf8')) ?? lastLive) });
  const rss = {};
  const liveHeap = {};
  const t0 = Date.now();
  try {
    for (const mark of MARKS) {
      const ok = await pollUntil(async () => (await sys.daemon.status('crash')).restarts >= mark, 300_000, 10);
      if (!ok) throw new Error(`restart count never reached ${mark}`);
      rss[mark] = rssMb(sys.pid);
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
function lastGcHeapMb(output) {
  const all = [...output.matchAll(/(?:Scavenge|Mark-Compact(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)];
  return all.length > 0 ? Number(all[all.length - 1][1]) : null;
}
