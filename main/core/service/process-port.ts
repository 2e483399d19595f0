// What a service needs from the operating system, behind one interface: spawn a run, stop it,
// probe it, check its port, end its strays, reap what a crashed run left. The daemon wires the
// real one (below: thin wrappers over run/, health/ and process/, which own the OS work); unit
// tests wire a fake that "runs" processes in virtual time. Generic over the run handle so the
// fake need not build a real Run; the service only reads `pid` and `notFound`.
import type { HealthProbe, ServiceConfig } from '../../contract/config.js';
import type { Containment, ProcessRef } from '../../contract/status.js';
import type { ServiceLog } from '../logs/service-log.js';
import { runProbe, type ProbeResult } from '../health/probes.js';
import { findPortHolders, isPortFree } from '../process/ports.js';
import { killRun, spawnRun, type Run, type SpawnFailure } from '../run/run.js';

/** The facts of a run the state machine reads. */
export interface RunFacts {
  pid: number;
  /** Set (before the exit callback) when the run cannot work and must not be restarted. */
  notFound: string | null;
  /** How its processes are held (a cgroup, or the tracked tree); absent in fakes. */
  containment?: Containment;
}

export interface SpawnRequest<R> {
  baseEnv: NodeJS.ProcessEnv;
  home: string | null;
  log: ServiceLog;
  onExit(run: R, code: number | null, signal: string | null): void;
}

export interface ProcessPort<R extends RunFacts = Run> {
  spawn(config: ServiceConfig, req: SpawnRequest<R>): R | SpawnFailure;
  /** Stop signal, then SIGKILL after timeoutMs; resolves once the leader has exited. */
  stop(run: R, signal: NodeJS.Signals, timeoutMs: number): Promise<{ escalated: boolean }>;
  probe(probe: HealthProbe, timeoutMs: number, cwd: string, env: () => NodeJS.ProcessEnv): Promise<ProbeResult>;
  isPortFree(port: number): Promise<boolean>;
  portHolders(port: number): ProcessRef[];
  /** End whatever a run that exited on its own left behind. */
  reap(run: R): void;
  /** Before a service with `strays: stop` spawns: end the copies running outside Hypha. */
  clearStrays(serviceId: string): Promise<void>;
}

export function realProcessPort(hooks: { reap(run: Run): void; clearStrays(id: string): Promise<void> }): ProcessPort<Run> {
  return {
    spawn: (config, req) => spawnRun(config, req),
    stop: async (run, signal, timeoutMs) => {
      // A forced kill (a oneshot past its timeout) skips stop.command: the run is being ended, not asked.
      if (signal === 'SIGKILL') run.timedOut = true;
      // The run layer reads this: an exit the supervisor asked for is neither a daemonizing
      // program's early exit nor an unexplained end of a pidfile's process.
      run.requested = true;
      const result = await killRun(run, signal, timeoutMs);
      await run.exited;
      return { escalated: result.escalated };
    },
    probe: runProbe,
    isPortFree: (port) => isPortFree(port),
    portHolders: findPortHolders,
    reap: hooks.reap,
    clearStrays: hooks.clearStrays,
  };
}
