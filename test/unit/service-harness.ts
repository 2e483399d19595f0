// Virtual time for the service state machine: a clock whose time moves only when a test says so,
// and a fake process port whose "processes" exit, stop and answer probes on that clock. Services
// are built from real hypha.yaml text through the real loader, wired the way the Supervisor wires
// them (same dependency rules), so a test reads like a config plus a timeline asserted at exact
// virtual milliseconds. No child process, socket or real timer is involved.
import type { HealthProbe, ServiceConfig } from '../../main/contract/config.js';
import type { ProcessRef, SupervisorEvent } from '../../main/contract/status.js';
import { parseConfigText } from '../../main/core/config/load.js';
import { ProbeScheduler } from '../../main/core/health/scheduler.js';
import type { ProbeResult } from '../../main/core/health/probes.js';
import type { Clock, TimerHandle } from '../../main/core/service/clock.js';
import { dependencyWait } from '../../main/core/service/dependencies.js';
import type { ProcessPort, RunFacts, SpawnRequest } from '../../main/core/service/process-port.js';
import { Service, type ServiceContext } from '../../main/core/service/service.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets promise callbacks (a fake stop resolving, a probe answering) run; virtual time stands still. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

export class VirtualClock implements Clock {
  t = 0;
  private seq = 0;
  private pending: Pending[] = [];
  /** Calls made through defer (a zero-delay respawn must come through here). */
  deferred = 0;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.push(this.t + Math.max(0, ms), fn);
  }

  clearTimeout(handle: TimerHandle | null): void {
    handle?.cancel();
  }

  defer(fn: () => void): TimerHandle {
    this.deferred++;
    return this.push(this.t, fn);
  }

  private push(at: number, fn: () => void): TimerHandle {
    const p: Pending = { at, seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => void (p.cancelled = true) };
  }

  private nextDue(limit: number): Pending | null {
    let best: Pending | null = null;
    for (const p of this.pending) {
      if (p.cancelled || p.at > limit) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }

  /** Move time forward by `ms`, running every timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.t + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await flush();
    for (let p = this.nextDue(target); p; p = this.nextDue(target)) {
      this.pending = this.pending.filter((x) => x !== p);
      this.t = Math.max(this.t, p.at);
      p.fn();
      await flush();
    }
    this.t = Math.max(this.t, target);
    this.pending = this.pending.filter((x) => !x.cancelled);
  }

  /** Run until `cond` holds, one due timer at a time; fails past `maxMs` of virtual time. */
  async until(cond: () => boolean, maxMs = 3_600_000): Promise<number> {
    const limit = this.t + maxMs;
    await flush();
    while (!cond()) {
      const p = this.nextDue(limit);
      if (!p) throw new Error(`condition not met by virtual ${limit} ms (now ${this.t})`);
      this.pending = this.pending.filter((x) => x !== p);
      this.t = Math.max(this.t, p.at);
      p.fn();
      await flush();
    }
    return this.t;
  }
}

/** How one run of a fake process behaves. */
export interface Script {
  /** Exits on its own this long after the spawn (never, if absent). */
  exitAfter?: number;
  code?: number;
  signal?: string;
  /** The shell said "command not found". */
  notFound?: string;
  /** How long it takes to exit after the stop signal (default 0); Infinity = ignores it. */
  stopTakes?: number;
}

export interface FakeRun extends RunFacts {
  id: string;
  startedAt: number;
  alive: boolean;
  script: Script;
  exitTimer: TimerHandle | null;
  onExit: (run: FakeRun, code: number | null, signal: string | null) => void;
}

export class FakeProcesses implements ProcessPort<FakeRun> {
  private nextPid = 1000;
  /** Every spawn, in order, with its virtual time. */
  readonly spawns: { id: string; at: number; pid: number }[] = [];
  readonly stops: { id: string; at: number; signal: string }[] = [];
  readonly probes: { url: string; at: number }[] = [];
  readonly reaped: number[] = [];
  /** The script of the n-th spawn (0-based) of service id. */
  scripts = new Map<string, (n: number) => Script>();
  /** Probe answers by URL (or host:port), asked at probe time; absent = connection refused. */
  health = new Map<string, (at: number) => boolean>();
  takenPorts = new Set<number>();
  spawnErrors = new Map<string, string>();

  constructor(private readonly clock: VirtualClock) {}

  spawnCount(id: string): number {
    return this.spawns.filter((s) => s.id === id).length;
  }

  spawnTimes(id: string): number[] {
    return this.spawns.filter((s) => s.id === id).map((s) => s.at);
  }

  spawn(config: ServiceConfig, req: SpawnRequest<FakeRun>): FakeRun | { error: string } {
    const err = this.spawnErrors.get(config.id);
    if (err) return { error: err };
    const n = this.spawnCount(config.id);
    const script = this.scripts.get(config.id)?.(n) ?? {};
    const run: FakeRun = {
      id: config.id,
      pid: this.nextPid++,
      notFound: null,
      startedAt: this.clock.now(),
      alive: true,
      script,
      exitTimer: null,
      onExit: req.onExit,
    };
    this.spawns.push({ id: config.id, at: this.clock.now(), pid: run.pid });
    if (script.exitAfter !== undefined) {
      run.exitTimer = this.clock.setTimeout(() => {
        if (script.notFound) run.notFound = script.notFound;
        this.exit(run, script.signal ? null : (script.code ?? 0), script.signal ?? null);
      }, script.exitAfter);
    }
    return run;
  }

  /** The process ends (from a test: a crash at a chosen moment). */
  exit(run: FakeRun, code: number | null, signal: string | null): void {
    if (!run.alive) return;
    run.alive = false;
    this.clock.clearTimeout(run.exitTimer);
    run.onExit(run, code, signal);
  }

  stop(run: FakeRun, signal: NodeJS.Signals, timeoutMs: number): Promise<{ escalated: boolean }> {
    this.stops.push({ id: run.id, at: this.clock.now(), signal });
    return new Promise((resolve) => {
      if (!run.alive) return resolve({ escalated: false });
      const takes = signal === 'SIGKILL' ? 0 : (run.script.stopTakes ?? 0);
      const escalated = takes > timeoutMs;
      this.clock.setTimeout(
        () => {
          this.exit(run, null, escalated ? 'SIGKILL' : signal);
          resolve({ escalated });
        },
        escalated ? timeoutMs : takes,
      );
    });
  }

  probe(probe: HealthProbe): Promise<ProbeResult> {
    const key = probe.kind === 'http' ? probe.url : probe.kind === 'tcp' ? `${probe.host}:${probe.port}` : String(probe.command);
    this.probes.push({ url: key, at: this.clock.now() });
    const ok = this.health.get(key)?.(this.clock.now()) ?? false;
    return Promise.resolve(ok ? { ok: true, statusCode: 200, detail: 'HTTP 200' } : { ok: false, statusCode: 503, detail: 'HTTP 503' });
  }

  isPortFree(port: number): Promise<boolean> {
    return Promise.resolve(!this.takenPorts.has(port));
  }

  portHolders(port: number): ProcessRef[] {
    return this.takenPorts.has(port) ? [{ pid: 4242, command: 'other-server' }] : [];
  }

  reap(run: FakeRun): void {
    this.reaped.push(run.pid);
  }

  clearStrays(): Promise<void> {
    return Promise.resolve();
  }
}

/** A set of services from YAML, in virtual time: the Supervisor's wiring without the OS. */
export class World {
  readonly clock = new VirtualClock();
  readonly procs = new FakeProcesses(this.clock);
  readonly scheduler = new ProbeScheduler({ clock: this.clock, random: () => 0, coalesceMs: 0 });
  readonly services = new Map<string, Service<FakeRun>>();
  readonly events: SupervisorEvent[] = [];
  /** Each service's public states in order, with the virtual time each began: "120 running". */
  readonly states = new Map<string, string[]>();
  private readonly ctx: ServiceContext<FakeRun>;

  constructor(yaml: string) {
    const loaded = parseConfigText(yaml, '/virtual/hypha.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
    this.ctx = {
      clock: this.clock,
      port: this.procs,
      scheduler: this.scheduler,
      logsDir: null,
      baseEnv: {},
      home: null,
      changed: (s) => {
        const seen = this.states.get(s.id) ?? [];
        const last = seen[seen.length - 1];
        if (!last || last.split(' ')[1] !== s.state) seen.push(`${this.clock.now()} ${s.state}`);
        this.states.set(s.id, seen);
        for (const other of this.services.values()) {
          if (other !== s && other.phase === 'waiting' && other.config.dependsOn.some((d) => d.id === s.id)) other.checkDependencies();
        }
      },
      log: () => undefined,
      event: (e) => void this.events.push({ ...e }),
      dependencyWait: (s) => dependencyWait(s.config, (id) => this.services.get(id)),
      startDependency: (id) => {
        const d = this.services.get(id);
        if (d && d.state === 'stopped') d.start();
      },
      spawned: (s) => {
        for (const other of this.services.values()) {
          if (other !== s && other.state === 'running' && other.config.dependsOn.some((d) => d.id === s.id && d.restart)) other.dependencyRestarted(s.id);
        }
      },
      watched: () => false,
      resources: () => null,
    };
    for (const c of loaded.config.services) this.services.set(c.id, new Service<FakeRun>(c, this.ctx));
  }

  s(id: string): Service<FakeRun> {
    const s = this.services.get(id);
    if (!s) throw new Error(`no service ${id}`);
    return s;
  }

  /** The live fake run of a service. */
  run(id: string): FakeRun {
    const r = this.s(id).currentRun;
    if (!r) throw new Error(`${id} has no live run (state ${this.s(id).state})`);
    return r;
  }

  /** Events of one service as "t kind: message" lines. */
  timeline(id: string): string[] {
    return this.events.filter((e) => e.id === id).map((e) => `${Date.parse(e.ts)} ${e.kind}: ${e.message}`);
  }

  async dispose(): Promise<void> {
    for (const s of this.services.values()) {
      const p = s.dispose();
      await this.clock.advance(60_000);
      await p;
    }
    this.scheduler.dispose();
  }
}
