// Numbers and facts in the words a person reads at a glance.
import type { LastExit, ServiceStatus } from '../../main/contract/status.js';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${h % 24}h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatCpu(percent: number): string {
  return `${percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, { hour12: false });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { hour12: false });
}

export function describeExit(exit: LastExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code === 0) return 'exited normally (code 0)';
  return `exited with code ${exit.code ?? 'unknown'}`;
}

/** The one line under a service that says what went wrong, or why nothing is happening. */
export function describeProblem(s: ServiceStatus): { tone: 'error' | 'muted'; text: string } | null {
  if (s.lastError) return { tone: s.status === 'online' ? 'muted' : 'error', text: s.lastError };
  if (s.lastExit && s.lastExit.code !== 0 && s.status !== 'online' && s.status !== 'starting') {
    return { tone: 'error', text: `Last run ${describeExit(s.lastExit)} at ${formatTime(s.lastExit.at)}` };
  }
  if (s.state === 'stopped' && s.pid === null && s.lastExit === null) {
    if (s.dependsOn.length > 0 && s.autostart) return { tone: 'muted', text: `Not started yet — waits for ${s.dependsOn.join(', ')}` };
    return { tone: 'muted', text: s.autostart ? 'Not started yet' : 'Not started yet — autostart is off' };
  }
  return null;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatFromNow(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return iso;
  return ms <= 1000 ? 'now' : `in ${formatDuration(ms)}`;
}
