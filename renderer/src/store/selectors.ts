// Pure views over the store's service map: the summary line and the filtered list.
import type { ServiceStatus, Status } from '../../../main/contract/status.js';

export type StatusFilter = Status | 'all' | 'problems';

export interface Filter {
  text: string;
  status: StatusFilter;
}

export interface Summary {
  total: number;
  online: number;
  counts: Record<Status, number>;
}

export const STATUS_ORDER: Status[] = ['online', 'starting', 'unhealthy', 'stopping', 'backoff', 'failed', 'offline', 'completed'];

const PROBLEMS: ReadonlySet<Status> = new Set<Status>(['unhealthy', 'backoff', 'failed']);

export function summarize(statuses: Iterable<ServiceStatus>): Summary {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<Status, number>;
  let total = 0;
  for (const s of statuses) {
    total++;
    counts[s.status]++;
  }
  return { total, online: counts.online, counts };
}

export function summaryLine(summary: Summary): string {
  if (summary.total === 0) return 'No services';
  return `${summary.online} of ${summary.total} online`;
}

export function matchesFilter(status: ServiceStatus, filter: Filter): boolean {
  if (filter.status === 'problems' ? !PROBLEMS.has(status.status) : filter.status !== 'all' && status.status !== filter.status) {
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
