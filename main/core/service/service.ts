// One service: its state machine (SPEC §2), its runs, its probe and its schedule.
// Read the run loop as a sentence: start → wait for dependencies → check the port → spawn →
// probe → exit → restartable? → back off → spawn again, or give up.
import type { ServiceConfig } from '../../contract/config.js';
import type { Health, LastExit, OneshotRun, ServiceStatus, State, Status, Stray, SupervisorEvent, EventKind } from '../../contract/status.js';
import { decide, newHistory, backoffDelay, formatMs, type RestartHistory } from './restart-policy.js';
import { ServiceLog, defaultLogOptions } from '../logs/service-log.js';
import { ProbeScheduler } from '../health/scheduler.js';
import { runProbe, type ProbeResult } from '../health/probes.js';
import { ScheduleTimer, parseSchedule } from '../jobs/schedule.js';
import { defaultContainment, killRun, spawnRun, type Run, type SpawnFailure } from '../run/run.js';
import { findPortHolders, isPortFree } from '../process/ports.js';
import type { Disposable } from '../../contract/status.js';

/** Legal transitions, as data. Anything else is a bug and is refused loudly. */
const transitions: Record<State, readonly State[]> = {
  stopped: ['starting'],
  starting: ['running', 'failed', 'stopped', 'stopping'],
  running: ['stopping', 'backoff', 'failed', 'stopped', 'completed', 'starting'],
  stopping: ['stopped', 'failed', 'backoff', 'starting'],
  backoff: ['starting', 'stopped', 'failed'],
  failed: ['starting', 'stopped'],
  completed: ['starting', 'stopped'],
};

export function summarize(state: State, health: Health): Status {
  switch (state) {
    case 'running':
      if (health === 'healthy' || health === 'none') return 'online';
      return health === 'unhealthy' ? 'unhealthy' : 'starting';
    case 'stopped':
      return 'offline';
    default:
      return state;
  }
}

/** A running, healthy service that is not ready yet is still starting (readiness never restarts it). */
export function withReadiness(status: Status, ready: boolean | null): Status {
  return status === 'online' && ready === false ? 'starting' : status;
}

/** What the service needs from the supervisor around it. */
export interface ServiceContext {
  scheduler: ProbeScheduler;
  logsDir: string | null;
  /** Extra environment for every child (HYPHA_HOME, HYPHA_SERVICE are added by the service). */
  baseEnv: NodeJS.ProcessEnv;
  home: string | null;
  changed(service: Service): void;
  log(service: Service, line: { ts: string; stream: 'stdout' | 'stderr' | 'supervisor'; text: string }): void;
  event(event: SupervisorEvent): void;
  /** null when the condition holds, else why we wait; throws-free. `failed` ends the wait. */
  dependencyWait(service: Service): { waiting: string; failed: boolean } | null;
  /** Ask for a dependency to be started (compose semantics: starting a service starts what it needs). */
  startDependency(id: string): void;
  /** Before spawning a service with `strays: stop`: end them (and their trees). */
  clearStrays(service: Service): Promise<void>;
  /** Whether anyone listens to the live stream (log lines are only made into messages then). */
  watched(): boolean;
  /** End what a run that exited on its own left behind (batched, see run-reaper.ts). */
  reap(run: Run): void;
  /** `readiness:` — false while a running service with a readiness check is not ready yet; null without one. */
  ready?(service: Service): boolean | null;
  /** CPU and memory of the service's live run, from the one shared sampler. */
  resources(id: string): { cpu: number; memoryBytes: number } | null;
}

export class Service implements Disposable {
  state: State = 'stopped';
  health: Health;
  statusCode: number | null = null;
  restarts = 0;
  lastExit: LastExit | null = null;
  lastError: string | null = null;
  strays: Stray[] = [];
  readonly log: ServiceLog;
  readonly events: SupervisorEvent[] = [];
  /** A oneshot's last 20 runs, oldest first. */
  readonly runs: OneshotRun[] = [];

  private run: Run | null = null;
  private history: RestartHistory = newHistory();
  private backoffTimer: NodeJS.Timeout | null = null;
  private probe: Disposable | null = null;
  private failures = 0;
  private seenProbeResult = false;
  private schedule: ScheduleTimer | null = null;
  private stopping: Promise<void> | null = null;
  /** Set by restart (or a start during a stop): once stopped, start again. */
  private startAfterStop = false;
  private lastSpawnAt = 0;
  private oneshotAttempt = 0;
  private disposed = false;

  constructor(
    public config: ServiceConfig,
    private readonly ctx: ServiceContext,
  ) {
    this.health = config.health ? 'unknown' : 'none';
    const logOptions = {
      ...defaultLogOptions,
      maxFileBytes: config.log.maxSizeBytes,
      keepFiles: config.log.keep + 1,
      timestamps: config.log.timestamps,
      file: config.log.file,
    };
    this.log = new ServiceLog(config.id, ctx.logsDir, (line) => ctx.log(this, line), logOptions, () => ctx.watched());
  }

  get id(): string {
    return this.config.id;
  }

  get pid(): number | null {
    return this.run?.pid ?? null;
  }

  /** The live run, for state.json, the sampler and stray detection. */
  get currentRun(): Run | null {
    return this.run;
  }

  status(): ServiceStatus {
    const c = this.config;
    const res = this.run ? this.ctx.resources(c.id) : null;
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      status: withReadiness(summarize(this.state, this.health), this.ctx.ready?.(this) ?? null),
      state: this.state,
      health: this.health,
      statusCode: this.statusCode,
      pid: this.state === 'running' || this.state === 'stopping' ? (this.run?.pid ?? null) : null,
      port: c.port,
      autostart: c.autostart,
      restarts: this.restarts,
      uptimeMs: this.state === 'running' && this.run ? Date.now() - this.run.startedAt : null,
      lastExit: this.lastExit,
      lastError: this.lastError,
      cpu: res ? Math.round(res.cpu * 10) / 10 : null,
      memoryBytes: res ? res.memoryBytes : null,
      dependsOn: c.dependsOn.map((d) => d.id),
      nextRunAt: this.schedule?.nextRunAt?.toISOString() ?? null,
      strays: this.strays,
      containment: this.run?.containment ?? defaultContainment(),
      replica: c.replica,
    };
  }

  // ---- commands (all merge with whatever is in progress; none queues extra spawns) ----

  /** A person's start (or autostart): clears `failed`, resets the count, spawns at once. */
  start(): void {
    if (this.disposed) return;
    if (this.state === 'stopping') {
      this.startAfterStop = true;
      return;
    }
    if (this.state === 'starting' || this.state === 'running' || this.state === 'backoff') return;
    this.history = newHistory();
    this.restarts = 0;
    this.oneshotAttempt = 0;
    this.lastError = null;
    this.enableSchedule();
    void this.begin();
  }

  /** Run a oneshot now; for a daemon the same as start. */
  runNow(): void {
    this.start();
  }

  stop(): Promise<void> {
    this.startAfterStop = false;
    this.disableSchedule();
    return this.halt();
  }

  restart(): void {
    if (this.disposed) return;
    if (this.state === 'stopping') {
      this.startAfterStop = true;
      return;
    }
    if (this.state === 'running') {
      this.startAfterStop = true;
      void this.halt();
      return;
    }
    if (this.state === 'starting' || this.state === 'backoff') return;
    this.start();
  }

  /** Enable the schedule (oneshots with `schedule`) without running now. */
  enableSchedule(): void {
    const c = this.config;
    if (c.type !== 'oneshot' || !c.schedule || this.schedule || this.disposed) return;
    const spec = parseSchedule(c.schedule);
    if (!spec) return;
    this.schedule = new ScheduleTimer(spec, () => this.scheduledRun());
    this.ctx.changed(this);
  }

  private disableSchedule(): void {
    this.schedule?.dispose();
    this.schedule = null;
  }

  private scheduledRun(): void {
    if (this.state === 'running' || this.state === 'starting' || this.state === 'stopping' || this.state === 'backoff') {
      this.emitEvent('skipped', 'skipped scheduled run: the previous run is still going');
      return;
    }
    this.history = newHistory();
    this.oneshotAttempt = 0;
    this.lastError = null;
    void this.begin();
  }

  // ---- the run loop ----

  private setState(next: State): void {
    if (next === this.state) return;
    if (!transitions[this.state].includes(next)) {
      throw new Error(`hypha bug: illegal transition ${this.state} → ${next} for ${this.id}`);
    }
    this.state = next;
    this.ctx.changed(this);
  }

  /** Records a supervisor event: the service log, its timeline and the event stream. */
  emitEvent(kind: EventKind, message: string): void {
    const event: SupervisorEvent = { id: this.id, kind, message, ts: new Date().toISOString() };
    this.events.push(event);
    if (this.events.length > 200) this.events.splice(0, this.events.length - 200);
    this.log.supervisor(message);
    this.ctx.event(event);
  }

  private fail(reason: string, kind: EventKind = 'failed'): void {
    this.lastError = reason;
    this.setState('failed');
    this.emitEvent(kind, reason);
  }

  /** starting: wait for dependencies, then spawn. */
  private async begin(): Promise<void> {
    this.setState('starting');
    this.health = this.config.health ? 'unknown' : 'none';
    this.statusCode = null;
    if (this.config.dependsOn.length > 0) {
      for (const dep of this.config.dependsOn) this.ctx.startDependency(dep.id);
      this.checkDependencies();
      return;
    }
    await this.spawn();
  }

  /** Called by the supervisor whenever any service changes while this one waits. */
  checkDependencies(): void {
    if (this.state !== 'starting' || this.run) return;
    const wait = this.ctx.dependencyWait(this);
    if (!wait) {
      if (this.lastError?.startsWith('waiting for ')) this.lastError = null;
      void this.spawn();
      return;
    }
    if (wait.failed) {
      this.fail(`not started: ${wait.waiting}`);
      return;
    }
    if (this.lastError !== wait.waiting) {
      this.lastError = wait.waiting;
      this.emitEvent('waiting', wait.waiting);
      this.ctx.changed(this);
    }
  }

  private spawning = false;

  private async spawn(): Promise<void> {
    if (this.spawning || this.run || this.state !== 'starting') return;
    this.spawning = true;
    try {
      const c = this.config;
      if (c.strays === 'stop') await this.ctx.clearStrays(this);
      if (c.port !== null && !(await isPortFree(c.port))) {
        const holders = findPortHolders(c.port);
        const who = holders.length > 0 ? holders.map((h) => `pid ${h.pid} (${h.command.slice(0, 80)})`).join(', ') : 'another process';
        if (this.state === 'starting') this.fail(`port ${c.port} held by ${who} — see strays`);
        return;
      }
      if (this.state !== 'starting') return; // stopped while we checked
      const result = spawnRun(c, {
        baseEnv: this.ctx.baseEnv,
        home: this.ctx.home,
        log: this.log,
        onExit: (run, code, signal) => this.exited(run, code, signal),
      });
      if ('error' in result) {
        this.spawnFailed(result);
        return;
      }
      this.run = result;
      this.lastSpawnAt = Date.now();
      this.failures = 0;
      this.seenProbeResult = false;
      this.setState('running');
      this.emitEvent('started', `started (pid ${result.pid})`);
      this.watchHealth(result);
      if (c.type === 'oneshot' && c.timeoutMs !== null) {
        result.timeout = setTimeout(() => this.timedOut(result), c.timeoutMs);
      }
    } finally {
      this.spawning = false;
    }
  }

  private spawnFailed(f: SpawnFailure): void {
    if (this.state === 'starting') this.fail(f.error);
  }

  private timedOut(run: Run): void {
    if (this.run !== run) return;
    run.timedOut = true;
    void killRun(run, 'SIGKILL', 2000);
  }

  private watchHealth(run: Run): void {
    const h = this.config.health;
    if (!h) return;
    this.probe = this.ctx.scheduler.add(h.intervalMs, Math.min(h.intervalMs, 250), async () => {
      if (this.run !== run || this.state !== 'running') return;
      const result = await runProbe(h.probe, h.timeoutMs, this.config.cwd, () => ({ ...this.ctx.baseEnv, ...this.config.env }));
      if (this.run !== run || this.state !== 'running') return;
      this.probed(run, result);
    });
  }

  private probed(run: Run, r: ProbeResult): void {
    const h = this.config.health;
    if (!h) return;
    const codeChanged = this.statusCode !== r.statusCode;
    this.statusCode = r.statusCode;
    if (r.ok) {
      this.failures = 0;
      const was = this.health;
      this.seenProbeResult = true;
      if (was !== 'healthy') {
        this.health = 'healthy';
        this.emitEvent(was === 'unhealthy' ? 'recovered' : 'healthy', was === 'unhealthy' ? `recovered (${r.detail})` : `healthy (${r.detail})`);
        this.ctx.changed(this);
      } else if (codeChanged) this.ctx.changed(this);
      return;
    }
    const inStartPeriod = Date.now() - run.startedAt < h.startPeriodMs;
    if (inStartPeriod && this.health !== 'healthy') {
      if (codeChanged) this.ctx.changed(this);
      return;
    }
    this.failures++;
    if (this.failures < h.retries) {
      if (codeChanged) this.ctx.changed(this);
      return;
    }
    this.seenProbeResult = true;
    if (this.health !== 'unhealthy') {
      this.health = 'unhealthy';
      this.lastError = `unhealthy: ${r.detail} after ${this.failures} check${this.failures === 1 ? '' : 's'}`;
      this.emitEvent('unhealthy', `became unhealthy: ${r.detail} after ${this.failures} check${this.failures === 1 ? '' : 's'}`);
      this.ctx.changed(this);
      if (h.restartOnUnhealthy) this.restartUnhealthy(run);
    } else if (codeChanged) this.ctx.changed(this);
  }

  /**
   * An automatic restart asked for from outside the run (max_memory): `reason` becomes lastError,
   * and the restart goes through the restart policy and counts, like an unhealthy restart.
   */
  restartFor(reason: string, kind: EventKind): void {
    const run = this.run;
    if (!run || this.state !== 'running') return;
    this.lastError = reason;
    this.restartWhy = reason;
    this.emitEvent(kind, reason);
    this.restartUnhealthy(run);
  }

  /** What the pending automatic restart is for, in its `restarting in …` event. */
  private restartWhy: string | null = null;

  /** An unhealthy run is restarted through the same policy, and counts against max_restarts. */
  private restartUnhealthy(run: Run): void {
    const d = decide(this.config.restart, this.history, { code: 1, signal: null, uptimeMs: Date.now() - run.startedAt, requested: false }, Date.now());
    if (d.action === 'stop') return;
    run.afterStop = d;
    void this.halt();
  }

  /** Stop the live run (or cancel a wait) and settle in `stopped`, or what a restart asks for. */
  private halt(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.backoffTimer) {
      clearTimeout(this.backoffTimer);
      this.backoffTimer = null;
    }
    const run = this.run;
    if (!run) {
      if (this.state === 'starting' || this.state === 'backoff' || this.state === 'failed' || this.state === 'completed') {
        if (this.state === 'starting' && this.lastError?.startsWith('waiting for ')) this.lastError = null;
        this.setState('stopped');
        this.emitEvent('stopped', 'stopped');
      }
      if (this.startAfterStop) {
        this.startAfterStop = false;
        this.start();
      }
      return Promise.resolve();
    }
    run.requested = true;
    this.setState('stopping');
    const { signal, timeoutMs } = this.config.stop;
    this.stopping = (async () => {
      this.endProbe();
      const result = await killRun(run, signal, timeoutMs);
      await run.exited;
      if (result.escalated) this.log.supervisor(`stop timed out after ${formatMs(timeoutMs)}: sent SIGKILL`);
      this.stopping = null;
      this.afterRequestedExit(run);
    })();
    return this.stopping;
  }

  private afterRequestedExit(run: Run): void {
    const next = run.afterStop;
    if (next && next.action === 'restart' && !this.startAfterStopManual()) {
      this.restarts++;
      this.scheduleRespawn(next.delayMs, this.restartWhy ?? 'unhealthy');
      this.restartWhy = null;
      return;
    }
    if (next && next.action === 'fail') {
      this.fail(`${this.lastError ?? 'unhealthy'}; ${next.reason}`, 'gave-up');
      return;
    }
    this.setState('stopped');
    this.emitEvent('stopped', 'stopped');
    if (this.startAfterStop) {
      this.startAfterStop = false;
      const wait = Math.max(0, this.lastSpawnAt + this.config.restart.delayMs - Date.now());
      if (wait > 0) {
        // A restart storm must not spawn faster than restart.delay.
        this.setState('starting');
        this.backoffTimer = setTimeout(() => {
          this.backoffTimer = null;
          if (this.state === 'starting') void this.beginAfterWait();
        }, wait);
        return;
      }
      this.start();
    }
  }

  private startAfterStopManual(): boolean {
    return this.startAfterStop;
  }

  private async beginAfterWait(): Promise<void> {
    this.history = newHistory();
    this.restarts = 0;
    this.lastError = null;
    await this.begin();
  }

  private endProbe(): void {
    this.probe?.dispose();
    this.probe = null;
  }

  private exited(run: Run, code: number | null, signal: string | null): void {
    if (this.run !== run) return;
    this.run = null;
    if (run.timeout) clearTimeout(run.timeout);
    this.endProbe();
    const now = Date.now();
    const uptimeMs = now - run.startedAt;
    this.lastExit = { code, signal, at: new Date(now).toISOString() };
    if (!run.requested) {
      // The leader is gone; whatever it left behind goes with it. Its marks differ from the next
      // run's, so this can follow the respawn instead of delaying it.
      this.ctx.reap(run);
    }
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    this.health = this.config.health ? 'unknown' : 'none';
    this.statusCode = null;
    if (run.requested) {
      this.log.supervisor(`${how} (pid ${run.pid})`);
      return; // halt() settles the state
    }
    if (run.notFound) {
      this.emitEvent('exited', `${how} after ${formatMs(uptimeMs)}`);
      this.fail(run.notFound);
      return;
    }
    if (this.config.type === 'oneshot') return this.oneshotExited(run, code, signal, uptimeMs, how);
    this.emitEvent('exited', `${how} after ${formatMs(uptimeMs)}`);
    const d = decide(this.config.restart, this.history, { code, signal, uptimeMs, requested: false }, now);
    if (d.action === 'restart') {
      this.restarts++;
      this.scheduleRespawn(d.delayMs, how);
    } else if (d.action === 'fail') {
      this.fail(`${d.reason}; last: ${how}`, 'gave-up');
    } else {
      this.lastError = code === 0 && !signal ? null : how;
      this.setState('stopped');
    }
  }

  private oneshotExited(run: Run, code: number | null, signal: string | null, uptimeMs: number, how: string): void {
    if (code === 0 && !signal && !run.timedOut) {
      this.lastError = null;
      this.setState('completed');
      this.emitEvent('completed', `completed in ${formatMs(uptimeMs)}`);
      return;
    }
    const why = run.timedOut ? `timed out after ${formatMs(this.config.timeoutMs ?? 0)}` : how;
    this.emitEvent('exited', `run failed: ${why}`);
    if (this.oneshotAttempt < this.config.retries) {
      this.oneshotAttempt++;
      this.history.consecutive++;
      this.restarts++;
      this.lastError = why;
      this.scheduleRespawn(backoffDelay(this.config.restart, this.history.consecutive), why, `retry ${this.oneshotAttempt} of ${this.config.retries}`);
      return;
    }
    this.fail(this.config.retries > 0 ? `${why} (after ${this.config.retries} retries)` : why);
  }

  private scheduleRespawn(delayMs: number, why: string, what = 'restarting'): void {
    this.setState('backoff');
    this.emitEvent('restarting', `${what} in ${formatMs(delayMs)} (${why})`);
    const go = (): void => {
      this.backoffTimer = null;
      if (this.state !== 'backoff') return;
      this.setState('starting');
      void this.spawn();
    };
    if (delayMs <= 0) {
      go();
      return;
    }
    this.backoffTimer = setTimeout(go, delayMs);
  }

  /** For reload: the config changed in place (unchanged services keep their run). */
  replaceConfig(config: ServiceConfig): void {
    this.config = config;
    this.ctx.changed(this);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
    this.endProbe();
    this.disableSchedule();
    await this.log.dispose();
  }
}
