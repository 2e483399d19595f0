// Pure views over the store's service map: the summary line and the filtered list.
import type { ServiceStatus, Status } from '../../../main/contract/status.js';

/**
 * What a row says: the API's status, except that a oneshot that is running says `running`. A
 * job at work is not a service that is "online", and must not be counted as one.
 */
export type ShownStatus = Status | 'running';
export type StatusFilter = ShownStatus | 'all' | 'problems';

export interface Filter {
  text: string;
  status: StatusFilter;
}

export interface Summary {
  total: number;
  /** Daemons: the services that can be online. */
  daemons: number;
  online: number;
  counts: Record<ShownStatus, number>;
}

export const STATUS_ORDER: ShownStatus[] = ['online', 'starting', 'running', 'unhealthy', 'stopping', 'backoff', 'failed', 'offline', 'completed'];

const PROBLEMS: ReadonlySet<ShownStatus> = new Set<ShownStatus>(['unhealthy', 'backoff', 'failed']);

export function shownStatus(s: Pick<ServiceStatus, 'type' | 'status'>): ShownStatus {
  return s.type === 'oneshot' && s.status === 'online' ? 'running' : s.status;
}

export function summarize(statuses: Iterable<ServiceStatus>): Summary {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<ShownStatus, number>;
  let total = 0;
  let daemons = 0;
  for (const s of statuses) {
    total++;
    if (s.type === 'daemon') daemons++;
    counts[shownStatus(s)]++;
  }
  return { total, daemons, online: counts.online, counts };
}

export function summaryLine(summary: Summary): string {
  if (summary.total === 0) return 'No services';
  if (summary.daemons === 0) return `${summary.total} ${summary.total === 1 ? 'oneshot' : 'oneshots'}`;
  return `${summary.online} of ${summary.daemons} online`;
}

export function matchesFilter(status: ServiceStatus, filter: Filter): boolean {
  const shown = shownStatus(status);
  if (filter.status === 'problems' ? !PROBLEMS.has(shown) : filter.status !== 'all' && shown !== filter.status) {
    return false;
  }
  const text = filter.text.trim().toLowerCase();
  return text === '' || status.id.toLowerCase().includes(text) || status.name.toLowerCase().includes(text);
}

export function filterIds(order: readonly string[], byId: Readonly<Record<string, { status: ServiceStatus }>>, filter: Filter): string[] {
  const out: string[] = [];
  for (const id of order) {
    const entry = byId[id];
    if (entry && matchesFilter(entry.status, filter)) out.push(id);
  }
  return out;
}
