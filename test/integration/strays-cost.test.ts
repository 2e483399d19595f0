// What the stray scan costs on a busy machine: 1000 real processes, 200 services each with a
// `match` and a `port`, one of them listened on. It proves the scan finds exactly the strays among
// many processes and prints what it cost; the cost is a figure for `npm run bench`, never asserted
// here (a shared 2-core machine at load 20 makes any bound either flaky or meaningless).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfigFile } from '../../main/core/config/load.js';
import { readProcessTable } from '../../main/core/process/proctable.js';
import { Supervisor } from '../../main/core/supervisor.js';
import { findPortHolders } from '../../main/core/process/ports.js';
import { childPidsDeep, fixturePath, fixtureReaper, freePort, removeTempDirs, tempDir, waitFor } from '../helpers/index.js';

const N = 1000;
const SERVICES = 200;

afterEach(async () => {
  await fixtureReaper.reapAll(15_000);
  removeTempDirs();
});

/** Runs `script` in a subshell that is orphaned at once, so nothing it starts is our child. */
async function spawnOrphaned(script: string, env: Record<string, string> = {}): Promise<number> {
  const child = spawn('/bin/sh', ['-c', `( ${script} ) >/dev/null 2>&1 & echo "pid=$!"`], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const pid = await waitFor(() => Number(/pid=(\d+)/.exec(out)?.[1] ?? 0), { message: 'the orphaned subshell pid' });
  fixtureReaper.add(pid);
  return pid;
}

it.runIf(process.platform === 'linux')(`one scan for ${SERVICES} services over ${N}+ processes`, async () => {
  const sleepers = await spawnOrphaned(`i=0; while [ $i -lt ${N} ]; do sleep $((600 + i)) & i=$((i + 1)); done; wait`);
  await waitFor(() => childPidsDeep(sleepers).length >= N, { timeoutMs: 30_000, message: `${N} sleepers` });
  const dir = tempDir('hypha-cost-');
  const basePort = ((await freePort()) % 30_000) + 20_000;
  const heldPort = basePort + 1;
  const holderShell = await spawnOrphaned(`exec ${JSON.stringify(process.execPath)} ${JSON.stringify(fixturePath('port-holder.mjs'))}`, { PORT: String(heldPort) });
  await waitFor(() => findPortHolders(heldPort).length > 0, { message: 'the port holder to listen' });
  const holder = { pid: holderShell };
  const services = Array.from({ length: SERVICES }, (_, i) => {
    // Service 0 has five real strays (sleep 600 … 604); the rest match nothing.
    const match = i === 0 ? '^sleep 60[0-4]$' : `service-${i}-never\\.bin`;
    return `  svc-${i}:\n    command: ["sleep", "1"]\n    autostart: false\n    port: ${basePort + i}\n    match: ${JSON.stringify(match)}\n`;
  });
  const file = join(dir, 'hypha.yaml');
  writeFileSync(file, `api: { port: 0 }\nservices:\n${services.join('')}`);
  const loaded = loadConfigFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const sup = new Supervisor(loaded.config, { home: join(dir, 'home'), logsDir: null, version: 'test', loadConfig: () => loadConfigFile(file) });
  try {
    const table = readProcessTable();
    const processes = table.length;
    // Steady state is what matters every 30 s: processes past the match cache's settling time.
    const newest = Math.max(...table.filter((p) => p.ppid === sleepers).map((p) => p.startedAtMs));
    await waitFor(() => Date.now() - newest > 2500, { timeoutMs: 10_000, message: 'the sleepers to settle' });
    await sup.strayWatch.scanNow();
    const cold = sup.strayWatch.lastScanMs;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sup.strayWatch.scanNow();
      warm.push(sup.strayWatch.lastScanMs);
    }
    warm.sort((a, b) => a - b);
    const median = warm[2] ?? 0;
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      readProcessTable();
      reads.push(performance.now() - t0);
    }
    reads.sort((a, b) => a - b);
    console.log(
      `stray scan: ${SERVICES} services (each with match and port), ${processes} processes: ` +
        `first scan ${cold.toFixed(1)} ms (reads every command line and fd), then ${median.toFixed(1)} ms (median of 5), ` +
        `of which reading the process table alone ${(reads[2] ?? 0).toFixed(1)} ms`,
    );
    expect(sup.service('svc-0').strays.map((s) => s.command).sort()).toEqual(['sleep 600', 'sleep 601', 'sleep 602', 'sleep 603', 'sleep 604']);
    expect(sup.service('svc-1').strays.map((s) => [s.pid, s.reason])).toEqual([[holder.pid, 'port']]);
  } finally {
    await sup.dispose();
  }
});
