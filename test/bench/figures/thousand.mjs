// 1000 idle services under one daemon (issue 18 item 9): time until all run, idle RSS, time for
// `hypha stop all` (the CLI's own wait, until every service is stopped) and peak RSS meanwhile,
// then start them again and time a SIGTERM shutdown. Figures only; correctness (stop all answers
// and finishes, nothing left) is also checked here, since a frozen API makes every figure moot.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { BIN, startHyphaDaemon, waitServices } from '../lib/hypha.mjs';
import { hwmMb, processesOfHome, rssMb, sleep } from '../lib/proc.mjs';
import { runDir } from '../lib/systems.mjs';

export const N = 1000;

function yaml(n) {
  let y = 'api: { port: 0 }\nservices:\n';
  for (let i = 0; i < n; i++) y += `  s${i}:\n    command: ["/bin/sleep", "3600"]\n    stop: { timeout: 5s }\n`;
  return y;
}

function cli(args, home) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(BIN, args, { env: { ...process.env, HYPHA_HOME: home }, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, ms: performance.now() - t0, out: `${stdout}${stderr}` });
    });
  });
}

/** @returns {Promise<{startS: number, idleRssMb: number, stopAllS: number, stopAllPeakRssMb: number, shutdownS: number}>} */
export async function measure(n = N) {
  const dir = runDir('thousand');
  const home = join(dir, 'home');
  const t0 = performance.now();
  const d = await startHyphaDaemon({ dir, home, yaml: yaml(n), timeoutMs: 120_000 });
  try {
    if (!(await waitServices(d, (s) => s.state === 'running', 300_000, 500))) throw new Error('not every service reached running');
    const startS = (performance.now() - t0) / 1000;
    await sleep(5000);
    const idleRssMb = rssMb(d.pid);
    const stop = await cli(['stop', 'all'], home);
    if (stop.code !== 0) throw new Error(`hypha stop all exited ${stop.code}: ${stop.out.slice(-300)}`);
    const stopAllPeakRssMb = hwmMb(d.pid);
    if (!(await waitServices(d, (s) => s.state === 'stopped', 120_000, 500))) throw new Error('stop all did not finish');
    const start = await cli(['start', 'all'], home);
    if (start.code !== 0) throw new Error(`hypha start all exited ${start.code}: ${start.out.slice(-300)}`);
    const t1 = performance.now();
    const exit = await d.stop(300_000);
    const shutdownS = (performance.now() - t1) / 1000;
    if (exit.code !== 0) throw new Error(`SIGTERM shutdown exited ${JSON.stringify(exit)}`);
    const left = processesOfHome(home);
    if (left.length > 0) throw new Error(`${left.length} processes left after shutdown`);
    return { startS, idleRssMb, stopAllS: stop.ms / 1000, stopAllPeakRssMb, shutdownS };
  } finally {
    await d.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure(Number(process.argv[2] ?? N));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
