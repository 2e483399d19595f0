// One shared sampler gives each service's tree CPU and memory, in the status and in /metrics.
import { expect, it } from 'vitest';
import { useDaemons, q, startDaemon } from '../helpers/daemon.js';

const daemons = useDaemons();

it('reports CPU and memory of a busy service tree and zero-ish for an idle one', async () => {
  const d = await startDaemon(`api: { port: 0 }
services:
  busy:
    command: [${q(process.execPath)}, "-e", "for(;;){}"]
  idle:
    command: [${q(process.execPath)}, "-e", "setInterval(()=>{}, 1e6)"]
`);
  daemons.push(d);
  const busy = await d.waitFor('busy', (s) => (s.cpu ?? 0) > 20, 'cpu above 20%', 20_000);
  expect(busy.memoryBytes ?? 0).toBeGreaterThan(5 * 1024 * 1024);
  const idle = await d.waitFor('idle', (s) => s.cpu !== null, 'a sample');
  expect(idle.cpu ?? 100).toBeLessThan(20);
  const metrics = await d.api<string>('GET', '/metrics');
  expect(metrics.body).toMatch(/hypha_service_cpu_percent\{service="busy"\} \d/);
  expect(metrics.body).toMatch(/hypha_service_memory_bytes\{service="idle"\} [1-9]\d+/);
  await d.api('POST', '/api/services/busy/stop');
  const stopped = await d.waitFor('busy', (s) => s.state === 'stopped', 'stopped');
  expect(stopped.cpu).toBeNull();
  expect(stopped.memoryBytes).toBeNull();
});
