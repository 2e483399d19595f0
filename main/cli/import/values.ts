// Small conversions every importer needs: service ids that pass Hypha's id rule, durations from
// seconds, milliseconds or Go-style strings ("1m30s") into hypha.yaml's form, signal numbers and
// short names into SIGNAMES, and env values into strings.
import { constants } from 'node:os';
import { STOP_SIGNALS } from '../../core/config/schema.js';

/** A valid, unique id for `name` (lowercase, [a-z0-9_-], max 63, not "all"). */
export function makeId(name: string, taken: Set<string>): string {
  let id = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63);
  if (id === '') id = 'service';
  if (id === 'all') id = 'all-1';
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id.slice(0, 60)}-${n}`;
  taken.add(unique);
  return unique;
}

/** Milliseconds → the shortest exact hypha.yaml duration ("90s", "1m", "250ms"). */
export function durationFromMs(ms: number): string {
  const whole = Math.round(ms);
  if (whole > 0 && whole % 3_600_000 === 0) return `${whole / 3_600_000}h`;
  if (whole > 0 && whole % 60_000 === 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1m30s", "500ms", "10s" (compose, Go) → ms; a bare number is seconds. Null when unreadable. */
export function msFromGoDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v * 1000 : null;
  if (typeof v !== 'string') return null;
  const text = v.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (GO_UNITS[m[2] as string] ?? 0);
  return total;
}

/** PM2-style milliseconds (a number, or a string like "10s" / "1m" / "1000"). */
export function msFromPm2(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return msFromGoDuration(v);
}

const SIGNAL_NAMES = new Set<string>(STOP_SIGNALS);

/** 15, "TERM", "SIGTERM", "term" → "SIGTERM" when Hypha can stop with it, else null. */
export function signalName(v: unknown): string | null {
  if (typeof v === 'number') {
    const entry = Object.entries(constants.signals).find(([, n]) => n === v);
    return entry && SIGNAL_NAMES.has(entry[0]) ? entry[0] : null;
  }
  if (typeof v !== 'string') return null;
  const upper = v.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return SIGNAL_NAMES.has(name) ? name : null;
}

/** Env values as strings; objects become JSON (PM2 allows them and passes JSON). */
export function envString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

/** "KEY=VALUE" list items (process-compose, compose lists) → a map; a bare KEY takes "". */
export function envFromList(list: readonly unknown[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of list) {
    const s = String(item);
    const eq = s.indexOf('=');
    if (eq < 0) env[s] = process.env[s] ?? '';
    else env[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return env;
}

/** "300M", "1G", 1048576 → the same amount in hypha.yaml's byte-size form. */
export function memorySize(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return `${Math.round(v / 1024 / 1024)}M`;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG])B?\s*$/i.exec(v);
  return m ? `${m[1]}${(m[2] as string).toUpperCase()}` : null;
}
