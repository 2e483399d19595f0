// One supervisor per HYPHA_HOME (SPEC §4): the instance lock, state.json (what it has spawned),
// and reaping what a killed supervisor left behind. Processes are named by pid AND start time,
// so a recycled pid is never touched.
import fs from 'node:fs';
import path from 'node:path';
import { bootId, isSameProcess, processStartTime, readProcessTable, type ProcessInfo } from '../process/proctable.js';
import type { Run } from '../run/run.js';

export interface LockHandle {
  file: string;
  release(): void;
}

export type LockResult = { ok: true; lock: LockHandle } | { ok: false; pid: number; message: string };

interface LockContent {
  pid: number;
  startTime: string | null;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function acquireLock(home: string): LockResult {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = path.join(home, 'hypha.lock');
  const mine: LockContent = { pid: process.pid, startTime: processStartTime(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = readJson<LockContent>(file);
      if (held && held.pid !== process.pid && lockHolderAlive(held)) {
        return { ok: false, pid: held.pid, message: `already running (pid ${held.pid})` };
      }
      // Stale (its pid is gone, or unreadable half-written content): take it over.
      try {
        fs.unlinkSync(file);
      } catch {
        // Someone else took it over first; the next attempt sees their lock.
      }
      continue;
    }
    // Two takers racing over a stale lock: only the one whose content stands owns it.
    const now = readJson<LockContent>(file);
    if (now?.pid !== process.pid) continue;
    return {
      ok: true,
      lock: {
        file,
        release: () => {
          const cur = readJson<LockContent>(file);
          if (cur?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      },
    };
  }
  const held = readJson<LockContent>(file);
  return { ok: false, pid: held?.pid ?? 0, message: `already running (pid ${held?.pid ?? 'unknown'})` };
}

function lockHolderAlive(held: LockContent): boolean {
  if (!Number.isSafeInteger(held.pid) || held.pid <= 0) return false;
  if (held.startTime) return isSameProcess({ pid: held.pid, startTime: held.startTime });
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---- state.json ----

export interface RecordedProcess {
  pid: number;
  startTime: string;
}

export interface RecordedRun {
  service: string;
  pid: number;
  pgid: number;
  startTime: string | null;
  members: RecordedProcess[];
}

export interface StateFile {
  pid: number;
  bootId: string | null;
  updatedAt: string;
  runs: RecordedRun[];
}

export function stateFilePath(home: string): string {
  return path.join(home, 'state.json');
}

export function writeStateFile(home: string, runs: Map<string, Run>): void {
  const state: StateFile = {
    pid: process.pid,
    bootId: bootId(),
    updatedAt: new Date().toISOString(),
    runs: [...runs].map(([service, r]) => ({
      service,
      pid: r.pid,
      pgid: r.pgid,
      startTime: r.startTime,
      members: r.tracker.members(),
    })),
  };
  try {
    writeAtomic(stateFilePath(home), JSON.stringify(state));
  } catch {
    // A read-only or full disk must not stop supervision; reaping then falls back to the environ scan.
  }
}

export function readStateFile(home: string): StateFile | null {
  return readJson<StateFile>(stateFilePath(home));
}

// ---- orphan reaping ----

export interface Orphan {
  pid: number;
  service: string;
}

function environOf(pid: number): Map<string, string> | null {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    const m = new Map<string, string>();
    for (const kv of raw.split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) m.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return m;
  } catch {
    return null;
  }
}

function ancestorsOf(pid: number, byPid: Map<number, ProcessInfo>): Set<number> {
  const out = new Set<number>();
  let cur = byPid.get(pid);
  while (cur && !out.has(cur.pid)) {
    out.add(cur.pid);
    cur = byPid.get(cur.ppid);
  }
  return out;
}

/**
 * Finds what a previous supervisor of this HYPHA_HOME spawned and that still lives: the runs in
 * state.json (pid + start time), their process groups and descendants, and on Linux any process
 * whose environment names this HYPHA_HOME and a service (caught even if state.json missed it).
 */
export function findOrphans(home: string, table: ProcessInfo[] = readProcessTable()): Orphan[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const spare = ancestorsOf(process.pid, byPid);
  const found = new Map<number, string>();
  const add = (pid: number, service: string): void => {
    if (pid > 1 && !spare.has(pid) && !found.has(pid)) found.set(pid, service);
  };
  const state = readStateFile(home);
  const sameBoot = state && (state.bootId === null || state.bootId === bootId());
  if (state && sameBoot && Array.isArray(state.runs)) {
    for (const run of state.runs) {
      const idents: RecordedProcess[] = [...(run.startTime ? [{ pid: run.pid, startTime: run.startTime }] : []), ...(run.members ?? [])];
      const live = idents.filter((i) => byPid.get(i.pid)?.startTime === i.startTime && byPid.get(i.pid)?.state !== 'Z');
      for (const i of live) add(i.pid, run.service);
      // Members of its group started after the leader belong to it too.
      const leader = run.startTime ? Number(run.startTime) : NaN;
      if (live.length > 0 && Number.isFinite(leader)) {
        for (const p of table) if (p.pgid === run.pgid && Number(p.startTime) >= leader) add(p.pid, run.service);
      }
    }
  }
  if (process.platform === 'linux') {
    for (const p of table) {
      if (p.uid !== process.getuid?.() || found.has(p.pid) || spare.has(p.pid) || p.state === 'Z') continue;
      const env = environOf(p.pid);
      const service = env?.get('HYPHA_SERVICE');
      if (service && env?.get('HYPHA_HOME') === home) add(p.pid, service);
    }
  }
  // Descendants of anything found go with it.
  const children = new Map<number, number[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  for (const [pid, service] of [...found]) {
    const stack = [...(children.get(pid) ?? [])];
    while (stack.length) {
      const c = stack.pop() as number;
      if (found.has(c)) continue;
      add(c, service);
      stack.push(...(children.get(c) ?? []));
    }
  }
  return [...found].map(([pid, service]) => ({ pid, service }));
}

/** SIGKILLs the orphans (their groups are gone with them) and waits, bounded, until they are. */
export async function reapOrphans(orphans: Orphan[], timeoutMs = 3000): Promise<Orphan[]> {
  if (orphans.length === 0) return [];
  const idents = orphans.map((o) => ({ ...o, startTime: processStartTime(o.pid) }));
  for (const o of idents) {
    if (!o.startTime) continue;
    try {
      process.kill(o.pid, 'SIGSTOP'); // freeze first so none can spawn a replacement while we go
    } catch {
      // Already gone.
    }
  }
  for (const o of idents) {
    if (!o.startTime) continue;
    try {
      process.kill(o.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (idents.every((o) => !o.startTime || !isSameProcess({ pid: o.pid, startTime: o.startTime }))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return orphans;
}
