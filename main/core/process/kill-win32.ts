// Windows, best effort: no process groups or signals, but `taskkill /T` walks the tree itself.
// First a polite close (what Ctrl+C-aware programs get), then /F at the deadline.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KillTreeOptions, KillTreeResult } from './kill.js';

function taskkill(pid: number, force: boolean): Promise<void> {
  const args = ['/PID', String(pid), '/T', ...(force ? ['/F'] : [])];
  return new Promise((resolve) => execFile('taskkill', args, { windowsHide: true }, () => resolve()));
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function killTreeWin32(opts: KillTreeOptions): Promise<KillTreeResult> {
  if (opts.pid <= 1 || opts.pid === process.pid) return { killed: [], escalated: false, leftovers: [] };
  const pollMs = opts.pollMs ?? 50;
  const deadline = Date.now() + opts.timeoutMs;
  await taskkill(opts.pid, opts.signal === 'SIGKILL');
  while (exists(opts.pid) && Date.now() < deadline) await sleep(pollMs);
  if (!exists(opts.pid)) return { killed: [opts.pid], escalated: false, leftovers: [] };
  await taskkill(opts.pid, true);
  const killDeadline = Date.now() + (opts.killWaitMs ?? 3000);
  while (exists(opts.pid) && Date.now() < killDeadline) await sleep(pollMs);
  return { killed: [opts.pid], escalated: true, leftovers: exists(opts.pid) ? [opts.pid] : [] };
}
