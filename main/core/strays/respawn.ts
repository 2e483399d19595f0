// Tells a stray that is simply there from one that keeps coming back: new copies after each stop,
// or new copies scan after scan. Then it names the source, because ending copies is pointless
// while that cron job or loop keeps making them.
//
// Copies are grouped by what spawned them (the nearest ancestor that is not a pass-through like
// `sh -c`; for orphans, their command line), and a verdict is given per group, to the processes
// (pid + start time) of that group only. So a copy a person starts by hand later, from another
// shell, is never called "respawning" because a loop that is gone kept starting copies before.
import type { ProcessRef } from '../../contract/status.js';
import { isInitLike, spawner } from './verdict.js';

/** One stray as seen in one scan. */
export interface Sighting {
  /** `pid:startTime`: one process for its whole life, never a later one with the same pid. */
  key: string;
  /** Parent first, up to init. */
  ancestry: readonly ProcessRef[];
  /** Its command line: tells orphans (whose spawner is gone) apart. */
  command?: string;
}

export interface Respawn {
  /** What keeps starting the copies, or null when their parents are gone (each copy was orphaned). */
  source: ProcessRef | null;
  /** `pid:startTime` of the strays of this scan that are copies from this source. */
  keys: ReadonlySet<string>;
}

interface Group {
  /** key → when it was last seen. */
  seen: Map<string, number>;
  /** Scans that found a copy not seen before, after copies had already been seen or stopped. */
  arrivals: number[];
  stops: number[];
  /** A copy arrived after copies were stopped. */
  cameBackAfterStop: boolean;
  source: ProcessRef | null;
}

/** The group a copy belongs to: its spawner (pid and command), or for an orphan its own command. */
export function lineageOf(s: Sighting): { key: string; source: ProcessRef | null } {
  const { source } = spawner(s.ancestry);
  if (source && !isInitLike(source)) return { key: `p:${source.pid}:${source.command}`, source };
  return { key: `o:${s.command ?? ''}`, source: null };
}

export class RespawnTracker {
  /** service id → lineage key → group. */
  private readonly groups = new Map<string, Map<string, Group>>();

  /** Copies and stops older than `windowMs` are forgotten, so old history never accuses anyone. */
  constructor(private readonly windowMs = 10 * 60_000) {}

  private group(id: string, lineage: { key: string; source: ProcessRef | null }): Group {
    let byKey = this.groups.get(id);
    if (!byKey) this.groups.set(id, (byKey = new Map()));
    let g = byKey.get(lineage.key);
    if (!g) byKey.set(lineage.key, (g = { seen: new Map(), arrivals: [], stops: [], cameBackAfterStop: false, source: lineage.source }));
    return g;
  }

  private prune(id: string, now: number): void {
    const since = now - this.windowMs;
    const byKey = this.groups.get(id);
    if (!byKey) return;
    for (const [key, g] of byKey) {
      for (const [k, at] of g.seen) if (at < since) g.seen.delete(k);
      g.arrivals = g.arrivals.filter((t) => t >= since);
      g.stops = g.stops.filter((t) => t >= since);
      if (g.stops.length === 0) g.cameBackAfterStop = false;
      if (g.seen.size === 0 && g.stops.length === 0) byKey.delete(key);
    }
  }

  /** Records the strays of `id` found by one scan; returns each source that keeps making new copies. */
  observe(id: string, strays: readonly Sighting[], now: number): Respawn[] {
    this.prune(id, now);
    const current = new Map<Group, string[]>();
    for (const s of strays) {
      const g = this.group(id, lineageOf(s));
      current.set(g, [...(current.get(g) ?? []), s.key]);
    }
    const out: Respawn[] = [];
    for (const [g, keys] of current) {
      const fresh = keys.filter((k) => !g.seen.has(k));
      if (fresh.length > 0 && (g.seen.size > 0 || g.stops.length > 0)) {
        g.arrivals.push(now);
        if (g.stops.length > 0) g.cameBackAfterStop = true;
      }
      for (const k of keys) g.seen.set(k, now);
      // Two scans with newcomers after the first sighting: the count keeps growing by itself.
      if (g.cameBackAfterStop || g.arrivals.length >= 2) out.push({ source: g.source, keys: new Set(keys) });
    }
    return out;
  }

  /** The strays `keys` of `id` were ended now. */
  stopped(id: string, stopped: readonly Sighting[], now: number): void {
    for (const s of stopped) {
      const g = this.group(id, lineageOf(s));
      if (g.stops.at(-1) !== now) g.stops.push(now);
      g.seen.set(s.key, now);
    }
  }

  /** Drops what is known of services no longer configured. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.groups.keys()) if (!ids.has(id)) this.groups.delete(id);
  }
}
