// Prometheus text exposition of the services' state (SPEC §3 /metrics).
import type { ServiceStatus } from '../contract/status.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

const families: { name: string; help: string; type: 'gauge' | 'counter'; value: (s: ServiceStatus) => number | null }[] = [
  { name: 'hypha_service_up', help: 'Whether the service is running (1) or not (0).', type: 'gauge', value: (s) => (s.state === 'running' ? 1 : 0) },
  { name: 'hypha_service_restarts_total', help: 'Automatic restarts since the supervisor started.', type: 'counter', value: (s) => s.restarts },
  { name: 'hypha_service_healthy', help: 'Whether the last health verdict was healthy (1), or not (0); absent without a probe.', type: 'gauge', value: (s) => (s.health === 'none' ? null : s.health === 'healthy' ? 1 : 0) },
  { name: 'hypha_service_cpu_percent', help: 'CPU use of the service process tree, percent of one core.', type: 'gauge', value: (s) => s.cpu },
  { name: 'hypha_service_memory_bytes', help: 'Resident memory of the service process tree.', type: 'gauge', value: (s) => s.memoryBytes },
];

export function renderMetrics(services: ServiceStatus[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of services) {
      const v = f.value(s);
      if (v !== null) out.push(`${f.name}{service="${label(s.id)}"} ${v}`);
    }
  }
  return out.join('\n') + '\n';
}
