// Durations as people write them in hypha.yaml: `500ms`, `10s`, `5m`, `1h`, compounds such as
// `1m30s`, or a plain number of seconds (YAML number or numeric string).

/** Timers in Node overflow past 2^31-1 ms and then fire at once, so longer durations are refused. */
export const MAX_DURATION_MS = 2_147_483_647;

/** One or more `<number><unit>` parts, or a bare number of seconds. Also used as the JSON Schema pattern. */
export const DURATION_PATTERN = '^\\s*(?:(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+|\\d+(?:\\.\\d+)?)\\s*$';

const DURATION_RE = new RegExp(DURATION_PATTERN);
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds (rounded), or null when `v` is not a duration. Does not apply MAX_DURATION_MS. */
export function parseDuration(v: unknown): number | null {
  if (typeof v === 'number') {
    return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : null;
  }
  if (typeof v !== 'string' || !DURATION_RE.test(v)) return null;
  const text = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  for (const m of text.matchAll(PART_RE)) total += Number(m[1]) * UNIT_MS[m[2]];
  return Number.isFinite(total) ? Math.round(total) : null;
}
