// One service's state machine as data (SPEC §2, §6): phases × events → next memory + effects.
// Pure: no clock, no processes, no I/O. `step` gets what happened and the time it happened at,
// and returns what the service is now and what the interpreter (service.ts) must do about it.
// The run loop reads as a sentence:
//   start → wait for dependencies → keep the restart spacing → check port/strays → spawn →
//   probe → exit → restartable? → back off → wait for dependencies again → spawn … or give up.
// Every rule lives in the table at the bottom; a (phase, event) pair it does not list is ignored
// on purpose (a request merged into one in progress, or a late answer to a superseded question).
import type { HealthConfig, ServiceConfig } from '../../contract/config.js';
import type { EventKind, Health, State } from '../../contract/status.js';
import { backoffDelay, decide, formatMs, newHistory, wantsRestart, type RestartDecision, type RestartHistory } from './restart-policy.js';

/** Finer than the public State: `starting` has three steps. */
export type Phase =
  | 'stopped'
  | 'waiting' // starting: dependencies not ready yet
  | 'spacing' // starting: the previous spawn was less than restart.delay ago
  | 'preparing' // starting: ending strays, checking the port, spawning
  | 'running'
  | 'stopping'
  | 'backoff'
  | 'failed'
  | 'completed';

export const stateOf: Record<Phase, State> = {
  stopped: 'stopped',
  waiting: 'starting',
  spacing: 'starting',
  preparing: 'starting',
  running: 'running',
  stopping: 'stopping',
  backoff: 'backoff',
  failed: 'failed',
  completed: 'completed',
};

export interface ExitFacts {
  code: number | null;
  signal: string | null;
}

/** Everything the machine remembers about one service. */
export interface Memory {
  phase: Phase;
  health: Health;
  statusCode: number | null;
  /** Automatic restarts since the last person's start (SPEC §6). */
  restarts: number;
  history: RestartHistory;
  /** Oneshot retries used in this series of runs. */
  attempt: number;
  /** A start or restart that arrived while stopping: start again once stopped. */
  pendingStart: boolean;
  /** An unhealthy run being stopped: what to do once it is down. */
  afterStop: RestartDecision | null;
  /** Why that automatic restart happens (unhealthy, or a limit such as max_memory), for its event. */
  restartWhy: string | null;
  lastSpawnAt: number | null;
  runStartedAt: number | null;
  /** Consecutive failed probes counted (outside start_period). */
  failures: number;
  /** A probe of this run has succeeded (start_interval spacing ends). */
  probeSucceeded: boolean;
  timedOut: boolean;
  lastError: string | null;
  lastExit: (ExitFacts & { at: number }) | null;
  /** How the last run ended, when it ended on its own and will not be restarted. */
  endedForGood: string | null;
  /** The last run of this series ran and exited (rather than failing to start). */
  ranToEnd: boolean;
}

export function initialMemory(hasHealth: boolean): Memory {
  return {
    phase: 'stopped',
    health: hasHealth ? 'unknown' : 'none',
    statusCode: null,
    restarts: 0,
    history: newHistory(),
    attempt: 0,
    pendingStart: false,
    afterStop: null,
    restartWhy: null,
    lastSpawnAt: null,
    runStartedAt: null,
    failures: 0,
    probeSucceeded: false,
    timedOut: false,
    lastError: null,
    lastExit: null,
    endedForGood: null,
    ranToEnd: false,
  };
}

export type Event =
  | { type: 'start'; by: 'person' | 'schedule' }
  | { type: 'restart' }
  /** A dependency marked `restart: true` started a new run. */
  | { type: 'dependencyRestarted'; id: string }
  | { type: 'stop' }
  | { type: 'deps'; verdict: { waiting: string; failed: boolean } | null }
  /** The one timer (spacing or backoff) went off. */
  | { type: 'timer' }
  | { type: 'prepared'; taken: string | null }
  | { type: 'spawned'; pid: number }
  | { type: 'spawnFailed'; error: string }
  | { type: 'exited'; exit: ExitFacts; notFound: string | null }
  /** A stop the supervisor asked for is complete (the leader exited). */
  | { type: 'halted'; escalated: boolean }
  | { type: 'probed'; ok: boolean; detail: string; statusCode: number | null }
  /** A limit outside the run was crossed (max_memory): restart through the policy, counted. */
  | { type: 'limit'; reason: string; kind: EventKind }
  | { type: 'timeout' };

export type Effect =
  | { do: 'startDependencies' }
  | { do: 'checkDependencies' }
  /** Arm the one timer; 0 ms means the next turn of the event loop, never now. */
  | { do: 'timer'; ms: number }
  | { do: 'cancelTimer' }
  | { do: 'prepare' }
  | { do: 'spawn' }
  | { do: 'kill'; signal: NodeJS.Signals; timeoutMs: number }
  /** Oneshot timeout: SIGKILL the tree; the exit arrives as an unrequested one. */
  | { do: 'forceKill' }
  | { do: 'probes'; on: boolean }
  | { do: 'runTimeout'; ms: number | null }
  | { do: 'reap' }
  | { do: 'emit'; kind: EventKind; message: string }
  | { do: 'log'; message: string }
  | { do: 'runBegan' }
  | { do: 'runEnded'; exit: ExitFacts | null; error: string | null }
  | { do: 'spawnedNew' };

export interface Step {
  next: Memory;
  effects: Effect[];
}

/** What the machine reads from the config (pure data, so tests can build it by hand). */
export type Settings = Pick<ServiceConfig, 'type' | 'restart' | 'health' | 'stop' | 'retries' | 'timeoutMs' | 'successExitCodes'> & {
  hasDependencies: boolean;
  /** Port to check or strays to end before spawning (work that takes a turn of the loop). */
  needsPreparation: boolean;
};

export function settingsOf(c: ServiceConfig): Settings {
  return {
    type: c.type,
    restart: c.restart,
    health: c.health,
    stop: c.stop,
    retries: c.retries,
    timeoutMs: c.timeoutMs,
    successExitCodes: c.successExitCodes,
    hasDependencies: c.dependsOn.length > 0,
    needsPreparation: c.port !== null || c.strays === 'stop',
  };
}

export function describeExit(exit: ExitFacts): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

const WAITING = 'waiting for ';
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

type Handler<E extends Event['type']> = (m: Memory, e: Extract<Event, { type: E }>, s: Settings, now: number) => Step;
type Table = { [P in Phase]: { [E in Event['type']]?: Handler<E> } };

// ---- the steps the table is made of ----

const same = (m: Memory): Step => ({ next: m, effects: [] });

function fail(m: Memory, reason: string, kind: EventKind = 'failed', effects: Effect[] = []): Step {
  return { next: { ...m, phase: 'failed', lastError: reason, pendingStart: false, afterStop: null }, effects: [...effects, { do: 'emit', kind, message: reason }] };
}

/** A person's start (or a scheduled run): clear the past, then begin. */
function freshStart(m: Memory, s: Settings, now: number, by: 'person' | 'schedule'): Step {
  const cleared: Memory = {
    ...m,
    history: newHistory(),
    attempt: 0,
    restarts: by === 'person' ? 0 : m.restarts,
    lastError: null,
    endedForGood: null,
    ranToEnd: false,
    pendingStart: false,
    afterStop: null,
  };
  return begin(cleared, s, now, true);
}

/** starting: dependencies first (a person's start also starts them), then the spacing. */
function begin(m: Memory, s: Settings, now: number, startDependencies: boolean): Step {
  const fresh: Memory = { ...m, health: s.health ? 'unknown' : 'none', statusCode: null };
  if (s.hasDependencies) {
    const effects: Effect[] = startDependencies ? [{ do: 'startDependencies' }] : [];
    return { next: { ...fresh, phase: 'waiting' }, effects: [...effects, { do: 'checkDependencies' }] };
  }
  return space(fresh, s, now);
}

/** Nothing spawns sooner than restart.delay after the previous spawn (SPEC §4), whoever asks. */
function space(m: Memory, s: Settings, now: number): Step {
  const wait = m.lastSpawnAt === null ? 0 : m.lastSpawnAt + s.restart.delayMs - now;
  if (wait > 0) return { next: { ...m, phase: 'spacing' }, effects: [{ do: 'timer', ms: wait }] };
  return { next: { ...m, phase: 'preparing' }, effects: [{ do: s.needsPreparation ? 'prepare' : 'spawn' }] };
}

function backoff(m: Memory, delayMs: number, message: string): Step {
  return {
    next: { ...m, phase: 'backoff' },
    effects: [{ do: 'emit', kind: 'restarting', message }, { do: 'timer', ms: delayMs }],
  };
}

/** Cancel whatever starting or backoff was waiting for. */
function settleStopped(m: Memory): Step {
  const lastError = m.lastError?.startsWith(WAITING) ? null : m.lastError;
  return {
    next: { ...m, phase: 'stopped', lastError, pendingStart: false, afterStop: null },
    effects: [{ do: 'cancelTimer' }, { do: 'emit', kind: 'stopped', message: 'stopped' }],
  };
}

function beginStop(m: Memory, s: Settings, pendingStart: boolean, afterStop: RestartDecision | null = null): Step {
  const effects: Effect[] = [{ do: 'probes', on: false }, { do: 'kill', signal: s.stop.signal, timeoutMs: s.stop.timeoutMs }];
  return { next: { ...m, phase: 'stopping', pendingStart, afterStop }, effects };
}

function spawned(m: Memory, e: Extract<Event, { type: 'spawned' }>, s: Settings, now: number): Step {
  const next: Memory = {
    ...m,
    phase: 'running',
    lastSpawnAt: now,
    runStartedAt: now,
    failures: 0,
    probeSucceeded: false,
    timedOut: false,
    endedForGood: null,
    health: s.health ? 'unknown' : 'none',
    statusCode: null,
  };
  const effects: Effect[] = [{ do: 'emit', kind: 'started', message: `started (pid ${e.pid})` }, { do: 'spawnedNew' }];
  if (s.health) effects.push({ do: 'probes', on: true });
  if (s.type === 'oneshot') {
    effects.push({ do: 'runBegan' });
    if (s.timeoutMs !== null) effects.push({ do: 'runTimeout', ms: s.timeoutMs });
  }
  return { next, effects };
}

/** The run ended without being asked to: restart, complete, retry or give up. */
function exited(m: Memory, e: Extract<Event, { type: 'exited' }>, s: Settings, now: number): Step {
  const uptimeMs = now - (m.runStartedAt ?? now);
  const how = describeExit(e.exit);
  const base: Memory = {
    ...m,
    runStartedAt: null,
    lastExit: { ...e.exit, at: now },
    health: s.health ? 'unknown' : 'none',
    statusCode: null,
    ranToEnd: e.notFound === null,
  };
  const cleanup: Effect[] = [{ do: 'probes', on: false }, { do: 'runTimeout', ms: null }, { do: 'reap' }];
  if (e.notFound) {
    const ended: Effect[] = s.type === 'oneshot' ? [{ do: 'runEnded', exit: e.exit, error: e.notFound }] : [];
    return fail(base, e.notFound, 'failed', [...cleanup, ...ended, { do: 'emit', kind: 'exited', message: `${how} after ${formatMs(uptimeMs)}` }]);
  }
  if (s.type === 'oneshot') return oneshotExited(base, e.exit, s, uptimeMs, how, cleanup);
  const history = { consecutive: m.history.consecutive, restartTimes: [...m.history.restartTimes] };
  const d = decide(s.restart, history, { ...e.exit, uptimeMs, requested: false }, now);
  const told: Effect[] = [...cleanup, { do: 'emit', kind: 'exited', message: `${how} after ${formatMs(uptimeMs)}` }];
  const next: Memory = { ...base, history };
  if (d.action === 'restart') {
    const step = backoff({ ...next, restarts: m.restarts + 1 }, d.delayMs, `restarting in ${formatMs(d.delayMs)} (${how})`);
    return { next: step.next, effects: [...told, ...step.effects] };
  }
  if (d.action === 'fail') return fail(next, `${d.reason}; last: ${how}`, 'gave-up', told);
  const clean = e.exit.code === 0 && !e.exit.signal;
  return {
    next: { ...next, phase: 'stopped', lastError: clean ? null : how, endedForGood: `${how}, policy ${s.restart.policy}` },
    effects: told,
  };
}

function oneshotExited(m: Memory, exit: ExitFacts, s: Settings, uptimeMs: number, how: string, cleanup: Effect[]): Step {
  const succeeded = !m.timedOut && exit.signal === null && exit.code !== null && s.successExitCodes.includes(exit.code);
  if (succeeded) {
    return {
      next: { ...m, phase: 'completed', lastError: null },
      effects: [...cleanup, { do: 'runEnded', exit, error: null }, { do: 'emit', kind: 'completed', message: `completed in ${formatMs(uptimeMs)}` }],
    };
  }
  const why = m.timedOut ? `timed out after ${formatMs(s.timeoutMs ?? 0)}` : how;
  const told: Effect[] = [...cleanup, { do: 'runEnded', exit, error: why }, { do: 'emit', kind: 'exited', message: `run failed: ${why}` }];
  if (m.attempt < s.retries) {
    const attempt = m.attempt + 1;
    const consecutive = m.history.consecutive + 1;
    const delayMs = backoffDelay(s.restart, consecutive);
    const next: Memory = { ...m, attempt, restarts: m.restarts + 1, lastError: why, history: { ...m.history, consecutive } };
    const step = backoff(next, delayMs, `retry ${attempt} of ${s.retries} in ${formatMs(delayMs)} (${why})`);
    return { next: step.next, effects: [...told, ...step.effects] };
  }
  // The failed event says why; a "run failed: …" before it would say it twice.
  return fail(m, s.retries > 0 ? `${why} (after ${s.retries} retries)` : why, 'failed', [...cleanup, { do: 'runEnded', exit, error: why }]);
}

/** A stop we asked for is complete: settle, or go on with the restart it was part of. */
function halted(m: Memory, e: Extract<Event, { type: 'halted' }>, s: Settings, now: number): Step {
  const effects: Effect[] = e.escalated ? [{ do: 'log', message: `stop timed out after ${formatMs(s.stop.timeoutMs)}: sent SIGKILL` }] : [];
  const down: Memory = { ...m, runStartedAt: null, health: s.health ? 'unknown' : 'none', statusCode: null, afterStop: null };
  const next = m.afterStop;
  if (next?.action === 'restart' && !m.pendingStart) {
    const why = m.restartWhy ?? 'unhealthy';
    const step = backoff({ ...down, restarts: m.restarts + 1, restartWhy: null }, next.delayMs, `restarting in ${formatMs(next.delayMs)} (${why})`);
    return { next: step.next, effects: [...effects, ...step.effects] };
  }
  if (next?.action === 'fail' && !m.pendingStart) return fail(down, `${m.lastError ?? 'unhealthy'}; ${next.reason}`, 'gave-up', effects);
  const stopped: Step = { next: { ...down, phase: 'stopped' }, effects: [...effects, { do: 'emit', kind: 'stopped', message: 'stopped' }] };
  if (!m.pendingStart) return stopped;
  const again = freshStart(stopped.next, s, now, 'person');
  return { next: again.next, effects: [...stopped.effects, ...again.effects] };
}

function probed(m: Memory, e: Extract<Event, { type: 'probed' }>, s: Settings, now: number): Step {
  const h = s.health;
  if (!h) return same(m);
  const base: Memory = { ...m, statusCode: e.statusCode };
  if (e.ok) {
    const was = m.health;
    const next: Memory = { ...base, failures: 0, probeSucceeded: true, health: 'healthy' };
    if (was === 'healthy') return same(next);
    const recovered = was === 'unhealthy';
    return { next, effects: [{ do: 'emit', kind: recovered ? 'recovered' : 'healthy', message: recovered ? `recovered (${e.detail})` : `healthy (${e.detail})` }] };
  }
  const inStartPeriod = now - (m.runStartedAt ?? now) < graceMs(h);
  if (inStartPeriod && m.health !== 'healthy') return same(base);
  const failures = m.failures + 1;
  if (failures < h.retries || m.health === 'unhealthy') return same({ ...base, failures });
  const checks = plural(failures, 'check');
  const sick: Memory = { ...base, failures, health: 'unhealthy', lastError: `unhealthy: ${e.detail} after ${checks}` };
  const told: Effect[] = [{ do: 'emit', kind: 'unhealthy', message: `became unhealthy: ${e.detail} after ${checks}` }];
  if (!h.restartOnUnhealthy) return { next: sick, effects: told };
  // An unhealthy run is restarted through the same policy and counts against max_restarts.
  return restartThroughPolicy({ ...sick, restartWhy: 'unhealthy' }, told, s, now);
}

/** An automatic restart from outside the exit path (unhealthy, a limit): decided by the policy, counted. */
function restartThroughPolicy(m: Memory, told: Effect[], s: Settings, now: number): Step {
  const history = { consecutive: m.history.consecutive, restartTimes: [...m.history.restartTimes] };
  const d = decide(s.restart, history, { code: 1, signal: null, uptimeMs: now - (m.runStartedAt ?? now), requested: false }, now);
  if (d.action === 'stop') return { next: { ...m, restartWhy: null }, effects: told };
  const stop = beginStop({ ...m, history }, s, false, d);
  return { next: stop.next, effects: [...told, ...stop.effects] };
}

/**
 * max_memory and the like: the restart goes through the policy, with the reason as lastError. A
 * limit protects the machine, so a policy that restarts nothing (never) still ends the run: the
 * service fails saying why, like a program the kernel's OOM killer ended.
 */
function limitCrossed(m: Memory, e: Extract<Event, { type: 'limit' }>, s: Settings, now: number): Step {
  const restarted = `restarted: ${e.reason}`;
  if (wantsRestart(s.restart.policy, { code: 1, signal: null, uptimeMs: 0, requested: false })) {
    const told: Effect[] = [{ do: 'emit', kind: e.kind, message: restarted }];
    return restartThroughPolicy({ ...m, lastError: restarted, restartWhy: restarted }, told, s, now);
  }
  const stopped = `stopped: ${e.reason}`;
  const told: Effect[] = [{ do: 'emit', kind: e.kind, message: stopped }];
  const stop = beginStop({ ...m, lastError: stopped, restartWhy: null }, s, false, { action: 'fail', reason: `not restarted (restart policy ${s.restart.policy})` });
  return { next: stop.next, effects: [...told, ...stop.effects] };
}

function depsVerdict(m: Memory, e: Extract<Event, { type: 'deps' }>, s: Settings, now: number): Step {
  if (!e.verdict) return space({ ...m, lastError: m.lastError?.startsWith(WAITING) ? null : m.lastError }, s, now);
  if (e.verdict.failed) return fail(m, `not started: ${e.verdict.waiting}`);
  if (m.lastError === e.verdict.waiting) return same(m);
  return { next: { ...m, lastError: e.verdict.waiting }, effects: [{ do: 'emit', kind: 'waiting', message: e.verdict.waiting }] };
}

/**
 * Failures inside this time after a spawn do not count: start_period, or, without one, the first
 * interval when start_interval probes stand in for the one probe that interval would have made
 * (so quicker probing never means a quicker verdict of unhealthy).
 */
export function graceMs(h: HealthConfig): number {
  if (h.startPeriodMs > 0) return h.startPeriodMs;
  return h.startIntervalMs < h.intervalMs ? h.intervalMs : 0;
}

/** Probe spacing: start_interval until the first success or the end of the grace time, then interval. */
export function probeDelay(h: HealthConfig, m: Pick<Memory, 'probeSucceeded' | 'runStartedAt'>, now: number): number {
  const early = !m.probeSucceeded && now - (m.runStartedAt ?? now) < graceMs(h);
  return early ? Math.min(h.startIntervalMs, h.intervalMs) : h.intervalMs;
}

// ---- the table: for each phase, the events it answers ----

const startFromRest: Handler<'start'> = (m, e, s, now) => freshStart(m, s, now, e.by);
const restartFromRest: Handler<'restart'> = (m, _e, s, now) => freshStart(m, s, now, 'person');
const stopWhileStarting: Handler<'stop'> = (m) => settleStopped(m);

export const table: Table = {
  stopped: {
    start: startFromRest,
    restart: restartFromRest,
  },
  waiting: {
    deps: depsVerdict,
    stop: stopWhileStarting,
  },
  spacing: {
    timer: (m, _e, s, now) => ({ next: { ...m, phase: 'preparing' }, effects: [{ do: s.needsPreparation ? 'prepare' : 'spawn' }] }),
    stop: stopWhileStarting,
  },
  preparing: {
    prepared: (m, e) => (e.taken ? fail(m, e.taken) : { next: m, effects: [{ do: 'spawn' }] }),
    spawned,
    spawnFailed: (m, e) => fail(m, e.error),
    stop: stopWhileStarting,
  },
  running: {
    restart: (m, _e, s) => beginStop(m, s, true),
    dependencyRestarted: (m, e, s) => {
      const stop = beginStop(m, s, true);
      return { next: stop.next, effects: [{ do: 'log', message: `restarting: dependency ${e.id} restarted` }, ...stop.effects] };
    },
    stop: (m, _e, s) => beginStop(m, s, false),
    exited,
    probed,
    limit: limitCrossed,
    timeout: (m) => ({ next: { ...m, timedOut: true }, effects: [{ do: 'forceKill' }] }),
  },
  stopping: {
    start: (m) => ({ next: { ...m, pendingStart: true }, effects: [] }),
    restart: (m) => ({ next: { ...m, pendingStart: true }, effects: [] }),
    stop: (m) => ({ next: { ...m, pendingStart: false }, effects: [] }),
    exited: (m, e, s, now) => ({
      next: { ...m, lastExit: { ...e.exit, at: now } },
      effects: [
        { do: 'log', message: `${describeExit(e.exit)}` },
        { do: 'runTimeout', ms: null },
        ...(s.type === 'oneshot' ? [{ do: 'runEnded', exit: e.exit, error: 'stopped by request' } as const] : []),
      ],
    }),
    halted,
  },
  backoff: {
    // Every automatic restart waits again for the service's dependencies.
    timer: (m, _e, s, now) => begin(m, s, now, false),
    stop: stopWhileStarting,
  },
  failed: {
    start: startFromRest,
    restart: restartFromRest,
    stop: (m) => settleStopped(m),
  },
  completed: {
    start: startFromRest,
    restart: restartFromRest,
    stop: (m) => settleStopped(m),
  },
};

/** One event in, the next memory and the effects out. Unlisted pairs change nothing. */
export function step(m: Memory, e: Event, s: Settings, now: number): Step {
  const handler = table[m.phase][e.type] as Handler<Event['type']> | undefined;
  return handler ? handler(m, e, s, now) : same(m);
}
