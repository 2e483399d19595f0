// How a wrong value is quoted back to the user in a config error.

const MAX_TEXT = 40;

/** `"10 parsecs"`, `42`, `true`, `a list`, `a mapping`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') {
    const shown = v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
    return JSON.stringify(shown);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

/** The kind of value, for "expected X, got Y". */
export function describeKind(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `a string (${describeValue(v)})`;
  if (typeof v === 'number') return Number.isFinite(v) ? `a number (${v})` : `${v}`;
  if (typeof v === 'boolean') return `${v}`;
  return describeValue(v);
}
