// Finds the strays of every service in one pass over the process table (SPEC §3, §6): processes
// of this user that Hypha did not start and that match a service's `match` or hold its `port`.
// Pure over its input, so the rules can be proven on made-up tables; strays.ts feeds it /proc.
import type { ProcessInfo } from '../process/proctable.js';
import type { ProcessRef, Stray } from '../../contract/status.js';
import { clip, isInitLike, spawner, spawnVerdict, type HyphaEnv } from './verdict.js';
import { isCopyOfService } from './readers.js';

export interface StrayTarget {
  id: string;
  match: RegExp | null;
  port: number | null;
  /** Basename of the program the service runs (`node`, `sh`): a reader of its file is a copy only then. */
  exe?: string | null;
}

/** A stray plus what it takes to end exactly that process later and to follow it across scans. */
export interface FoundStray extends Stray {
  /** `pid:startTime`. */
  key: string;
  startTime: string;
  pgid: number;
  /** The systemd unit it runs in, when that is what started it. */
  unit: string | null;
}

export interface StrayScanInput {
  table: readonly ProcessInfo[];
  targets: readonly StrayTarget[];
  /** `pid:startTime` of every process the live runs are known to hold. */
  ours: ReadonlySet<string>;
  /** HYPHA_RUN marks of the live runs. */
  marks: ReadonlySet<string>;
  /** port → pids listening on it. */
  listeners: ReadonlyMap<number, readonly number[]>;
  /** The supervisor: it, its ancestors and everything below it are never strays. */
  selfPid: number;
  /**
   * Processes that asked (the CLI running `hypha strays --stop`): they and their ancestors are
   * never strays, so a person's shell is never ended by its own command. Sparing only ever
   * narrows what may be ended, so a caller cannot turn it against anyone.
   */
  spare?: readonly number[];
  /** Only this user's processes count; null where the platform has no uids. */
  uid: number | null;
  /** This supervisor's HYPHA_HOME. */
  home: string | null;
  platform: NodeJS.Platform;
  envOf(pid: number): HyphaEnv | null;
  unitOf(pid: number): string | null;
  /** True for command lines of the hypha CLI or app itself (`hypha logs web` matches `web`). */
  isHyphaCli(command: string): boolean;
  cache?: MatchCache;
  now?: number;
}

type Reason = NonNullable<Stray['reason']>;

function joinReason(a: Reason | undefined, b: Reason): Reason {
  if (!a || a === b) return b;
  return 'match+port';
}

/**
 * Which services' `match` each process hits, remembered per process (pid + start time) so a
 * steady machine costs no command-line reads and no regex runs per scan. A process younger than
 * `settleMs` is not remembered: between fork and exec it still shows its parent's command line.
 */
export class MatchCache {
  private entries = new Map<string, { uid: number; command: string; ids: string[]; at: number }>();
  private targetsKey = '';
  private touched = new Set<string>();

  constructor(
    private readonly settleMs = 2000,
    /** Re-read even settled processes this often: a few rewrite their title (setproctitle). */
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  begin(targets: readonly StrayTarget[]): void {
    const key = targets.map((t) => `${t.id}\0${t.match ? `${t.match.source}/${t.match.flags}` : ''}\0${t.exe ?? ''}`).join('\n');
    if (key !== this.targetsKey) this.entries.clear();
    this.targetsKey = key;
    this.touched = new Set();
  }

  get(p: ProcessInfo, now: number): { uid: number; command: string; ids: string[] } | null {
    const key = `${p.pid}:${p.startTime}`;
    const e = this.entries.get(key);
    if (!e || now - e.at > this.maxAgeMs) return null;
    this.touched.add(key);
    return e;
  }

  set(p: ProcessInfo, uid: number, command: string, ids: string[], now: number): void {
    if (now - p.startedAtMs < this.settleMs) return;
    const key = `${p.pid}:${p.startTime}`;
    this.entries.set(key, { uid, command, ids, at: now });
    this.touched.add(key);
  }

  /** Forgets processes the last scan did not see. */
  end(): void {
    for (const key of this.entries.keys()) if (!this.touched.has(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * A test for "this is the hypha CLI or app", given where the package lives: its executable or
 * script is the first or second word (`hypha …`, `node …/bin/hypha …`), or a word is a path into
 * the package's bin/ or dist/ folder.
 */
export function hyphaCliTest(packageRoot: string | null): (command: string) => boolean {
  const inside = packageRoot ? [`${packageRoot}/bin/`, `${packageRoot}/dist/`, `${packageRoot}\\bin\\`, `${packageRoot}\\dist\\`] : [];
  return (command) => {
    const words = command.split(/\s+/, 3);
    for (const w of words.slice(0, 2)) if (/(?:^|[\\/])hypha(?:\.exe|\.cmd)?$/i.test(w)) return true;
    return inside.length > 0 && words.some((w) => inside.some((prefix) => w.startsWith(prefix)));
  };
}

/** The parent chain of `pid`, parent first, up to init (included); stops on a loop. */
function ancestryOf(pid: number, byPid: ReadonlyMap<number, ProcessInfo>): ProcessInfo[] {
  const chain: ProcessInfo[] = [];
  const seen = new Set<number>([pid]);
  let cur = byPid.get(byPid.get(pid)?.ppid ?? 0);
  while (cur && !seen.has(cur.pid)) {
    chain.push(cur);
    seen.add(cur.pid);
    cur = byPid.get(cur.ppid);
  }
  return chain;
}

/** service id → its strays, for every target (an empty list when it has none). */
export function findStrays(input: StrayScanInput): Map<string, FoundStray[]> {
  const now = input.now ?? Date.now();
  const { table, targets } = input;
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const spared = new Set<number>();
  for (const pid of [input.selfPid, ...(input.spare ?? [])]) {
    if (!Number.isInteger(pid) || pid <= 1) continue;
    spared.add(pid);
    for (const a of ancestryOf(pid, byPid)) spared.add(a.pid);
  }
  const portTargets = new Map<number, string[]>();
  for (const t of targets) if (t.port !== null) portTargets.set(t.port, [...(portTargets.get(t.port) ?? []), t.id]);
  const portHits = new Map<number, string[]>();
  for (const [port, pids] of input.listeners) {
    for (const pid of pids) for (const id of portTargets.get(port) ?? []) portHits.set(pid, [...(portHits.get(pid) ?? []), id]);
  }
  const matchers = targets.filter((t): t is StrayTarget & { match: RegExp } => t.match !== null);
  const cache = input.cache;
  cache?.begin(targets);

  // pid → service id → why it counts
  const hits = new Map<number, Map<string, Reason>>();
  for (const p of table) {
    if (p.state === 'Z' || p.state === 'X' || p.pid <= 1 || spared.has(p.pid)) continue;
    if (input.platform === 'linux' && (p.pid === 2 || p.ppid === 2)) continue; // kernel threads
    if (input.ours.has(`${p.pid}:${p.startTime}`)) continue;
    let known = cache?.get(p, now) ?? null;
    if (!known) {
      const uid = input.uid === null ? -1 : p.uid;
      const command = input.uid === null || uid === input.uid ? p.command : '';
      // A pager, editor or shell reading the service's file matches too, yet is a person at work.
      const ids = command ? matchers.filter((t) => t.match.test(command) && isCopyOfService(command, t.match, t.exe ?? null)).map((t) => t.id) : [];
      known = { uid, command, ids };
      cache?.set(p, uid, command, ids, now);
    }
    if (input.uid !== null && known.uid !== input.uid) continue;
    const reasons = new Map<string, Reason>();
    for (const id of known.ids) reasons.set(id, 'match');
    for (const id of portHits.get(p.pid) ?? []) reasons.set(id, joinReason(reasons.get(id), 'port'));
    if (reasons.size > 0) hits.set(p.pid, reasons);
  }
  cache?.end();

  const envs = new Map<number, HyphaEnv | null>();
  const envOf = (pid: number): HyphaEnv | null => {
    if (!envs.has(pid)) envs.set(pid, input.envOf(pid));
    return envs.get(pid) ?? null;
  };
  const isOurs = (p: ProcessInfo): boolean => {
    if (input.isHyphaCli(p.command)) return true;
    // Below the supervisor: a run's child not yet tracked, a probe.
    for (let cur = byPid.get(p.ppid), hops = 0; cur && hops < 4096; cur = byPid.get(cur.ppid), hops++) {
      if (cur.pid === input.selfPid) return true;
      if (cur.pid <= 1) break;
    }
    const env = envOf(p.pid);
    if (env?.run && input.marks.has(env.run)) return true;
    // Started by this very Hypha (its home, a service) yet in no live run: a run's leftover that
    // the reaper is ending right now, not somebody else's copy.
    return Boolean(env?.service && input.home !== null && env.home === input.home);
  };

  const perService = new Map<string, Map<number, { p: ProcessInfo; reason: Reason }>>();
  for (const t of targets) perService.set(t.id, new Map());
  for (const [pid, reasons] of hits) {
    const p = byPid.get(pid) as ProcessInfo;
    if (isOurs(p)) continue;
    for (const [id, reason] of reasons) perService.get(id)?.set(pid, { p, reason });
  }

  const out = new Map<string, FoundStray[]>();
  for (const [id, found] of perService) {
    // A stray below another stray of the same service is part of that one's tree (ended with it):
    // it is listed once, as the topmost, carrying both reasons.
    const tops = new Map<number, { p: ProcessInfo; reason: Reason; chain: ProcessInfo[] }>();
    for (const [pid, f] of found) {
      const chain = ancestryOf(pid, byPid);
      if (!chain.some((a) => found.has(a.pid))) tops.set(pid, { ...f, chain });
    }
    for (const [pid, f] of found) {
      if (tops.has(pid)) continue;
      const chain = ancestryOf(pid, byPid);
      const top = [...chain].reverse().find((a) => tops.has(a.pid));
      const t = top ? tops.get(top.pid) : undefined;
      if (t) t.reason = joinReason(t.reason, f.reason);
    }
    const strays: FoundStray[] = [];
    for (const [pid, t] of [...tops].sort((a, b) => a[0] - b[0])) {
      const ancestry: ProcessRef[] = t.chain.map((a) => ({ pid: a.pid, command: clip(a.command, 300) }));
      const { source } = spawner(ancestry);
      const unit = !source || isInitLike(source) ? input.unitOf(pid) : null;
      const env = envOf(pid);
      strays.push({
        pid,
        command: clip(t.p.command, 1000),
        startedAt: t.p.startedAtMs > 0 ? new Date(t.p.startedAtMs).toISOString() : null,
        ancestry,
        verdict: spawnVerdict({ ancestry, env, home: input.home, unit, platform: input.platform }),
        reason: t.reason,
        key: `${pid}:${t.p.startTime}`,
        startTime: t.p.startTime,
        pgid: t.p.pgid,
        unit,
      });
    }
    out.set(id, strays);
  }
  return out;
}
