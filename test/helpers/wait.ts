// Polling with a deadline: tests wait for a condition, never for a fixed time.

export interface WaitOptions {
  /** Give up after this long. Default 30 s (a shared 2-core machine at load 20 is slow). */
  timeoutMs?: number;
  /** Look again this often. Default 25 ms. */
  intervalMs?: number;
  /** Says what was awaited, for the error on timeout. */
  message?: string;
}

/**
 * Calls `fn` until it returns a truthy value, and resolves with that value. A throw counts as
 * "not yet"; on timeout the error carries `message` and the last thrown error, if any.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.message ?? 'condition'}${cause}`);
}
