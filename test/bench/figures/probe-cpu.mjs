// CPU of the daemon with 200 services HTTP-probed every second, over a measuring window once all
// are healthy: CPU from /proc/<pid>/stat; event-loop lag from outside, as the p99 of /api/ping
// round trips timed every 50 ms in the same window (the daemon exposes no lag figure). The probe
// targets are one fixture process serving /health on 200 ports. Floor: a bare Node process
// probing the same ports on the same schedule and answering ping.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../lib/hypha.mjs';
import { pingTimes } from '../lib/http.mjs';
import { cpuSeconds, pollUntil } from '../lib/proc.mjs';
import { percentile } from '../lib/stats.mjs';
import { hyphaYaml, runDir, startHyphaSystem } from '../lib/systems.mjs';
import { readFileSync } from 'node:fs';

const N = 200;
const WINDOW_MS = 20_000;

async function targets(dir) {
  const portsFile = join(dir, 'data', 'ports.json');
  const child = spawn(process.execPath, [join(FIXTURES, 'bench-http-ports.mjs')], { env: { ...process.env, COUNT: String(N), PORTS_FILE: portsFile }, stdio: 'ignore' });
  const ok = await pollUntil(() => existsSync(portsFile), 30_000);
  if (!ok) throw new Error('probe targets did not come up');
  return { child, portsFile, ports: JSON.parse(readFileSync(portsFile, 'utf8')) };
}

async function window(pid, url) {
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  const pings = await pingTimes(url, WINDOW_MS, 50);
  const cpu = ((cpuSeconds(pid) - cpu0) / ((Date.now() - t0) / 1000)) * 100;
  return { cpuPercent: cpu, lagP99: percentile(pings, 99), pingP50: percentile(pings, 50) };
}

export async function floor() {
  const dir = runDir('probe-floor');
  const t = await targets(dir);
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'lib', 'floor-probe.mjs')], { env: { ...process.env, PORTS_FILE: t.portsFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  try {
    const url = await pollUntil(() => /url=(\S+)/.exec(out)?.[1], 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    return await window(child.pid, url);
  } finally {
    child.kill('SIGKILL');
    t.child.kill('SIGKILL');
  }
}

export async function measure() {
  const dir = runDir('probe-Hypha');
  const t = await targets(dir);
  const services = t.ports.map((port, i) => ({ name: `web-${i}`, argv: ['/bin/sleep', '3600'], autorestart: true, stopTimeoutMs: 1000, port }));
  const yaml = hyphaYaml(services, { extra: (s) => [`health: { http: "http://127.0.0.1:${s.port}/health", interval: 1s, timeout: 2s }`] });
  const sys = await startHyphaSystem({ dir, services, yaml });
  try {
    const ok = await pollUntil(async () => (await sys.daemon.list()).every((s) => s.health === 'healthy'), 60_000, 200);
    if (!ok) throw new Error('not every probed service became healthy');
    await new Promise((r) => setTimeout(r, 3000));
    return await window(sys.pid, sys.daemon.url);
  } finally {
    await sys.shutdown();
    t.child.kill('SIGKILL');
  }
}
