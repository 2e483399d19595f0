// process-compose and Kubernetes-style probes (exec / http_get, period_seconds, failure_threshold
// …) → a hypha.yaml health (or readiness) block. Shared by the process-compose importer; compose
// healthchecks have their own shape and are mapped in compose.ts.
import { type Mapping, type Raw, type ServiceDraft, isRecord } from './mapping.js';
import { durationFromMs } from './values.js';

/** The probe block, or null (and comments) when the probe has no form Hypha can run. */
export function probeBlock(probe: Raw, option: string, s: ServiceDraft, m: Mapping): Raw | null {
  const out: Raw = {};
  const exec = isRecord(probe.exec) ? probe.exec : null;
  const http = isRecord(probe.http_get) ? probe.http_get : null;
  if (exec && typeof exec.command === 'string') {
    out.exec = exec.command;
    if (exec.working_dir !== undefined) m.skip(s, `${option}.exec.working_dir`, exec.working_dir, 'probes run in the service cwd');
  } else if (http) {
    const scheme = typeof http.scheme === 'string' ? http.scheme.toLowerCase() : 'http';
    const host = typeof http.host === 'string' && http.host !== '' ? http.host : '127.0.0.1';
    const port = http.port ?? http.num_port;
    const path = typeof http.path === 'string' ? (http.path.startsWith('/') ? http.path : `/${http.path}`) : '/';
    out.http = `${scheme}://${host}${port !== undefined ? `:${String(port)}` : ''}${path}`;
    for (const k of ['headers', 'status_code']) if (http[k] !== undefined) m.skip(s, `${option}.http_get.${k}`, http[k], 'Hypha probes with a plain GET and takes any 2xx');
  } else {
    m.skip(s, option, probe, 'neither exec.command nor http_get');
    return null;
  }
  const seconds = (k: string, to: string): void => {
    const v = probe[k];
    if (typeof v === 'number' && v > 0) out[to] = durationFromMs(v * 1000);
  };
  seconds('period_seconds', 'interval');
  seconds('timeout_seconds', 'timeout');
  seconds('initial_delay_seconds', 'start_period');
  if (typeof probe.failure_threshold === 'number' && probe.failure_threshold >= 1) out.retries = probe.failure_threshold;
  if (typeof probe.success_threshold === 'number' && probe.success_threshold > 1) {
    m.skip(s, `${option}.success_threshold`, probe.success_threshold, 'one success makes a service healthy in Hypha');
  }
  return out;
}
