// A stand-in for the HyphaApi boundary in renderer component tests: the store and components
// under test are real; only the supervisor on the far side of the interface is scripted.
import type { ServiceConfig } from '../../main/contract/config.js';
import type { LogLine, OneshotRun, ServiceStatus, SupervisorEvent, SupervisorMessage } from '../../main/contract/status.js';
import type { Action, ConnectionInfo, ConnectionListener, HyphaApi, HyphaInfo, MessageListener } from '../../main/contract/api.js';

export function status(partial: Partial<ServiceStatus> & { id: string }): ServiceStatus {
  return {
    name: partial.id,
    type: 'daemon',
    status: 'online',
    state: 'running',
    health: 'none',
    statusCode: null,
    pid: 1000,
    port: null,
    autostart: true,
    restarts: 0,
    uptimeMs: 5_000,
    lastExit: null,
    lastError: null,
    cpu: 1.5,
    memoryBytes: 32 * 1024 * 1024,
    dependsOn: [],
    nextRunAt: null,
    containment: 'tree',
    strays: [],
    ...partial,
  };
}

export function settings(id: string): ServiceConfig {
  return {
    id,
    name: id,
    type: 'daemon',
    command: 'node server.mjs',
    cwd: '/srv/app',
    env: { PORT: '3000' },
    envFile: null,
    globalEnvFile: null,
    shell: null,
    user: null,
    log: { maxSizeBytes: 10 * 1024 * 1024, keep: 2, timestamps: true, file: null },
    maxMemoryBytes: null,
    readiness: null,
    reload: null,
    watch: null,
    port: 3000,
    replica: null,
    autostart: true,
    dependsOn: [{ id: 'db', condition: 'healthy', restart: false }],
    health: {
      probe: { kind: 'http', url: 'http://127.0.0.1:3000/health' },
      intervalMs: 10_000,
      timeoutMs: 2_000,
      retries: 3,
      startPeriodMs: 0,
      startIntervalMs: 250,
      restartOnUnhealthy: true,
    },
    restart: { policy: 'on-failure', delayMs: 1_000, maxDelayMs: 60_000, minUptimeMs: 5_000, maxRestarts: 10, windowMs: 300_000 },
    stop: { command: null, signal: 'SIGTERM', timeoutMs: 10_000 },
    match: null,
    strays: 'report',
    pidfile: null,
    schedule: null,
    timeoutMs: null,
    retries: 0,
    successExitCodes: [0],
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeApi {
  api: HyphaApi;
  services: ServiceStatus[];
  info: HyphaInfo;
  calls: { method: string; args: unknown[] }[];
  /** Replace to script a method's answer. */
  overrides: Partial<HyphaApi>;
  emit(message: SupervisorMessage): void;
  connection(info: ConnectionInfo): void;
  listenerCount(): number;
}

export function fakeApi(services: ServiceStatus[], extra: { lines?: LogLine[]; events?: SupervisorEvent[]; runs?: OneshotRun[] } = {}): FakeApi {
  const messageListeners = new Set<MessageListener>();
  const connectionListeners = new Set<ConnectionListener>();
  const fake: FakeApi = {
    services,
    info: { version: '0.1.0', configFile: '/home/me/hypha.yaml' },
    calls: [],
    overrides: {},
    emit: (message) => messageListeners.forEach((l) => l(message)),
    connection: (info) => connectionListeners.forEach((l) => l(info)),
    listenerCount: () => messageListeners.size,
    api: {
      list: () => record('list', [], () => fake.overrides.list?.() ?? Promise.resolve(fake.services)),
      info: () => record('info', [], () => fake.overrides.info?.() ?? Promise.resolve(fake.info)),
      act: (action: Action, id: string) =>
        record('act', [action, id], () => fake.overrides.act?.(action, id) ?? Promise.resolve(fake.services.filter((s) => id === 'all' || s.id === id))),
      stopStrays: (id) => record('stopStrays', [id], () => fake.overrides.stopStrays?.(id) ?? Promise.resolve([])),
      logs: (id, n) => record('logs', [id, n], () => fake.overrides.logs?.(id, n) ?? Promise.resolve(extra.lines ?? [])),
      events: (id) => record('events', [id], () => fake.overrides.events?.(id) ?? Promise.resolve(extra.events ?? [])),
      runs: (id) => record('runs', [id], () => fake.overrides.runs?.(id) ?? Promise.resolve(extra.runs ?? [])),
      settings: (id) => record('settings', [id], () => fake.overrides.settings?.(id) ?? Promise.resolve(settings(id))),
      subscribe(onMessage, onConnection) {
        messageListeners.add(onMessage);
        if (onConnection) connectionListeners.add(onConnection);
        onConnection?.({ state: 'open' });
        return () => {
          messageListeners.delete(onMessage);
          if (onConnection) connectionListeners.delete(onConnection);
        };
      },
    },
  };
  function record<T>(method: string, args: unknown[], run: () => Promise<T>): Promise<T> {
    fake.calls.push({ method, args });
    return run();
  }
  return fake;
}

/** A frame scheduler the test advances by hand, to see exactly what one frame applies. */
export function manualFrames(): { schedule: (flush: () => void) => void; run(): number; pending(): number } {
  let queue: (() => void)[] = [];
  return {
    schedule: (flush) => {
      queue.push(flush);
    },
    run() {
      const now = queue;
      queue = [];
      now.forEach((f) => f());
      return now.length;
    },
    pending: () => queue.length,
  };
}
