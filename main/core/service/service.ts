// One service: the interpreter of its state machine (machine.ts holds every rule as data). It turns
// commands, child exits, probe results and timers into machine events, one at a time, and carries
// out the effects the machine returns through an injected clock and process port. It decides
// nothing itself: what happens next is always `step(memory, event)`.
import type { ServiceConfig } from '../../contract/config.js';
import type { Disposable, EventKind, Health, LastExit, OneshotRun, ServiceStatus, State, Status, Stray, SupervisorEvent } from '../../contract/status.js';
import { ServiceLog, defaultLogOptions } from '../logs/service-log.js';
import type { ProbeScheduler } from '../health/scheduler.js';
import { ScheduleTimer, parseSchedule } from '../jobs/schedule.js';
import { RunHistory } from '../jobs/run-history.js';
import { defaultContainment, type Run } from '../run/run.js';
import type { Clock, TimerHandle } from './clock.js';
import type { ProcessPort, RunFacts } from './process-port.js';
import { initialMemory, probeDelay, settingsOf, stateOf, step, type Effect, type Event, type Memory, type Phase, type Settings } from './machine.js';
import { clipCommand } from '../process/command-text.js';

/** The service's `log:` settings as the log writer takes them (`keep` old files plus the live one). */
function logOptionsOf(config: ServiceConfig): { maxFileBytes: number; keepFiles: number; timestamps: boolean; file: string | null } {
  return { maxFileBytes: config.log.maxSizeBytes, keepFiles: config.log.keep + 1, timestamps: config.log.timestamps, file: config.log.file };
}

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
export interface ServiceContext<R extends RunFacts = Run> {
  clock: Clock;
  port: ProcessPort<R>;
  scheduler: ProbeScheduler;
  logsDir: string | null;
  /** Extra environment for every child (HYPHA_HOME, HYPHA_SERVICE are added by the run). */
  baseEnv: NodeJS.ProcessEnv;
  home: string | null;
  changed(service: Service<R>): void;
  log(service: Service<R>, line: { ts: string; stream: 'stdout' | 'stderr' | 'supervisor'; text: string }): void;
  event(event: SupervisorEvent): void;
  /** null when every dependency's condition holds, else why we wait; `failed` ends the wait. */
  dependencyWait(service: Service<R>): { waiting: string; failed: boolean } | null;
  /** Ask for a dependency to be started (compose semantics: starting a service starts what it needs). */
  startDependency(id: string): void;
  /** A new run of this service started (dependents with `restart: true` follow). */
  spawned(service: Service<R>): void;
  /** Whether anyone listens to the live stream (log lines are only made into messages then). */
  watched(): boolean;
  /** CPU and memory of the service's live run, from the one shared sampler. */
  resources(id: string): { cpu: number; memoryBytes: number } | null;
  /** `readiness:` — false while a running service with a readiness check is not ready yet; null without one. */
  ready?(service: Service<R>): boolean | null;
}

export class Service<R extends RunFacts = Run> implements Disposable {
  strays: Stray[] = [];
  readonly log: ServiceLog;
  readonly events: SupervisorEvent[] = [];
  private readonly history = new RunHistory();

  private m: Memory;
  private settings: Settings;
  private run: R | null = null;
  /** The run that just exited on its own, for the reap effect. */
  private ended: R | null = null;
  private timer: TimerHandle | null = null;
  private runTimer: TimerHandle | null = null;
  private probe: Disposable | null = null;
  private schedule: ScheduleTimer | null = null;
  private prepareToken = 0;
  private readonly queue: Event[] = [];
  private stepping = false;
  private stopWaiters: (() => void)[] = [];
  private disposed = false;

  constructor(
    public config: ServiceConfig,
    private readonly ctx: ServiceContext<R>,
  ) {
    this.m = initialMemory(config.health !== null);
    this.settings = settingsOf(config);
    this.log = new ServiceLog(config.id, ctx.logsDir, (line) => ctx.log(this, line), { ...defaultLogOptions, ...logOptionsOf(config) }, () => ctx.watched());
    // A log file that cannot be written is told once (and its recovery), and shows in status.
    this.log.onWriteProblem = (_error, detail) => {
      this.emitEvent('log-file', detail);
      this.ctx.changed(this);
    };
  }

  get id(): string {
    return this.config.id;
  }
  /** A oneshot's last 20 runs, oldest first. */
  get runs(): OneshotRun[] {
    return this.history.runs;
  }
  get state(): State {
    return stateOf[this.m.phase];
  }
  get phase(): Phase {
    return this.m.phase;
  }
  get health(): Health {
    return this.m.health;
  }
  get restarts(): number {
    return this.m.restarts;
  }
  get lastError(): string | null {
    return this.m.lastError;
  }
  /** How the last run ended when it will not be restarted (`exited with code 0, policy never`). */
  get endedForGood(): string | null {
    return this.m.phase === 'stopped' ? this.m.endedForGood : null;
  }
  /** The last run ran and exited (a failure to start does not count): condition `completed`. */
  get ranToEnd(): boolean {
    return this.m.ranToEnd;
  }
  get lastExit(): LastExit | null {
    const e = this.m.lastExit;
    return e ? { code: e.code, signal: e.signal, at: new Date(e.at).toISOString() } : null;
  }
  /** When the last run was spawned (ms), so a replacement keeps the restart spacing. */
  get lastSpawnAt(): number | null {
    return this.m.lastSpawnAt;
  }
  get pid(): number | null {
    return this.run?.pid ?? null;
  }
  /** The live run, for state.json, the sampler and stray detection. */
  get currentRun(): R | null {
    return this.run;
  }

  status(): ServiceStatus {
    const c = this.config;
    const res = this.run ? this.ctx.resources(c.id) : null;
    const state = this.state;
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      status: withReadiness(summarize(state, this.m.health), this.ctx.ready?.(this) ?? null),
      state,
      health: this.m.health,
      statusCode: this.m.statusCode,
      pid: state === 'running' || state === 'stopping' ? (this.run?.pid ?? null) : null,
      port: c.port,
      autostart: c.autostart,
      restarts: this.m.restarts,
      uptimeMs: state === 'running' && this.m.runStartedAt !== null ? this.ctx.clock.now() - this.m.runStartedAt : null,
      lastExit: this.lastExit,
      lastError: this.m.lastError ?? this.log.writeError,
      cpu: res ? Math.round(res.cpu * 10) / 10 : null,
      memoryBytes: res ? res.memoryBytes : null,
      dependsOn: c.dependsOn.map((d) => d.id),
      nextRunAt: this.schedule?.nextRunAt?.toISOString() ?? null,
      strays: this.strays,
      containment: this.run?.containment ?? defaultContainment(),
      replica: c.replica,
    };
  }

  // ---- commands: each is one event; the machine merges it with whatever is in progress ----

  /**
   * An automatic restart asked for from outside the run (max_memory): `reason` becomes lastError,
   * and the restart goes through the restart policy and counts, like an unhealthy restart.
   */
  restartFor(reason: string, kind: EventKind): void {
    if (this.disposed) return;
    this.dispatch({ type: 'limit', reason, kind });
  }

  /** A person's start (or autostart): clears `failed`, resets the count, spawns as soon as allowed. */
  start(): void {
    if (this.disposed) return;
    this.enableSchedule();
    this.dispatch({ type: 'start', by: 'person' });
  }

  /** Run a oneshot now; for a daemon the same as start. */
  runNow(): void {
    this.start();
  }

  /** Resolves once the service is no longer stopping. */
  stop(): Promise<void> {
    this.disableSchedule();
    this.dispatch({ type: 'stop' });
    return this.settled();
  }

  restart(): void {
    if (this.disposed) return;
    this.dispatch({ type: 'restart' });
  }

  /** Called by the supervisor whenever a service this one depends on changes. */
  checkDependencies(): void {
    if (this.m.phase === 'waiting') this.dispatch({ type: 'deps', verdict: this.ctx.dependencyWait(this) });
  }

  /** A dependency marked `restart: true` started a new run. */
  dependencyRestarted(id: string): void {
    this.dispatch({ type: 'dependencyRestarted', id });
  }

  /** A changed config replaces this one (reload): it takes effect at the next start. */
  replaceConfig(config: ServiceConfig): void {
    this.config = config;
    this.settings = settingsOf(config);
    this.log.reconfigure(logOptionsOf(config), this.ctx.logsDir);
    this.ctx.changed(this);
  }

  /** Seed the spacing from the copy this service replaces, so a reload never spawns sooner than restart.delay. */
  carrySpacing(lastSpawnAt: number | null): void {
    if (lastSpawnAt !== null && (this.m.lastSpawnAt ?? -Infinity) < lastSpawnAt) this.m = { ...this.m, lastSpawnAt };
  }

  /** Enable the schedule (oneshots with `schedule`) without running now. */
  enableSchedule(): void {
    const c = this.config;
    if (c.type !== 'oneshot' || !c.schedule || this.schedule || this.disposed) return;
    const spec = parseSchedule(c.schedule);
    if (!spec) return;
    this.schedule = new ScheduleTimer(spec, () => this.scheduledRun(), this.ctx.clock);
    this.ctx.changed(this);
  }

  private disableSchedule(): void {
    this.schedule?.dispose();
    this.schedule = null;
  }

  private scheduledRun(): void {
    const phase = this.m.phase;
    if (phase !== 'stopped' && phase !== 'failed' && phase !== 'completed') {
      this.emitEvent('skipped', 'skipped scheduled run: the previous run is still going');
      return;
    }
    this.dispatch({ type: 'start', by: 'schedule' });
  }

  /** Records a supervisor event: the service log, its timeline and the event stream. */
  emitEvent(kind: EventKind, message: string): void {
    const event: SupervisorEvent = { id: this.id, kind, message, ts: new Date(this.ctx.clock.now()).toISOString() };
    this.events.push(event);
    if (this.events.length > 200) this.events.splice(0, this.events.length - 200);
    this.log.supervisor(message);
    this.ctx.event(event);
  }

  // ---- the interpreter ----

  /** Events are handled one at a time, in order; an effect that causes an event queues it. */
  private dispatch(event: Event): void {
    this.queue.push(event);
    if (this.stepping) return;
    this.stepping = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        const before = this.m;
        const { next, effects } = step(before, e, this.settings, this.ctx.clock.now());
        this.m = next;
        for (const effect of effects) this.perform(effect);
        if (publicFactsChanged(before, next)) this.ctx.changed(this);
      }
    } finally {
      this.stepping = false;
    }
    if (this.m.phase !== 'stopping' && this.stopWaiters.length > 0) {
      const waiters = this.stopWaiters;
      this.stopWaiters = [];
      for (const w of waiters) w();
    }
  }

  private settled(): Promise<void> {
    if (this.m.phase !== 'stopping') return Promise.resolve();
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  private perform(effect: Effect): void {
    const { clock, port } = this.ctx;
    switch (effect.do) {
      case 'startDependencies':
        for (const dep of this.config.dependsOn) this.ctx.startDependency(dep.id);
        return;
      case 'checkDependencies':
        this.dispatch({ type: 'deps', verdict: this.ctx.dependencyWait(this) });
        return;
      case 'timer': {
        clock.clearTimeout(this.timer);
        const fire = (): void => {
          this.timer = null;
          this.dispatch({ type: 'timer' });
        };
        // Zero means a later turn of the loop: a crash loop with delay 0 must not starve I/O.
        this.timer = effect.ms <= 0 ? clock.defer(fire) : clock.setTimeout(fire, effect.ms);
        return;
      }
      case 'cancelTimer':
        clock.clearTimeout(this.timer);
        this.timer = null;
        return;
      case 'prepare':
        void this.prepare(++this.prepareToken);
        return;
      case 'spawn':
        this.spawn();
        return;
      case 'kill': {
        const run = this.run;
        if (!run) {
          this.timerlessHalt();
          return;
        }
        void port.stop(run, effect.signal, effect.timeoutMs).then(
          (r) => this.dispatch({ type: 'halted', escalated: r.escalated }),
          () => this.dispatch({ type: 'halted', escalated: false }),
        );
        return;
      }
      case 'forceKill':
        if (this.run) void port.stop(this.run, 'SIGKILL', 2000).catch(() => undefined);
        return;
      case 'probes':
        this.probe?.dispose();
        this.probe = null;
        if (effect.on && this.run) this.watchHealth(this.run);
        return;
      case 'runTimeout': {
        clock.clearTimeout(this.runTimer);
        this.runTimer = null;
        const run = this.run;
        if (effect.ms !== null && run) {
          this.runTimer = clock.setTimeout(() => {
            this.runTimer = null;
            if (this.run === run) this.dispatch({ type: 'timeout' });
          }, effect.ms);
        }
        return;
      }
      case 'reap':
        if (this.ended) port.reap(this.ended);
        this.ended = null;
        return;
      case 'emit':
        this.emitEvent(effect.kind, effect.message);
        return;
      case 'log':
        this.log.supervisor(effect.message);
        return;
      case 'runBegan':
        this.history.began(clock.now());
        return;
      case 'runEnded': {
        const startedAt = this.history.current;
        const said = startedAt && effect.error && effect.exit?.signal === null ? this.firstStderrSince(startedAt) : null;
        this.history.ended(clock.now(), effect.exit, effect.error && said ? `${effect.error}: ${said}` : effect.error);
        return;
      }
      case 'spawnedNew':
        this.ctx.spawned(this);
        return;
    }
  }

  /** The run's first stderr line, as far as it reached the log by its exit (for the run history). */
  private firstStderrSince(startedAt: string): string | null {
    const line = this.log.tail(200).find((l) => l.stream === 'stderr' && l.ts >= startedAt && l.text.trim() !== '');
    return line ? line.text.trim().slice(0, 200) : null;
  }

  /** A kill was asked for but the run is already gone: finish the stop on a later turn. */
  private timerlessHalt(): void {
    this.ctx.clock.defer(() => this.dispatch({ type: 'halted', escalated: false }));
  }

  /** End strays and check the port; answers with `prepared` unless superseded. */
  private async prepare(token: number): Promise<void> {
    const c = this.config;
    const { port } = this.ctx;
    let taken: string | null = null;
    try {
      if (c.strays === 'stop') await port.clearStrays(c.id);
      if (c.port !== null && !(await port.isPortFree(c.port))) {
        const holders = port.portHolders(c.port);
        const who = holders.length > 0 ? holders.map((h) => `pid ${h.pid} (${clipCommand(h.command, 80)})`).join(', ') : 'another process';
        taken = `port ${c.port} held by ${who} — see strays`;
      }
    } catch (err) {
      taken = `cannot check port ${c.port}: ${(err as Error).message}`;
    }
    if (token === this.prepareToken && this.m.phase === 'preparing') this.dispatch({ type: 'prepared', taken });
  }

  private spawn(): void {
    const result = this.ctx.port.spawn(this.config, {
      baseEnv: this.ctx.baseEnv,
      home: this.ctx.home,
      log: this.log,
      onExit: (run, code, signal) => this.exited(run, code, signal),
    });
    if ('error' in result) {
      this.dispatch({ type: 'spawnFailed', error: result.error });
      return;
    }
    this.run = result;
    this.dispatch({ type: 'spawned', pid: result.pid });
  }

  private exited(run: R, code: number | null, signal: string | null): void {
    if (this.run !== run) return;
    this.run = null;
    this.ended = run;
    this.dispatch({ type: 'exited', exit: { code, signal }, notFound: run.notFound });
  }

  private watchHealth(run: R): void {
    const h = this.config.health;
    if (!h) return;
    const { clock, port } = this.ctx;
    this.probe = this.ctx.scheduler.add(
      () => probeDelay(h, this.m, clock.now()),
      Math.min(h.startIntervalMs, h.intervalMs),
      async () => {
        if (this.run !== run || this.m.phase !== 'running') return;
        const r = await port.probe(h.probe, h.timeoutMs, this.config.cwd, () => ({ ...this.ctx.baseEnv, ...this.config.env }));
        if (this.run !== run || this.m.phase !== 'running') return;
        this.dispatch({ type: 'probed', ok: r.ok, detail: r.detail, statusCode: r.statusCode });
      },
    );
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
    this.ctx.clock.clearTimeout(this.timer);
    this.ctx.clock.clearTimeout(this.runTimer);
    this.probe?.dispose();
    this.probe = null;
    this.disableSchedule();
    await this.log.dispose();
  }
}

function publicFactsChanged(a: Memory, b: Memory): boolean {
  return (
    stateOf[a.phase] !== stateOf[b.phase] ||
    a.health !== b.health ||
    a.statusCode !== b.statusCode ||
    a.lastError !== b.lastError ||
    a.restarts !== b.restarts ||
    a.lastExit !== b.lastExit ||
    // Dependents waiting for this one care about every step of it.
    a.phase !== b.phase
  );
}
