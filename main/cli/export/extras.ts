// Settings of SPEC §7 that other parts of Hypha are adding to the normalized config (pidfile,
// stop.command, replicas, user, shell, success_exit_codes, readiness, health.start_interval).
// Exporters read them through this one view, so an export uses each as soon as the loader fills
// it in and stays correct (the setting is simply absent) before.
import type { Command, Dependency, HealthConfig, ServiceConfig } from '../../contract/config.js';

export interface Extras {
  pidfile: string | null;
  replicas: number;
  user: string | null;
  shell: string | null;
  successExitCodes: number[];
  stopCommand: Command | null;
  startIntervalMs: number | null;
  readiness: HealthConfig | null;
  /** readiness by a log line: no engine can watch for it, so exporters say so. */
  readinessLogLine: string | null;
}

interface MaybeExtras {
  pidfile?: string | null;
  replicas?: number;
  user?: string | null;
  shell?: string | null;
  successExitCodes?: number[];
  readiness?: (Partial<HealthConfig> & { probe?: HealthConfig['probe']; pattern?: string }) | null;
  stop: { command?: Command | null };
  health: { startIntervalMs?: number } | null;
}

export function extras(svc: ServiceConfig): Extras {
  const x = svc as unknown as MaybeExtras;
  const readiness = x.readiness && x.readiness.probe ? ({ startPeriodMs: 0, restartOnUnhealthy: false, ...x.readiness } as HealthConfig) : null;
  return {
    pidfile: x.pidfile ?? null,
    replicas: typeof x.replicas === 'number' && x.replicas > 0 ? x.replicas : 1,
    user: x.user ?? null,
    shell: x.shell ?? null,
    successExitCodes: Array.isArray(x.successExitCodes) ? x.successExitCodes : [0],
    stopCommand: x.stop.command ?? null,
    startIntervalMs: x.health?.startIntervalMs ?? null,
    readiness,
    readinessLogLine: typeof x.readiness?.pattern === 'string' ? x.readiness.pattern : null,
  };
}

/** `depends_on.<id>.restart: true` (compose's word): a restart of the dependency restarts this one. */
export function restartsWith(dep: Dependency): boolean {
  return (dep as Dependency & { restart?: boolean }).restart === true;
}

/** argv for a command: a string runs through the configured shell (default /bin/sh) with -c. */
export function argv(command: Command, shell: string | null): string[] {
  return typeof command === 'string' ? [shell ?? '/bin/sh', '-c', command] : [...command];
}
