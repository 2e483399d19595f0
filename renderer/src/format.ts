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

/**
 * `dependency api failed (not started: dependency web failed (port 9001 held by …))` nests one
 * reason per hop. Unwound, it is the chain of services it went through and the one root cause,
 * which a person should read once, not three times in brackets.
 */
export function unwindDependencyFailure(error: string): { chain: string[]; root: string | null } | null {
  const chain: string[] = [];
  let rest = error;
  for (;;) {
    const m = /^(?:not started: )?dependency ([a-z0-9][a-z0-9_-]*) (failed|is not configured)(?: \((.*)\))?$/s.exec(rest);
    if (!m) break;
    chain.push(m[1] as string);
    if (m[2] === 'is not configured') return { chain, root: `${m[1]} is not configured` };
    if (m[3] === undefined) return { chain, root: null };
    rest = m[3];
  }
  return chain.length === 0 ? null : { chain, root: rest };
}

export type Problem =
  /** Something went wrong with this service: red. */
  | { kind: 'error'; tone: 'error'; text: string }
  /** It could not start because a dependency failed: the root cause once, the chain as links. */
  | { kind: 'dependency'; tone: 'error'; chain: string[]; root: string | null }
  /** It waits for a dependency: a normal state, not an error. */
  | { kind: 'waiting'; tone: 'muted'; text: string; on: string | null }
  /** It was stopped (or exited cleanly) and says how its last run ended: grey. */
  | { kind: 'exit'; tone: 'muted'; text: string }
  /** An old error from before a run that is fine now, or why nothing is happening: grey. */
  | { kind: 'note'; tone: 'muted'; text: string };

/** The one line under a service that says what went wrong, or why nothing is happening. */
export function describeProblem(s: ServiceStatus): Problem | null {
  if (s.lastError) {
    const waiting = /^waiting for ([a-z0-9][a-z0-9_-]*)\b/.exec(s.lastError);
    if (waiting) return { kind: 'waiting', tone: 'muted', text: s.lastError, on: waiting[1] ?? null };
    if (s.status === 'online' || s.status === 'starting') return { kind: 'note', tone: 'muted', text: `Earlier: ${s.lastError}` };
    const unwound = unwindDependencyFailure(s.lastError);
    if (unwound) return { kind: 'dependency', tone: 'error', ...unwound };
    return { kind: 'error', tone: 'error', text: s.lastError };
  }
  if (s.lastExit && s.status !== 'online' && s.status !== 'starting' && s.status !== 'completed') {
    const when = `${describeExit(s.lastExit)} at ${formatTime(s.lastExit.at)}`;
    // No error kept means the run ended as asked (a stop, Stop all) or cleanly: not an error.
    if (s.state === 'stopped' || s.state === 'stopping') return { kind: 'exit', tone: 'muted', text: `Stopped · last run ${when}` };
    if (s.lastExit.code !== 0 || s.lastExit.signal) return { kind: 'error', tone: 'error', text: `Last run ${when}` };
  }
  if (s.state === 'stopped' && s.pid === null && s.lastExit === null) {
    if (s.dependsOn.length > 0 && s.autostart) return { kind: 'note', tone: 'muted', text: `Not started yet — waits for ${s.dependsOn.join(', ')}` };
    return { kind: 'note', tone: 'muted', text: s.autostart ? 'Not started yet' : 'Not started yet — autostart is off' };
  }
  return null;
}

/** Memory and CPU are facts of a live, measured run; a run still starting has none yet. */
export function measured(s: Pick<ServiceStatus, 'state' | 'pid'>, value: number | null): value is number {
  return s.state === 'running' && s.pid !== null && value !== null;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatFromNow(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return iso;
  return ms <= 1000 ? 'now' : `in ${formatDuration(ms)}`;
}
