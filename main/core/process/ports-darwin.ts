// macOS: lsof knows the listeners; ps gives the full command line lsof abbreviates.
import { execFileSync } from 'node:child_process';
import { readProcessTableDarwin } from './proctable-darwin.js';
import type { ProcessRef } from '../../contract/status.js';

export function findPortHoldersDarwin(port: number): ProcessRef[] {
  let out: string;
  try {
    out = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'], { encoding: 'utf8' });
  } catch {
    return []; // lsof exits 1 when nothing matches
  }
  const pids = new Set(out.split('\n').filter((l) => l.startsWith('p')).map((l) => Number(l.slice(1))));
  if (pids.size === 0) return [];
  return readProcessTableDarwin()
    .filter((p) => pids.has(p.pid))
    .map((p) => ({ pid: p.pid, command: p.command }));
}
