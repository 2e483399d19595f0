// health.start_interval with real processes (issue 15, SPEC §7): a server that starts listening
// only when the test says so, with `interval: 1h`, is probed every start_interval (250 ms by
// default) until its first success, so it turns healthy without waiting out the hour; afterwards
// probes run every interval. The probe stamps each of its runs in a file, so the count is the
// witness: without start_interval the second probe would come an hour later.
// The exact times (healthy within start_interval of listening) are asserted in virtual time in
// test/unit/service-health.test.ts; here only behaviour, no latency bound.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function count(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('health.start_interval', () => {
  it('probes every start_interval until the first success, then every interval', async () => {
    const dir = tempDir('hypha-start-interval-');
    const port = await freePort();
    const probes = join(dir, 'probes');
    const go = join(dir, 'go');
    const server = `while [ ! -e ${q(go)} ]; do sleep 0.05; done; exec ${q(process.execPath)} ${q(join(FIXTURES, 'http-server.mjs'))}`;
    const probe = `echo p >> ${q(probes)}; exec 3<>/dev/tcp/127.0.0.1/${port}`;
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: ${q(server)}
    env: { PORT: "${port}" }
    health: { exec: [/bin/bash, -c, ${q(probe)}], interval: 1h, retries: 3 }
`,
      { dir },
    );
    daemons.push(d);
    // Several probes while the server is not listening: spaced by start_interval, not the hour.
    await waitFor(() => count(probes) >= 3, { message: 'three probes before the server listens' });
    writeFileSync(go, '');
    const healthy = await d.waitFor('web', (s) => s.health === 'healthy', 'healthy', 60_000);
    expect(healthy.restarts).toBe(0);
    const atHealthy = count(probes);
    expect(atHealthy).toBeGreaterThanOrEqual(4);
    const events = (await d.api<{ events: { kind: string }[] }>('GET', '/api/services/web/events')).body.events;
    expect(events.filter((e) => e.kind === 'healthy').length).toBe(1);
    expect(events.some((e) => e.kind === 'unhealthy')).toBe(false);
    // Then every hour: in the next 2 s no probe runs.
    await new Promise((r) => setTimeout(r, 2000));
    expect(count(probes)).toBe(atHealthy);
  });
});
