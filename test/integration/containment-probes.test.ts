// Exec health checks are contained like runs: what a probe command leaves running in the
// background (`(sleep N &); exit 0`) is ended when the probe answers, instead of one leaked
// process per interval. /proc is the witness (processes whose argv is exactly `sleep <N>`).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '../helpers/index.js';
import { startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function sleepers(seconds: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1') === `sleep\0${seconds}\0`) out.push(Number(name));
    } catch {
      // Gone.
    }
  }
  return out;
}

for (const env of [{}, { HYPHA_CGROUPS: '0' }] as Record<string, string>[]) {
  describe.skipIf(process.platform !== 'linux')(`exec probes${env.HYPHA_CGROUPS ? ' (tree fallback)' : ''}`, () => {
    it('leave nothing running in the background', async () => {
      const seconds = 100_000 + Math.floor(Math.random() * 50_000);
      const d = await startDaemon(
        `api: { port: 0 }
services:
  probed:
    command: "while :; do sleep 1; done"
    health: { exec: "(sleep ${seconds} &); exit 0", interval: 200ms, timeout: 5s }
`,
        { env },
      );
      daemons.push(d);
      try {
        await d.waitFor('probed', (x) => x.health === 'healthy', 'healthy');
        // Several probes later…
        await new Promise((r) => setTimeout(r, 2000));
        await d.cli(['stop', 'probed']);
        // …none of what they started is left (the old code left one per probe).
        await waitFor(() => (sleepers(seconds).length === 0 ? true : null), { timeoutMs: 10_000, message: `probe leftovers: ${sleepers(seconds)}` });
        expect(sleepers(seconds)).toEqual([]);
      } finally {
        for (const pid of sleepers(seconds)) process.kill(pid, 'SIGKILL');
      }
    });
  });
}
