// Windows, best effort: `tasklist` names, pids and memory, but no parent, group or start time.
// Tree kills there rely on `taskkill /T` instead (see kill-win32.ts).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProcessInfo } from './proctable.js';

const ARGS = ['/FO', 'CSV', '/NH'];

/** `"node.exe","1234","Console","1","45,320 K"` lines. */
export function parseTasklistCsv(output: string): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const line of output.split(/\r?\n/)) {
    const cells = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    const pid = Number(cells[1]);
    if (cells.length < 5 || !Number.isSafeInteger(pid)) continue;
    table.push({
      pid,
      ppid: 0,
      pgid: pid,
      sid: 0,
      uid: 0,
      state: 'R',
      startTime: '',
      startedAtMs: 0,
      command: cells[0] ?? '',
      rssBytes: Number((cells[4] ?? '').replace(/\D/g, '')) * 1024,
      cpuTicks: 0,
    });
  }
  return table;
}

export function readProcessTableWin32(): ProcessInfo[] {
  return parseTasklistCsv(execFileSync('tasklist', ARGS, { encoding: 'utf8', windowsHide: true }));
}

export async function readProcessTableWin32Async(): Promise<ProcessInfo[]> {
  const { stdout } = await promisify(execFile)('tasklist', ARGS, { encoding: 'utf8', windowsHide: true });
  return parseTasklistCsv(stdout);
}
