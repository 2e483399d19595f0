// What the bench and chaos runs know about processes, read straight from /proc (Linux), apart
// from main/core on purpose: a measurement of the supervisor must not trust its own bookkeeping.
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100;

/** @returns {{state: string, ppid: number, pgid: number, sid: number, utime: number, stime: number, startTime: string} | null} */
export function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      state: f[0],
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      utime: Number(f[11]),
      stime: Number(f[12]),
      startTime: f[19],
    };
  } catch {
    return null;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid) {
  const s = readStat(pid);
  return s !== null && s.state !== 'Z';
}

/** A process named by pid and start time, so a recycled pid never counts. */
export function identify(pid) {
  const s = readStat(pid);
  return s ? { pid, startTime: s.startTime } : null;
}

export function isSame(ident) {
  const s = readStat(ident.pid);
  return s !== null && s.state !== 'Z' && s.startTime === ident.startTime;
}

/** @param {{pid: number, startTime: string}[]} idents */
export function aliveIdents(idents) {
  return idents.filter(isSame);
}

/** Fields of /proc/PID/status in kB (VmRSS, VmHWM…), or null if the process is gone. */
export function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export const rssMb = (pid) => (statusKb(pid, 'VmRSS') ?? NaN) / 1024;
export const hwmMb = (pid) => (statusKb(pid, 'VmHWM') ?? NaN) / 1024;

/** CPU seconds used so far (user + system). */
export function cpuSeconds(pid) {
  const s = readStat(pid);
  return s ? (s.utime + s.stime) / CLK_TCK : NaN;
}

/** Bytes the process has passed to write(2) so far (/proc/PID/io wchar). */
export function writtenBytes(pid) {
  try {
    const m = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

export function allPids() {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** The environment of `pid` as a Map, or null when it cannot be read (gone, or not ours). */
export function environOf(pid) {
  let raw;
  try {
    raw = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
  const env = new Map();
  for (const kv of raw.split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return env;
}

/**
 * Every live process whose environment has HYPHA_HOME=`home`: what a Hypha of that home started
 * (and the daemon itself, when it was started with that variable; pass its pid in `except`).
 * @returns {{pid: number, startTime: string, service: string | null, run: string | null, ppid: number, pgid: number}[]}
 */
export function processesOfHome(home, except = []) {
  const out = [];
  for (const pid of allPids()) {
    if (except.includes(pid) || pid === process.pid) continue;
    const env = environOf(pid);
    if (!env || env.get('HYPHA_HOME') !== home) continue;
    const st = readStat(pid);
    if (!st || st.state === 'Z') continue;
    out.push({ pid, startTime: st.startTime, service: env.get('HYPHA_SERVICE') ?? null, run: env.get('HYPHA_RUN') ?? null, ppid: st.ppid, pgid: st.pgid });
  }
  return out;
}

/** Live descendants of `pid` by parent links. */
export function descendants(pid) {
  const children = new Map();
  for (const p of allPids()) {
    const s = readStat(p);
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid) ?? [];
    list.push(p);
    children.set(s.ppid, list);
  }
  const out = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

export function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs each still-live process of `idents` (by pid and start time). */
export function killIdents(idents) {
  for (const i of aliveIdents(idents)) signal(i.pid, 'SIGKILL');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; resolves with the value or null. */
export async function pollUntil(fn, timeoutMs, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let v = null;
    try {
      v = await fn();
    } catch {
      v = null;
    }
    if (v) return v;
    if (Date.now() >= deadline) return null;
    await sleep(intervalMs);
  }
}
