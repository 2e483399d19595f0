// A Hypha probe as a command a container can run, for compose healthchecks and Kubernetes exec
// probes: exec probes as they are; http and tcp probes through a small tool the image must have
// (curl, nc), which the export says in a comment.
import type { HealthProbe } from '../../contract/config.js';

export type ProbeCommand = { test: string[]; needs: string | null };

export function probeCommand(probe: HealthProbe, timeoutMs: number): ProbeCommand {
  switch (probe.kind) {
    case 'exec':
      return typeof probe.command === 'string'
        ? { test: ['CMD-SHELL', probe.command], needs: null }
        : { test: ['CMD', ...probe.command], needs: null };
    case 'http':
      return { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', '--max-time', String(Math.max(1, Math.ceil(timeoutMs / 1000))), probe.url], needs: 'curl' };
    case 'tcp':
      return { test: ['CMD', 'nc', '-z', probe.host, String(probe.port)], needs: 'nc' };
  }
}
