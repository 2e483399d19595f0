// Pure restart decisions (SPEC §1 restart, §6 "Counting restarts"). No timers, no processes:
// the service feeds in what happened and gets back what to do, so every rule is unit-testable.
import type { RestartConfig } from '../../contract/config.js';

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  uptimeMs: number;
  /** The supervisor itself asked for this exit (stop/restart/unhealthy restart). */
  requested: boolean;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number }
  | { action: 'stop' }
  | { action: 'fail'; reason: string };

/** Mutable counters of one service, owned by the service and passed in. */
export interface RestartHistory {
  /** Consecutive runs that failed before min_uptime (drives the doubling). */
  consecutive: number;
  /** When each automatic restart was decided, for the window limit. */
  restartTimes: number[];
}

export function newHistory(): RestartHistory {
  return { consecutive: 0, restartTimes: [] };
}

export function exitWasFailure(exit: Pick<ExitFacts, 'code' | 'signal'>): boolean {
  return exit.signal !== null || (exit.code !== null && exit.code !== 0);
}

export function wantsRestart(policy: RestartConfig['policy'], exit: ExitFacts): boolean {
  if (exit.requested) return false;
  if (policy === 'always') return true;
  if (policy === 'on-failure') return exitWasFailure(exit);
  return false;
}

/** The delay before the next spawn: delay doubled per consecutive failed run, capped. */
export function backoffDelay(cfg: RestartConfig, consecutive: number): number {
  if (cfg.delayMs <= 0) return 0;
  const exp = Math.max(0, consecutive - 1);
  // 2^exp overflows to Infinity long before it matters; the cap keeps it finite.
  return Math.min(cfg.maxDelayMs, cfg.delayMs * 2 ** Math.min(exp, 40));
}

/** Restarts decided inside the window ending at `now`. */
export function restartsInWindow(history: RestartHistory, cfg: RestartConfig, now: number): number {
  const since = now - cfg.windowMs;
  history.restartTimes = history.restartTimes.filter((t) => t > since);
  return history.restartTimes.length;
}

/**
 * Decide what follows an exit (or an unhealthy verdict, passed as a non-requested failure).
 * Records the restart in `history` when it decides to restart.
 */
export function decide(cfg: RestartConfig, history: RestartHistory, exit: ExitFacts, now: number): RestartDecision {
  if (!wantsRestart(cfg.policy, exit)) return { action: 'stop' };
  history.consecutive = exit.uptimeMs >= cfg.minUptimeMs ? 1 : history.consecutive + 1;
  const used = restartsInWindow(history, cfg, now);
  if (used >= cfg.maxRestarts) {
    return {
      action: 'fail',
      reason: `gave up after ${used} restart${used === 1 ? '' : 's'} in ${formatMs(cfg.windowMs)} (max_restarts ${cfg.maxRestarts})`,
    };
  }
  history.restartTimes.push(now);
  return { action: 'restart', delayMs: backoffDelay(cfg, history.consecutive) };
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = s / 60;
  if (m < 60) return `${Number.isInteger(m) ? m : m.toFixed(1)}m`;
  const h = m / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)}h`;
}
