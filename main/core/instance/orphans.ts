// Reaping what a killed supervisor left behind (SPEC §4): found by pid AND start time from
// state.json, and by the environment mark, so a recycled pid is never touched.
import { environValue, readEnviron } from '../process/environ.js';
import { bootId, isSameProcess, processStartTime, readProcessTable, type ProcessInfo } from '../process/proctable.js';
import { readStateFile, type RecordedProcess } from './state-file.js';


export interface Orphan {
  pid: number;
  service: string;
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
      const env = readEnviron(p.pid);
      if (!env) continue;
      const service = environValue(env, 'HYPHA_SERVICE');
      if (service && environValue(env, 'HYPHA_HOME') === home) add(p.pid, service);
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
