// Supervisor RSS with 50 idle services (`sleep 3600`), read from /proc/<pid>/status once all run
// and the supervisor has settled (median of samples over a few seconds). Floor: a bare Node
// process holding 50 piped children.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pollUntil, rssMb, sleep } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';
import { runDir } from '../lib/systems.mjs';

const N = 50;
const SETTLE_MS = 5000;

async function sampleRss(pid) {
  await sleep(SETTLE_MS);
  const samples = [];
  for (let i = 0; i < 6; i++) {
    samples.push(rssMb(pid));
    await sleep(500);
  }
  return median(samples);
}

export async function floor() {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'lib', 'floor-idle.mjs'), String(N)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  await pollUntil(() => out.includes('ready'), 20_000);
  try {
    return await sampleRss(child.pid);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function measure(system) {
  const dir = runDir(`idle-${system.name}`);
  const services = Array.from({ length: N }, (_, i) => ({ name: `idle-${i}`, argv: ['/bin/sleep', '3600'], autorestart: true, stopTimeoutMs: 1000 }));
  const sys = await system.start({ dir, services });
  try {
    if (system.name === 'Hypha') {
      const ok = await pollUntil(async () => (await sys.daemon.list()).every((s) => s.state === 'running'), 30_000, 100);
      if (!ok) throw new Error('not every idle service reached running');
    }
    return await sampleRss(sys.pid);
  } finally {
    await sys.shutdown();
  }
}
