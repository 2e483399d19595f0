// A few minutes of CPU and memory per service, for the sparklines. Sampled on a steady clock
// rather than per status message, so the x axis is time whatever the daemon's event rate.
// Only measured values count: a stopped service or a not-yet-measured one adds no point.
import type { ServiceStatus } from '../../../main/contract/status.js';

export const SAMPLE_EVERY_MS = 3_000;
export const SAMPLES_KEPT = 60; // 3 minutes

export interface MetricHistory {
  cpu: number[];
  memory: number[];
}

export function appendSample(previous: MetricHistory | undefined, status: ServiceStatus): MetricHistory {
  const history = previous ?? { cpu: [], memory: [] };
  if (status.pid === null) return history;
  const keep = (values: number[], next: number | null): number[] => {
    if (next === null) return values;
    const out = values.length >= SAMPLES_KEPT ? values.slice(values.length - SAMPLES_KEPT + 1) : values.slice();
    out.push(next);
    return out;
  };
    // A fresh run's first sample can read 0 bytes (not measured yet): that is not a point.
  const memory = status.memoryBytes !== null && status.memoryBytes > 0 ? status.memoryBytes : null;
  return { cpu: keep(history.cpu, status.cpu), memory: keep(history.memory, memory) };
}
