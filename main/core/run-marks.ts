// Every child of a run inherits HYPHA_RUN=<mark> in its environment. On Linux that finds the
// run's processes even after their parent died and they were reparented, before any scan had
// linked them to the run: the gap that lets tree kills miss a fast forker that crashes.
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { ProcessInfo } from './process/proctable.js';

export const RUN_MARK_VAR = 'HYPHA_RUN';

export function newRunMark(): string {
  return crypto.randomBytes(9).toString('base64url');
}

/** Processes of ours started since `sinceMs` whose environment carries `mark`. Linux only. */
export function findMarked(mark: string, table: readonly ProcessInfo[], sinceMs: number): ProcessInfo[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`\0${RUN_MARK_VAR}=${mark}\0`);
  const first = Buffer.from(`${RUN_MARK_VAR}=${mark}\0`);
  const uid = process.getuid?.();
  const out: ProcessInfo[] = [];
  for (const p of table) {
    // Start times have 10 ms resolution; a second of slack covers clock rounding.
    if (p.startedAtMs < sinceMs - 1000 || p.uid !== uid || p.state === 'Z' || p.pid === process.pid) continue;
    let env: Buffer;
    try {
      env = fs.readFileSync(`/proc/${p.pid}/environ`);
    } catch {
      continue;
    }
    if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(p);
  }
  return out;
}
