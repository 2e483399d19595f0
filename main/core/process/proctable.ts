// One snapshot of every process on the machine, read the cheapest way each platform allows.
// Linux reads /proc directly (no `ps` spawn), so the supervisor can afford a scan per tick.
import { processStartTimeDarwin, readProcessTableDarwin, readProcessTableDarwinAsync } from './proctable-darwin.js';
import { readBootId, readProcessTableLinux, readProcessLinux } from './proctable-linux.js';
import { readProcessTableWin32, readProcessTableWin32Async } from './proctable-win32.js';

/**
 * Kernel-style process state: R running, S sleeping, D disk wait, T stopped, Z zombie, I idle, X dead.
 * A zombie has exited and only waits to be reaped, so for our purposes it is gone.
 */
export type ProcessState = string;

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Session id; 0 where the platform does not tell (macOS, Windows). */
  sid: number;
  /** Effective uid; -1 if the process was gone before it was asked for (read lazily on Linux). */
  uid: number;
  state: ProcessState;
  /**
   * Identity token that, with `pid`, names one process for its whole life and never a later
   * process that reuses the pid. Linux: the starttime field of /proc/PID/stat (clock ticks since
   * boot); macOS: `ps` lstart. Opaque: compare for equality only.
   */
  startTime: string;
  /** Wall-clock start, ms since the epoch (second precision on macOS). */
  startedAtMs: number;
  /**
   * Full command line joined by spaces, or `[comm]` for kernel threads, zombies and processes gone
   * before it was asked for (Linux reads it lazily, checking the pid was not recycled meanwhile).
   */
  command: string;
  rssBytes: number;
  /** User + system CPU time in CPU_TICKS_PER_SECOND units. */
  cpuTicks: number;
}

/** Unit of `cpuTicks` (Linux USER_HZ, which is 100 on every mainstream architecture). */
export const CPU_TICKS_PER_SECOND = 100;

/** A pid plus its start-time token: enough to recognise a process again later without ever confusing a recycled pid. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/** Synchronous snapshot. Linux: a few ms for a thousand processes. macOS/Windows spawn a tool and block; prefer the async form there. */
export function readProcessTable(): ProcessInfo[] {
  switch (process.platform) {
    case 'linux':
      return readProcessTableLinux();
    case 'darwin':
      return readProcessTableDarwin();
    case 'win32':
      return readProcessTableWin32();
    default:
      return readProcessTableDarwin(); // the BSDs share macOS's `ps`
  }
}

/** Same snapshot without blocking the event loop where the platform has to run a tool for it. */
/**
 * Scans asked for within SHARE_MS of each other share one table: a thousand stops polling at once
 * must cost one /proc scan per poll, not a thousand (issue 18). A table this fresh is as good as a
 * new one for every caller (each polls again anyway).
 */
const SHARE_MS = 20;
let shared: { at: number; readFrom: number; table: ProcessInfo[] } | null = null;

/**
 * `notBefore` (a `performance.now()` taken when an exit event was heard): the table must have been
 * read after it, so a caller never sees the process it heard end; callers woken together still
 * share one read.
 */
export async function readProcessTableAsync(notBefore = 0): Promise<ProcessInfo[]> {
  switch (process.platform) {
    case 'linux': {
      const now = Date.now();
      if (shared && now - shared.at < SHARE_MS && shared.readFrom > notBefore) return shared.table;
      const readFrom = performance.now();
      const table = readProcessTableLinux(); // /proc reads are quicker than any hand-off to a thread
      shared = { at: Date.now(), readFrom, table };
      return table;
    }
    case 'win32':
      return readProcessTableWin32Async();
    default:
      return readProcessTableDarwinAsync();
  }
}

/** The start-time token of a live process, or null when it is gone (or unknowable here). */
export function processStartTime(pid: number): string | null {
  if (!isValidPid(pid)) return null;
  switch (process.platform) {
    case 'linux':
      return readProcessLinux(pid)?.startTime ?? null;
    case 'win32':
      return null; // tasklist tells no start time; callers must then not trust a pid on its own
    default:
      return processStartTimeDarwin(pid);
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  if (process.platform === 'linux') {
    const info = readProcessLinux(pid);
    return info !== null && info.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True only if `pid` is alive and is still the very process that had `startTime`. */
export function isSameProcess(identity: ProcessIdentity): boolean {
  if (!isValidPid(identity.pid)) return false;
  if (process.platform === 'linux') {
    const info = readProcessLinux(identity.pid);
    return info !== null && info.state !== 'Z' && info.startTime === identity.startTime;
  }
  return isAlive(identity.pid) && processStartTime(identity.pid) === identity.startTime;
}

/**
 * Identifies the current boot (Linux), so start-time tokens saved before a reboot are never
 * matched against processes after it. Null where unknown.
 */
export function bootId(): string | null {
  return process.platform === 'linux' ? readBootId() : null;
}

export function isValidPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0;
}
