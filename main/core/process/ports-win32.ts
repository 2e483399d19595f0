// Windows, best effort: `netstat -ano` lists listeners with their pid; tasklist names them.
import { execFileSync } from 'node:child_process';
import { readProcessTableWin32 } from './proctable-win32.js';
import type { ProcessRef } from '../../contract/status.js';

export function findPortHoldersWin32(port: number): ProcessRef[] {
  let out: string;
  try {
    out = execFileSync('netstat', ['-ano', '-p', 'TCP'], { encoding: 'utf8', windowsHide: true });
    out += execFileSync('netstat', ['-ano', '-p', 'TCPv6'], { encoding: 'utf8', windowsHide: true });
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const line of out.split(/\r?\n/)) {
    // TCP    127.0.0.1:8765    0.0.0.0:0    LISTENING    1234
    const f = line.trim().split(/\s+/);
    if (f[3] === 'LISTENING' && f[1]?.endsWith(`:${port}`)) pids.add(Number(f[4]));
  }
  if (pids.size === 0) return [];
  const names = new Map(readProcessTableWin32().map((p) => [p.pid, p.command]));
  return [...pids].map((pid) => ({ pid, command: names.get(pid) ?? '' }));
}
