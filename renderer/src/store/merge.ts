// Reconciling what was fetched with what streamed in meanwhile, and spotting real changes.
import type { LogLine, ServiceStatus, SupervisorEvent } from '../../../main/contract/status.js';

export const LOG_LINES_KEPT = 5_000;
export const EVENTS_KEPT = 500;

/** Equal but for uptime, which the row ticks on by itself. */
export function sameFacts(a: ServiceStatus, b: ServiceStatus): boolean {
  for (const key of Object.keys(b) as (keyof ServiceStatus)[]) {
    if (key === 'uptimeMs') continue;
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return (a.uptimeMs === null) === (b.uptimeMs === null);
}

/**
 * The fetched history and the lines that streamed in while it was on its way overlap; keep
 * the fetched ones and only the streamed lines it could not have contained.
 */
export function mergeLines(fetched: LogLine[], streamed: LogLine[]): LogLine[] {
  const last = fetched.at(-1);
  if (!last) return streamed.slice(-LOG_LINES_KEPT);
  const sameInstant = new Set(fetched.filter((l) => l.ts === last.ts).map((l) => `${l.stream}\u0000${l.text}`));
  const fresh = streamed.filter((l) => l.ts > last.ts || (l.ts === last.ts && !sameInstant.has(`${l.stream}\u0000${l.text}`)));
  return fetched.concat(fresh).slice(-LOG_LINES_KEPT);
}

export function mergeEvents(fetched: SupervisorEvent[], streamed: SupervisorEvent[]): SupervisorEvent[] {
  const last = fetched.at(-1);
  const fresh = last ? streamed.filter((e) => e.ts > last.ts) : streamed;
  return fetched.concat(fresh).slice(-EVENTS_KEPT);
}
