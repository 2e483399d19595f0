// Reads the Linux process table straight from /proc: one readdir, then /proc/PID/stat per process
// through one reused buffer (owner and cmdline on demand). No `ps` spawn.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { uptime } from 'node:os';
import type { ProcessInfo } from './proctable.js';

const CLK_TCK = 100;
let buffer = Buffer.allocUnsafe(16 * 1024);

/** Reads a whole /proc file (their size reads as 0, so stat cannot tell the length). */
/** Set when an open failed for want of file descriptors (EMFILE/ENFILE), not because a process left. */
let outOfFds = false;
const isFdShortage = (err: unknown): boolean => ['EMFILE', 'ENFILE'].includes((err as NodeJS.ErrnoException).code ?? '');

function readProcFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (isFdShortage(err)) outOfFds = true;
    return null;
  }
  try {
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, total);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
    }
    return buffer.toString('utf8', 0, total);
  } catch {
    return null; // the process exited between open and read
  } finally {
    closeSync(fd);
  }
}

let bootTimeMs: number | undefined;
function bootTime(): number {
  if (bootTimeMs === undefined) {
    // Read once: btime is derived from the wall clock and can wobble by a second after clock
    // adjustments, and start times should not wobble with it within one supervisor's life.
    const match = /^btime (\d+)$/m.exec(readProcFile('/proc/stat') ?? '');
    bootTimeMs = match ? Number(match[1]) * 1000 : Date.now() - uptime() * 1000;
  }
  return bootTimeMs;
}

let pageSizeBytes: number | undefined;
function pageSize(): number {
  if (pageSizeBytes === undefined) {
    // Node exposes no sysconf(_SC_PAGESIZE). Our own RSS in kB (status) over the same RSS in
    // pages (stat) gives it; snap to the sizes kernels use so a page touched in between cannot skew it.
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readProcFile('/proc/self/status') ?? '');
    const self = parseStatLine(readProcFile('/proc/self/stat') ?? '');
    const ratio = kb && self && self.rssPages > 0 ? (Number(kb[1]) * 1024) / self.rssPages : 4096;
    const sizes = [4096, 16384, 65536];
    pageSizeBytes = sizes.reduce((best, size) =>
      Math.abs(Math.log(size / ratio)) < Math.abs(Math.log(best / ratio)) ? size : best,
    );
  }
  return pageSizeBytes;
}

export interface StatFields {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  utime: number;
  stime: number;
  startTicks: string;
  rssPages: number;
}

/**
 * Parses one /proc/PID/stat line. `comm` is in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the LAST ')'.
 */
export function parseStatLine(line: string): StatFields | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  // After comm: 0 state, 1 ppid, 2 pgrp, 3 session, 11 utime, 12 stime, 19 starttime, 21 rss.
  // Only the first 22 fields are needed, so stop there rather than split all ~50.
  const fields: string[] = [];
  let start = close + 2;
  while (fields.length < 22) {
    const end = line.indexOf(' ', start);
    if (end < 0) {
      if (start < line.length) fields.push(line.slice(start).trimEnd());
      break;
    }
    fields.push(line.slice(start, end));
    start = end + 1;
  }
  if (fields.length < 22) return null;
  return {
    pid: Number(line.slice(0, open - 1)),
    comm: line.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    startTicks: fields[19] ?? '',
    rssPages: Number(fields[21]),
  };
}

/** One process, or null when it is gone or unreadable. */
export function readProcessLinux(pid: number): ProcessInfo | null {
  const stat = parseStatLine(readProcFile(`/proc/${pid}/stat`) ?? '');
  if (!stat) return null;
  // uid and command cost two more syscalls per process and most scans (sampler ticks, tree
  // walks during a stop) never look at them, so they are read on first use. The getters are
  // own enumerable properties, so spreading or JSON.stringify still sees plain values.
  let uid: number | undefined;
  let command: string | undefined;
  return {
    pid: stat.pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    sid: stat.sid,
    get uid(): number {
      return (uid ??= readUid(stat));
    },
    state: stat.state,
    startTime: stat.startTicks,
    startedAtMs: Math.round(bootTime() + (Number(stat.startTicks) * 1000) / CLK_TCK),
    get command(): string {
      return (command ??= readCommand(stat));
    },
    rssBytes: stat.rssPages * pageSize(),
    cpuTicks: stat.utime + stat.stime,
  };
}

/** True if the pid still belongs to the process this stat line described (not a recycled pid). */
function stillSame(stat: StatFields): boolean {
  return parseStatLine(readProcFile(`/proc/${stat.pid}/stat`) ?? '')?.startTicks === stat.startTicks;
}

/** The owner of /proc/PID is the process's effective uid; -1 once the process is gone. */
function readUid(stat: StatFields): number {
  try {
    const uid = statSync(`/proc/${stat.pid}`).uid;
    return stillSame(stat) ? uid : -1;
  } catch {
    return -1;
  }
}

function readCommand(stat: StatFields): string {
  const cmdline = readProcFile(`/proc/${stat.pid}/cmdline`) ?? '';
  // Kernel threads and zombies have an empty cmdline; ps shows them as [comm] too.
  if (cmdline.length === 0 || !stillSame(stat)) return `[${stat.comm}]`;
  return cmdline.replace(/\0+$/, '').replaceAll('\0', ' ');
}

/** The last table read whole: what a scan answers while file descriptors run out (issue 18). */
let lastWholeTable: ProcessInfo[] = [];

export function readProcessTableLinux(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  let names: string[];
  outOfFds = false;
  try {
    names = readdirSync('/proc');
  } catch (err) {
    // Out of fds the table cannot be read; an old table is safer than an empty one (which would
    // read as "every process is gone") and far safer than an exception in a timer.
    if (isFdShortage(err)) return lastWholeTable;
    throw err;
  }
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue; // not a pid directory
    const info = readProcessLinux(Number(name));
    if (info) table.push(info);
  }
  if (outOfFds) return lastWholeTable;
  lastWholeTable = table;
  return table;
}

export function readBootId(): string | null {
  return readProcFile('/proc/sys/kernel/random/boot_id')?.trim() || null;
}
