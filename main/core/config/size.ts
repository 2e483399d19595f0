// Sizes as people write them in hypha.yaml (`log.max_size: 10M`, `max_memory: 300M`): a number of
// bytes, or a number with K, M or G (powers of 1024, as PM2's max_memory_restart and logrotate
// read them), optionally followed by B or iB: `512K`, `10MB`, `1.5G`, `300MiB`.

export const SIZE_PATTERN = '^\\s*\\d+(?:\\.\\d+)?\\s*(?:[KkMmGg](?:i?[Bb])?|[Bb])?\\s*$';

const SIZE_RE = new RegExp(SIZE_PATTERN);
const UNIT: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes (rounded down), or null when `v` is not a size. */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v !== 'string' || !SIZE_RE.test(v)) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KkMmGgBb]?)/.exec(v) as RegExpExecArray;
  const bytes = Number(m[1]) * (UNIT[(m[2] as string).toLowerCase()] as number);
  return Number.isFinite(bytes) ? Math.floor(bytes) : null;
}

/** 412 MB, 3.5 KB: for messages (MB = 1024² bytes, as the config reads them). */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= size) {
      const n = bytes / size;
      return `${n >= 100 || Number.isInteger(n) ? Math.round(n) : n.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}
