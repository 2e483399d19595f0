// Human output: the status table (colour only on a TTY, and never colour alone), durations, sizes.
// Colour follows the field's habits: off into a pipe, with NO_COLOR set (no-color.org), with
// --no-color, or on a dumb terminal.
import type { ServiceStatus, Status } from '../contract/status.js';

const colours: Record<Status, number> = {
  online: 32,
  starting: 33,
  unhealthy: 31,
  stopping: 33,
  offline: 90,
  backoff: 33,
  failed: 31,
  completed: 36,
};

/** Whether to colour output to `stream`, given the environment and the --no-color flag. */
export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function paint(text: string, code: number, tty: boolean): string {
  return tty ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export function formatUptime(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}M`;
  return `${(n / 1024 ** 3).toFixed(2)}G`;
}

export function table(rows: string[][], widthsFrom: string[][] = rows): string {
  const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of widthsFrom) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(c))));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visible(c)))).join('  ').trimEnd())
    .join('\n');
}

/**
 * When a scheduled oneshot runs next, in one word: the local time today (`14:05:00`), else the
 * local date and time (`2026-12-01T14:05`); `-` when nothing is scheduled.
 */
export function formatNextRun(iso: string | null, now: Date = new Date()): string {
  if (!iso) return '-';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '-';
  const p = (n: number): string => String(n).padStart(2, '0');
  const time = `${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${time.slice(0, 5)}`;
}

export function statusTable(services: ServiceStatus[], tty: boolean, now: Date = new Date()): string {
  if (services.length === 0) return 'no services configured';
  const head = ['ID', 'STATUS', 'HEALTH', 'PID', 'PORT', 'UPTIME', 'RESTARTS', 'CPU', 'MEM', 'NEXT RUN', 'LAST ERROR'];
  const rows = services.map((s) => [
    s.id,
    s.status,
    // One word per cell (all but the last), so `awk '{print $3}'` reads the health.
    s.health === 'none' ? '-' : s.health + (s.statusCode !== null ? `(${s.statusCode})` : ''),
    s.pid === null ? '-' : String(s.pid),
    s.port === null ? '-' : String(s.port),
    formatUptime(s.uptimeMs),
    String(s.restarts),
    s.cpu === null ? '-' : `${s.cpu.toFixed(1)}%`,
    formatBytes(s.memoryBytes),
    formatNextRun(s.nextRunAt, now),
    [s.strays.length > 0 ? `${s.strays.length} stray${s.strays.length === 1 ? '' : 's'}` : '', s.lastError ?? ''].filter((x) => x !== '').join('; '),
  ]);
  const all = [head, ...rows];
  const painted = all.map((r, i) => {
    if (i === 0) return r.map((c) => paint(c, 1, tty));
    const s = services[i - 1] as ServiceStatus;
    return r.map((c, j) => (j === 1 ? paint(c, colours[s.status], tty) : c));
  });
  return table(painted, all);
}
