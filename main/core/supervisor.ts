// The set of services: dependency order, the one event stream, reload diffs, metrics.
// Adapters (HTTP API, Electron) drive it only through SupervisorControl.
import { EventEmitter } from 'node:events';
import type { HyphaConfig, LoadResult, ServiceConfig } from '../contract/config.js';
import { dependencyWait } from './service/dependencies.js';
import type { Disposable, LogLine, OneshotRun, ServiceStatus, SupervisorEvent, SupervisorMessage } from '../contract/status.js';
import { CommandError, type Action, type ReloadOutcome, type SupervisorControl } from '../contract/control.js';
import { Service, type ServiceContext } from './service/service.js';
import { ProbeScheduler } from './health/scheduler.js';
import { ProcessWatch } from './process/watch.js';
import { renderMetrics } from './metrics.js';
import { StrayWatch } from './strays/watch.js';
import { isSameProcess } from './process/proctable.js';
import { adoptMarked } from './run/run.js';
import { killCgroup } from './process/cgroup.js';
import { RunReaper } from './run/reaper.js';
import { MemoryLimit } from './limits/memory-limit.js';
import { ServiceWatches } from './watch/service-watches.js';
import { Readiness } from './readiness/readiness.js';
import { parseSignal, sendSignal } from './reload/signal.js';
import { runReloadCommand } from './reload/reload-command.js';
import { realClock } from './service/clock.js';
import { realProcessPort } from './service/process-port.js';

export interface SupervisorOptions {
  home: string | null;
  logsDir: string | null;
  version: string;
  /** Re-reads the config for a reload (the daemon reads it in a child process, so it may be async). */
  loadConfig: () => LoadResult | Promise<LoadResult>;
  /** Called (debounced) when the set of live runs changes, for state.json. */
  persist?: (supervisor: Supervisor) => void;
  /** Daemon output: supervisor events are echoed here too. */
  echo?: (line: string) => void;
  /** Process-table sampling period (CPU/memory, descendant tracking). */
  sampleMs?: number;
  /** Stray scan period (SPEC §4: every 30 s). */
  strayScanMs?: number;
}

/** Dependency order: every service after the ones it depends on (config is cycle-free). */
export function topoOrder(configs: ServiceConfig[]): string[] {
  const byId = new Map(configs.map((c) => [c.id, c]));
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of byId.get(id)?.dependsOn ?? []) if (byId.has(d.id)) visit(d.id);
    out.push(id);
  };
  for (const c of configs) visit(c.id);
  return out;
}

export class Supervisor implements SupervisorControl {
  readonly version: string;
  configFile: string;
  /** The active environment profile (kept across reloads: the loader is asked with the same one). */
  profile: string | null;
  private config: HyphaConfig;
  private readonly services = new Map<string, Service>();
  private readonly bus = new EventEmitter();
  readonly scheduler = new ProbeScheduler();
  readonly watch: ProcessWatch;
  readonly strayWatch: StrayWatch;
  private readonly reaper = new RunReaper();
  private readonly memoryLimit = new MemoryLimit();
  /** `watch:` — restart on file change. */
  private readonly fileWatches: ServiceWatches;
  /** `readiness:` — gates online and condition healthy, beside each service's state machine. */
  private readonly readiness: Readiness;
  private persistTimer: NodeJS.Timeout | null = null;
  private readonly ctx: ServiceContext;
  private disposed = false;

  constructor(
    config: HyphaConfig,
    private readonly opts: SupervisorOptions,
  ) {
    this.version = opts.version;
    this.config = config;
    this.configFile = config.file;
    this.profile = config.profile;
    this.bus.setMaxListeners(0);
    this.watch = new ProcessWatch(opts.sampleMs ?? 2000, () => this.liveRuns());
    this.watch.onTracked = () => this.schedulePersist();
    // CPU and memory reach live viewers as status events, like every other fact.
    this.watch.onSampled = (ids) => {
      for (const id of ids) {
        const s = this.services.get(id);
        if (s) this.publish({ type: 'status', data: s.status() });
      }
    };
    this.watch.onScanned = (ids) => this.checkMemory(ids);
    this.strayWatch = new StrayWatch(this, opts.strayScanMs ?? 30_000, opts.home);
    this.readiness = new Readiness(this.scheduler, process.env, (id) => {
      const s = this.services.get(id);
      if (s) this.changed(s);
    });
    this.ctx = {
      clock: realClock,
      port: realProcessPort({
        reap: (run) => this.reaper.add(run),
        clearStrays: async (id) => {
          await this.strayWatch.stopStrays(id);
        },
      }),
      spawned: (s) => this.spawned(s),
      scheduler: this.scheduler,
      logsDir: opts.logsDir,
      baseEnv: process.env,
      home: opts.home,
      changed: (s) => this.changed(s),
      log: (s, line) => {
        if (line.stream !== 'supervisor') this.readiness.line(s.id, line.text);
        this.publish({ type: 'log', data: { id: s.id, line } });
      },
      ready: (s) => this.readiness.isReady(s.id, s.config.readiness !== null),
      event: (e) => this.onEvent(e),
      dependencyWait: (s) => this.dependencyWait(s),
      startDependency: (id) => this.startDependency(id),
      resources: (id) => this.watch.get(id),
      // Lines become objects only for live viewers, or while a readiness log_line is awaited.
      watched: () => this.bus.listenerCount('log') > 0 || this.readiness.wantsLines(),
    };
    for (const c of config.services) this.services.set(c.id, new Service(c, this.ctx));
    this.fileWatches = new ServiceWatches((id) => this.services.get(id), opts.home ? [opts.home] : []);
  }

  /** Autostart in dependency order; enable schedules. */
  start(): void {
    this.watch.start();
    this.fileWatches.sync(this.config.services);
    for (const id of topoOrder(this.config.services)) {
      const s = this.services.get(id);
      if (!s) continue;
      if (s.config.autostart) s.start();
      else s.enableSchedule();
    }
    this.strayWatch.start();
  }

  // ---- SupervisorControl ----

  list(): ServiceStatus[] {
    return [...this.services.values()].map((s) => s.status());
  }

  get(id: string): ServiceStatus {
    return this.service(id).status();
  }

  settings(id: string): ServiceConfig {
    return this.service(id).config;
  }

  service(id: string): Service {
    const s = this.services.get(id);
    if (!s) throw new CommandError(`unknown service: ${id}`, 404);
    return s;
  }

  /** The copies of a service written with `replicas: N` (N ≥ 2), when `id` is not itself a service. */
  private replicasOf(id: string): Service[] {
    if (this.services.has(id)) return [];
    return [...this.services.values()].filter((s) => s.config.replica?.of === id);
  }

  allServices(): Service[] {
    return [...this.services.values()];
  }

  async act(action: Action, id: string): Promise<ServiceStatus[]> {
    if (this.disposed) throw new CommandError('the supervisor is shutting down', 409);
    if (id === 'all') {
      if (action === 'run') throw new CommandError('run takes one oneshot id, not all', 400);
      if (action === 'stop') void this.stopAll();
      else {
        const order = topoOrder([...this.services.values()].map((s) => s.config));
        for (const sid of order) {
          const s = this.services.get(sid);
          if (s) action === 'start' ? s.start() : s.restart();
        }
      }
      return this.list();
    }
    const copies = this.replicasOf(id);
    if (copies.length > 0) {
      // `replicas:` — the written id acts on every copy, as `all` does on every service.
      const results = await Promise.all(copies.map((c) => this.act(action, c.id)));
      return results.flat();
    }
    const s = this.service(id);
    switch (action) {
      case 'start':
        s.start();
        break;
      case 'stop':
        void s.stop();
        break;
      case 'restart':
        s.restart();
        break;
      case 'run':
        if (s.config.type !== 'oneshot') throw new CommandError(`${id} is a daemon; run is for oneshot services (use start)`, 409);
        s.runNow();
        break;
    }
    return [s.status()];
  }

  async signal(id: string, signal: string, group = false): Promise<ServiceStatus[]> {
    const parsed = parseSignal(signal);
    if (!parsed.ok) throw new CommandError(parsed.error, 400);
    const targets = this.targets(id);
    for (const s of targets) {
      const run = s.currentRun;
      if (!run || s.state !== 'running') throw new CommandError(`${s.id} is not running (state ${s.state})`, 409);
    }
    for (const s of targets) {
      const run = s.currentRun;
      if (!run) continue;
      const error = sendSignal(parsed.signal, run.pid, run.pgid, group);
      if (error) throw new CommandError(`${s.id}: ${error}`, 409);
      s.emitEvent('signal', `sent ${parsed.signal} to ${group ? `process group ${run.pgid}` : `pid ${run.pid}`}`);
    }
    return targets.map((s) => s.status());
  }

  async reloadService(id: string): Promise<ServiceStatus[]> {
    const targets = this.targets(id);
    for (const s of targets) {
      if (!s.config.reload) throw new CommandError(`${s.id} has no reload.command (use hypha signal ${s.id} HUP, or restart it)`, 409);
      if (!s.currentRun || s.state !== 'running') throw new CommandError(`${s.id} is not running (state ${s.state})`, 409);
    }
    for (const s of targets) {
      const run = s.currentRun;
      if (!run) continue;
      const r = await runReloadCommand(s.config, run.pid, this.ctx.baseEnv);
      if (!r.ok) {
        s.emitEvent('signal', `reload failed: ${r.error}`);
        throw new CommandError(`${s.id}: ${r.error}`, 409);
      }
      s.emitEvent('signal', `reloaded (reload.command took ${r.ms} ms)`);
    }
    return targets.map((s) => s.status());
  }

  /** One service, or every copy of a service written with `replicas:`. */
  private targets(id: string): Service[] {
    const copies = this.replicasOf(id);
    return copies.length > 0 ? copies : [this.service(id)];
  }

  /** Stop every service, dependents before what they depend on, independent ones in parallel. */
  async stopAll(): Promise<void> {
    const all = [...this.services.values()];
    const dependents = new Map<string, Service[]>();
    for (const s of all) for (const d of s.config.dependsOn) dependents.set(d.id, [...(dependents.get(d.id) ?? []), s]);
    const done = new Map<string, Promise<void>>();
    const stopOne = (s: Service): Promise<void> => {
      let p = done.get(s.id);
      if (!p) {
        done.set(s.id, Promise.resolve()); // guards against cycles, which config rejects anyway
        p = Promise.all((dependents.get(s.id) ?? []).map(stopOne)).then(() => s.stop());
        done.set(s.id, p);
      }
      return p;
    };
    await Promise.all(all.map(stopOne));
  }

  async scanStrays(id?: string): Promise<{ id: string; strays: import('../contract/status.js').Stray[] }[]> {
    if (id !== undefined) this.service(id);
    await this.strayWatch.scanNow();
    return [...this.services.values()].filter((s) => id === undefined || s.id === id).map((s) => ({ id: s.id, strays: s.strays }));
  }

  async stopStrays(id: string, spare: readonly number[] = []): Promise<number[]> {
    this.service(id);
    return this.strayWatch.stopStrays(id, spare);
  }

  logs(id: string, lines: number): LogLine[] {
    return this.service(id).log.tail(lines);
  }

  events(id: string): SupervisorEvent[] {
    return [...this.service(id).events];
  }

  runs(id: string): OneshotRun[] {
    return [...this.service(id).runs];
  }

  /** Reloads run one at a time, in the order asked (see reload). */
  private reloadQueue: Promise<unknown> = Promise.resolve();

  /**
   * Re-reads the config and applies it. Reloads are serialised: one that arrives while another is
   * still stopping slow services waits its turn and reads the file only then, so the file saved
   * last is the one that ends up running, and each answer says what that reload itself changed.
   */
  reload(): Promise<ReloadOutcome> {
    const run = async (): Promise<ReloadOutcome> => {
      if (this.disposed) throw new CommandError('the supervisor is shutting down', 409);
      const loaded = await this.opts.loadConfig();
      if (!loaded.ok) return { ok: false, errors: loaded.errors };
      // The read may have taken a while (a child process): a stop that came meanwhile wins.
      if (this.disposed) throw new CommandError('the supervisor is shutting down', 409);
      return { ok: true, ...(await this.applyConfig(loaded.config)) };
    };
    const turn = this.reloadQueue.then(run, run);
    this.reloadQueue = turn.catch(() => undefined);
    return turn;
  }

  /** Added services start (if autostart), removed ones stop, changed ones restart, the rest keep their pid. */
  async applyConfig(next: HyphaConfig): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    const added: string[] = [];
    const removed: string[] = [];
    const changed: string[] = [];
    const nextIds = new Set(next.services.map((c) => c.id));
    for (const [id, s] of this.services) {
      if (!nextIds.has(id)) {
        removed.push(id);
        this.services.delete(id);
        await s.dispose();
        this.publishRemoved(id);
      }
    }
    const rebuilt = new Map<string, Service>();
    for (const c of next.services) {
      const existing = this.services.get(c.id);
      if (!existing) {
        added.push(c.id);
        rebuilt.set(c.id, new Service(c, this.ctx));
      } else {
        if (JSON.stringify(existing.config) !== JSON.stringify(c)) changed.push(c.id);
        rebuilt.set(c.id, existing);
      }
    }
    this.services.clear();
    for (const [id, s] of rebuilt) this.services.set(id, s);
    this.config = next;
    this.configFile = next.file;
    this.profile = next.profile;
    for (const id of changed) {
      const s = this.services.get(id);
      if (!s) continue;
      const wasActive = s.state !== 'stopped' && s.state !== 'failed' && s.state !== 'completed';
      const wasStopped = s.state === 'stopped';
      await s.stop();
      s.replaceConfig(next.services.find((c) => c.id === id) as ServiceConfig);
      if (wasActive || (!wasStopped && s.config.autostart)) s.start();
      else s.enableSchedule();
    }
    for (const id of topoOrder(next.services)) {
      if (!added.includes(id)) continue;
      const s = this.services.get(id);
      if (!s) continue;
      if (s.config.autostart) s.start();
      else s.enableSchedule();
      this.changed(s);
    }
    this.fileWatches.sync(next.services);
    const message = `reloaded ${next.file}: ${added.length} added, ${removed.length} removed, ${changed.length} changed`;
    this.opts.echo?.(message);
    this.publish({ type: 'event', data: { id: '', kind: 'reload', message, ts: new Date().toISOString() } });
    return { added, removed, changed };
  }

  subscribe(listener: (message: SupervisorMessage) => void, opts: { logs?: boolean } = {}): Disposable {
    const logs = opts.logs ?? true;
    this.bus.on('message', listener);
    if (logs) this.bus.on('log', listener);
    return {
      dispose: () => {
        this.bus.off('message', listener);
        if (logs) this.bus.off('log', listener);
      },
    };
  }

  metrics(): string {
    return renderMetrics(this.list());
  }

  // ---- internals ----

  /** Live runs by service: what state.json records and the sampler watches. */
  liveRuns(): Map<string, import('./run/run.js').Run> {
    const m = new Map<string, import('./run/run.js').Run>();
    for (const s of this.services.values()) {
      const r = s.currentRun;
      if (r) m.set(s.id, r);
    }
    return m;
  }

  /** Log lines go only to listeners that asked for them (subscribe's `logs`). */
  private publish(message: SupervisorMessage): void {
    const channel = message.type === 'log' ? 'log' : 'message';
    if (this.bus.listenerCount(channel) > 0) this.bus.emit(channel, message);
  }

  private publishRemoved(id: string): void {
    this.publish({ type: 'event', data: { id, kind: 'reload', message: `removed ${id}`, ts: new Date().toISOString() } });
  }

  private onEvent(e: SupervisorEvent): void {
    this.opts.echo?.(`${e.id}: ${e.message}`);
    this.publish({ type: 'event', data: e });
  }

  private changed(s: Service): void {
    this.readiness.update(s);
    this.publish({ type: 'status', data: s.status() });
    // A new run goes on disk at once (so a SIGKILLed supervisor's successor finds it by pid and
    // start time); other changes within 100 ms. Spawns in one turn of the loop share one write.
    if (s.state === 'running') this.persistSoon();
    else this.schedulePersist();
    if (this.disposed) return;
    for (const other of this.services.values()) {
      if (other !== s && other.phase === 'waiting' && other.config.dependsOn.some((d) => d.id === s.id)) other.checkDependencies();
    }
  }

  private schedulePersist(): void {
    if (!this.opts.persist || this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      this.opts.persist?.(this);
    }, 100);
  }

  private persistImmediate: NodeJS.Immediate | null = null;

  private persistSoon(): void {
    if (!this.opts.persist || this.persistImmediate) return;
    this.persistImmediate = setImmediate(() => {
      this.persistImmediate = null;
      this.persistNow();
    });
  }

  /** Write state.json now (spawns must be on disk before a SIGKILL of the supervisor can lose them). */
  persistNow(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = null;
    this.opts.persist?.(this);
  }

  private dependencyWait(s: Service): { waiting: string; failed: boolean } | null {
    return dependencyWait(s.config, (id) => {
      const d = this.services.get(id);
      if (!d) return undefined;
      const ready = this.readiness.isReady(d.id, d.config.readiness !== null) !== false;
      return { state: d.state, health: d.health, lastError: d.lastError, endedForGood: d.endedForGood, ranToEnd: d.ranToEnd, ready };
    });
  }

  /** A new run of `s` started: dependents that asked for it (`restart: true`) restart with it. */
  private spawned(s: Service): void {
    for (const other of this.services.values()) {
      if (other === s || other.state !== 'running') continue;
      if (other.config.dependsOn.some((d) => d.id === s.id && d.restart)) other.dependencyRestarted(s.id);
    }
  }

  /** max_memory: a service over its limit for 3 samples in a row restarts (through its policy). */
  private checkMemory(ids: string[]): void {
    for (const id of ids) {
      const s = this.services.get(id);
      const res = this.watch.get(id);
      const pid = s?.pid;
      if (!s || !res || pid === null || pid === undefined) continue;
      const reason = this.memoryLimit.sample(id, pid, res.memoryBytes, s.config.maxMemoryBytes);
      if (reason) s.restartFor(reason, 'memory');
    }
    this.memoryLimit.keepOnly(new Set(ids));
  }

  private startDependency(id: string): void {
    const d = this.services.get(id);
    if (!d) return;
    if (d.state === 'stopped') d.start();
  }

  /**
   * Last resort (an uncaught error, a second signal): SIGKILL every live run's group and every
   * member ever seen, synchronously, so the supervisor never dies leaving children behind.
   */
  killAllNow(): void {
    this.reaper.flush();
    for (const run of this.liveRuns().values()) {
      if (run.cgroup) killCgroup(run.cgroup); // everything in it, whatever it became
      adoptMarked(run);
      try {
        process.kill(-run.pgid, 'SIGKILL');
      } catch {
        // Group already gone.
      }
      for (const m of run.tracker.members()) {
        if (!isSameProcess(m)) continue;
        try {
          process.kill(m.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.strayWatch.dispose();
    this.fileWatches.dispose();
    this.readiness.dispose();
    await this.stopAll();
    for (const s of this.services.values()) await s.dispose();
    this.scheduler.dispose();
    this.watch.dispose();
    this.reaper.dispose();
    if (this.persistImmediate) clearImmediate(this.persistImmediate);
    this.persistImmediate = null;
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = null;
    this.opts.persist?.(this);
  }
}

