// When `hypha start|stop|restart|run` may stop waiting (SPEC §6 "CLI waiting"): pure, so the rules
// can be proven without a daemon.
import type { ServiceStatus } from '../contract/status.js';

export type WaitAction = 'start' | 'stop' | 'restart' | 'run';
export type Verdict = 'done' | 'failed' | 'wait';

/**
 * How long a service without a probe must stay up before `start` calls it started (supervisord's
 * `startsecs`): a command the shell cannot find runs for a few milliseconds before it exits 127,
 * and must not be reported online.
 */
export const SETTLE_MS = 1000;

/**
 * Whether `now` is what `action` asked for, a clear failure, or worth another look. `before` is
 * the status seen just before the action was sent, so an old run is not taken for the new one.
 */
export function verdict(action: WaitAction, now: ServiceStatus, before: ServiceStatus | undefined): Verdict {
  if (action === 'stop') return now.state === 'stopped' || now.state === 'completed' || now.state === 'failed' ? 'done' : 'wait';
  if (now.state === 'failed') return 'failed';
  // The action was accepted before this poll, so a service found stopped has ended on its own.
  if (now.state === 'stopped') return 'failed';
  if (now.type === 'oneshot') {
    if (now.state !== 'completed') return 'wait';
    const sameRun = before?.state === 'completed' && before.lastExit?.at === now.lastExit?.at;
    return sameRun ? 'wait' : 'done';
  }
  if (now.state !== 'running') return 'wait';
  if (action === 'restart' && before?.pid != null && now.pid === before.pid) return 'wait';
  // Running and live, but its readiness probe has not passed yet (status `starting`): not up.
  if (now.status === 'starting') return 'wait';
  if (now.health === 'healthy') return 'done';
  return now.health === 'none' && (now.uptimeMs ?? 0) >= SETTLE_MS ? 'done' : 'wait';
}

/**
 * Running, live or without a probe, but its readiness has not passed yet (`readiness:` keeps the
 * status at `starting`); with health still unknown, `starting` says only that no probe has answered.
 */
export function awaitingReadiness(s: ServiceStatus): boolean {
  return s.state === 'running' && s.status === 'starting' && s.health !== 'unknown';
}

/** One line saying why a service did not get where it was asked to go. */
export function failureLine(s: ServiceStatus): string {
  const exit = s.lastExit ? (s.lastExit.signal ? `killed by ${s.lastExit.signal}` : `exit code ${s.lastExit.code}`) : null;
  const why = s.lastError ?? (s.state === 'stopped' && exit ? `ended on its own (${exit})` : null);
  return `${s.id}: ${s.state}${why ? ` — ${why}` : ''}`;
}
