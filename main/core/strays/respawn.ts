// Tells a stray that is simply there from one that keeps coming back: new copies after each stop,
// or new copies scan after scan. Then it names the source, the nearest ancestor all the copies
// share, because ending copies is pointless while that cron job or loop keeps making them.
import type { ProcessRef } from '../../contract/status.js';
import { spawner } from './verdict.js';

/** One stray as seen in one scan. */
export interface Sighting {
  /** `pid:startTime`: one process for its whole life, never a later one with the same pid. */
  key: string;
  /** Parent first, up to init. */
  ancestry: readonly ProcessRef[];
}

export interface Respawn {
  /** The nearest ancestor every copy shares, or null when that is only init (their parents are gone). */
  source: ProcessRef | null;
}

interface History {
  /** key → when it was last seen, and its parent chain. */
  seen: Map<string, { lastSeen: number; ancestry: readonly ProcessRef[] }>;
  /** Scans that found a copy not seen before, after copies had already been seen or stopped. */
  arrivals: number[];
  stops: number[];
  /** A copy arrived after copies were stopped. */
  cameBackAfterStop: boolean;
}

export class RespawnTracker {
  private readonly histories = new Map<string, History>();

  /** Copies and stops older than `windowMs` are forgotten, so old history never accuses anyone. */
  constructor(private readonly windowMs = 10 * 60_000) {}

  private history(id: string): History {
    let h = this.histories.get(id);
    if (!h) {
      h = { seen: new Map(), arrivals: [], stops: [], cameBackAfterStop: false };
      this.histories.set(id, h);
    }
    return h;
  }

  private prune(h: History, now: number): void {
    const since = now - this.windowMs;
    for (const [key, s] of h.seen) if (s.lastSeen < since) h.seen.delete(key);
    h.arrivals = h.arrivals.filter((t) => t >= since);
    h.stops = h.stops.filter((t) => t >= since);
    if (h.stops.length === 0) h.cameBackAfterStop = false;
  }

  /** Records the strays of `id` found by one scan; returns the respawn, if new copies keep appearing. */
  observe(id: string, strays: readonly Sighting[], now: number): Respawn | null {
    const h = this.history(id);
    this.prune(h, now);
    const fresh = strays.filter((s) => !h.seen.has(s.key));
    if (fresh.length > 0 && (h.seen.size > 0 || h.stops.length > 0)) {
      h.arrivals.push(now);
      if (h.stops.length > 0) h.cameBackAfterStop = true;
    }
    for (const s of strays) h.seen.set(s.key, { lastSeen: now, ancestry: s.ancestry });
    if (strays.length === 0) return null;
    // Two scans with newcomers after the first sighting: the count keeps growing by itself.
    if (!h.cameBackAfterStop && h.arrivals.length < 2) return null;
    return { source: commonAncestor([...h.seen.values()].map((s) => s.ancestry)) };
  }

  /** The strays `keys` of `id` were ended now. */
  stopped(id: string, keys: readonly string[], now: number, ancestries: readonly (readonly ProcessRef[])[] = []): void {
    const h = this.history(id);
    h.stops.push(now);
    keys.forEach((key, i) => h.seen.set(key, { lastSeen: now, ancestry: ancestries[i] ?? h.seen.get(key)?.ancestry ?? [] }));
  }

  /** Drops what is known of services no longer configured. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.histories.keys()) if (!ids.has(id)) this.histories.delete(id);
  }
}

/**
 * The nearest ancestor present in every chain (chains are parent first) that is not a mere
 * pass-through like `sh -c`, or null if that is only init.
 */
export function commonAncestor(chains: readonly (readonly ProcessRef[])[]): ProcessRef | null {
  const [first, ...rest] = chains;
  if (!first) return null;
  const others = rest.map((c) => new Set(c.map((r) => r.pid)));
  const at = first.findIndex((r) => others.every((s) => s.has(r.pid)));
  if (at < 0) return null;
  const source = spawner(first.slice(at)).source;
  return source && source.pid !== 1 ? source : null;
}
