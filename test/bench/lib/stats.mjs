// Small statistics for the bench: percentiles by nearest rank, and number formatting.

/** The p-th percentile (0–100) of `values` by nearest rank; NaN when empty. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  return percentile(values, 50);
}

/** `x` with `digits` decimals, or "—" for NaN/undefined. */
export function fmt(x, digits = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
}

/** "1.23×" for a ratio, "—" when it cannot be formed. */
export function ratio(value, floor, digits = 2) {
  return Number.isFinite(value) && Number.isFinite(floor) && floor > 0 ? `${(value / floor).toFixed(digits)}×` : '—';
}
