// Every child of a run inherits HYPHA_RUN=<mark> in its environment. On Linux that finds the
// run's processes even after their parent died and they were reparented, before any scan had
// linked them to the run: the gap that lets tree kills miss a fast forker that crashes.
import crypto from 'node:crypto';
import type { ProcessInfo } from '../process/proctable.js';
import { environValue, readEnviron } from '../process/environ.js';

export const RUN_MARK_VAR = 'HYPHA_RUN';
export function newRunMark(): string {
  return crypto.randomBytes(9).toString('base64url');
}

/**
 * One pass over the table: the mark of every process of ours started since `sinceMs` (older ones
 * cannot belong to a run that started later). Linux only; elsewhere an empty map.
 */
export function marksOf(table: readonly ProcessInfo[], sinceMs: number): Map<string, ProcessInfo[]> {
  const out = new Map<string, ProcessInfo[]>();
  if (process.platform !== 'linux') return out;
  const uid = process.getuid?.();
  for (const p of table) {
    // Start times have 10 ms resolution; a second of slack covers clock rounding.
    if (p.startedAtMs < sinceMs - 1000 || p.state === 'Z' || p.pid === process.pid || p.uid !== uid) continue;
    const mark = markOf(p);
    if (mark) out.set(mark, [...(out.get(mark) ?? []), p]);
  }
  return out;
}

/**
 * A process's mark, read from /proc once per process (pid + start time) and remembered: a
 * thousand concurrent stops each looking at the same thousands of processes must not read each
 * environment a thousand times (issue 18: `stop all` of 1000 services froze the daemon).
 */
const known = new Map<string, string | null>();

function markOf(p: ProcessInfo): string | null {
  const key = `${p.pid}:${p.startTime}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const env = readEnviron(p.pid);
  if (!env) return null; // gone, or unreadable for now: not remembered
  const mark = environValue(env, RUN_MARK_VAR);
  // Forget what is old once the memo outgrows any plausible table; it refills as needed.
  if (known.size > 50_000) known.clear();
  known.set(key, mark);
  return mark;
}

/** Processes of ours started since `sinceMs` whose environment carries `mark`. Linux only. */
export function findMarked(mark: string, table: readonly ProcessInfo[], sinceMs: number): ProcessInfo[] {
  return marksOf(table, sinceMs).get(mark) ?? [];
}
