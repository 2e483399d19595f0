// Process checks for tests, written apart from main/core/process on purpose: a test of the tree
// killer must not trust the killer's own idea of "alive".
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from './wait.js';

interface StatLite {
  ppid: number;
  state: string;
  startTime: string;
}

function readStat(pid: number): StatLite | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a zombie has exited; it only waits to be reaped). */
export function isProcessAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const stat = readStat(pid);
    return stat !== null && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pids among `pids` that are still alive. */
export function aliveOf(pids: readonly number[]): number[] {
  return pids.filter(isProcessAlive);
}

/** Linux start-time token of `pid` (null if gone or not Linux), to recognise it later. */
export function startTimeOf(pid: number): string | null {
  return process.platform === 'linux' ? (readStat(pid)?.startTime ?? null) : null;
}

/** Live descendants of `pid` by parent links (Linux). */
export function childPidsDeep(pid: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.state !== 'Z') children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

/**
 * Every process a test starts goes in here, and `reapAll()` (in afterEach/afterAll) SIGKILLs
 * whatever of them still lives, with its descendants, then waits until all are gone. Each pid is
 * remembered with its start time, so a pid recycled meanwhile is left alone.
 */
export class ProcessReaper {
  private readonly entries = new Map<number, string | null>();

  add(...pids: number[]): void {
    for (const pid of pids) if (pid > 1 && pid !== process.pid) this.entries.set(pid, startTimeOf(pid));
  }

  async reapAll(timeoutMs = 5000): Promise<void> {
    const targets = new Set<number>();
    for (const [pid, startTime] of this.entries) {
      if (!isProcessAlive(pid) || (startTime !== null && startTimeOf(pid) !== startTime)) continue;
      targets.add(pid);
      for (const child of childPidsDeep(pid)) targets.add(child);
    }
    this.entries.clear();
    for (const pid of targets) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await waitFor(() => aliveOf([...targets]).length === 0, {
      timeoutMs,
      message: `test processes ${[...targets].join(', ')} to die`,
    });
  }
}
