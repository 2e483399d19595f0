// Reconnect delays: quick at first so a daemon restart is barely noticed, then easing off so a
// stopped daemon is not hammered. Jitter keeps many open tabs from retrying in lockstep.
const FIRST_MS = 500;
const MAX_MS = 10_000;

export function nextRetryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_MS, FIRST_MS * 2 ** Math.min(failures, 10));
  return Math.round(base * (0.8 + random() * 0.4));
}
