// GET /api/services/status with 500 services: p50/p99 of sequential round trips over one
// keep-alive connection, after a warm-up. Floor: a bare Node server answering the same JSON.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../lib/http.mjs';
import { pollUntil } from '../lib/proc.mjs';
import { percentile } from '../lib/stats.mjs';
import { runDir, startHyphaSystem } from '../lib/systems.mjs';

const N = 500;
const REQUESTS = 500;
const WARMUP = 50;

async function time(url, headers) {
  const times = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const r = await request(`${url}/api/services/status`, { headers });
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    if (i >= WARMUP) times.push(r.ms);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), bytes: 0 };
}

/** Measures Hypha, then the floor on the statuses Hypha answered. */
export async function measureWithFloor() {
  const dir = runDir('status-Hypha');
  const services = Array.from({ length: N }, (_, i) => ({ name: `svc-${i}`, argv: ['/bin/sleep', '3600'], autorestart: true, stopTimeoutMs: 1000 }));
  const sys = await startHyphaSystem({ dir, services });
  let hypha;
  let statuses;
  try {
    const ok = await pollUntil(async () => (await sys.daemon.list()).every((s) => s.state === 'running'), 60_000, 200);
    if (!ok) throw new Error('not every service reached running');
    await new Promise((r) => setTimeout(r, 2000));
    statuses = await sys.daemon.list();
    hypha = await time(sys.daemon.url, { authorization: `Bearer ${sys.daemon.token}` });
  } finally {
    await sys.shutdown();
  }
  const statusFile = join(dir, 'data', 'status.json');
  writeFileSync(statusFile, JSON.stringify(statuses));
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'lib', 'floor-status.mjs')], { env: { ...process.env, STATUS_FILE: statusFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  try {
    const url = await pollUntil(() => /url=(\S+)/.exec(out)?.[1], 20_000);
    return { hypha, floor: await time(url, {}) };
  } finally {
    child.kill('SIGKILL');
  }
}
