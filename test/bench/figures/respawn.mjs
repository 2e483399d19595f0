// Crash → respawn with restart delay 0: a bash fixture stamps its start and end ($EPOCHREALTIME);
// the gap from one run's end to the next run's start is the respawn time. Floor: a bare Node loop
// respawning the same fixture at once.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../lib/hypha.mjs';
import { pollUntil } from '../lib/proc.mjs';
import { percentile } from '../lib/stats.mjs';
import { runDir } from '../lib/systems.mjs';

const FIXTURE = join(FIXTURES, 'bench-stamp.sh');
const WARMUP = 10;

function gapsOf(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const runs = text
    .split('\n')
    .map((l) => l.trim().split(' ').slice(0, 2).map(Number))
    .filter((p) => p.length === 2 && p.every(Number.isFinite));
  const gaps = [];
  for (let i = 1; i < runs.length; i++) gaps.push((runs[i][0] - runs[i - 1][1]) * 1000);
  return gaps.slice(WARMUP);
}

const lineCount = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
};

function summary(gaps) {
  return { p50: percentile(gaps, 50), p99: percentile(gaps, 99), n: gaps.length, gaps };
}

/** Rounds pooled into one summary. */
export function pooled(results) {
  return summary(results.flatMap((r) => r.gaps));
}

export async function floor(cycles) {
  const dir = runDir('respawn-floor');
  const stamps = join(dir, 'data', 'stamps');
  await new Promise((resolve, reject) =>
    execFile(process.execPath, [join(import.meta.dirname, '..', 'lib', 'floor-respawn.mjs'), String(cycles + WARMUP + 1), '/bin/bash', FIXTURE], { env: { ...process.env, STAMP_FILE: stamps }, timeout: 120_000 }, (err) => (err ? reject(err) : resolve())),
  );
  return summary(gapsOf(stamps));
}

/** @param {{name: string, start: Function}} system */
export async function measure(system, cycles) {
  const dir = runDir(`respawn-${system.name}`);
  const stamps = join(dir, 'data', 'stamps');
  const sys = await system.start({
    dir,
    services: [{ name: 'crash', argv: ['/bin/bash', FIXTURE], env: { STAMP_FILE: stamps }, autorestart: true, stopTimeoutMs: 1000 }],
  });
  try {
    const perCycleMs = system.name === 'supervisord' ? 2500 : 50;
    await pollUntil(() => lineCount(stamps) >= cycles + WARMUP + 1, 30_000 + (cycles + WARMUP) * perCycleMs, 50);
  } finally {
    await sys.shutdown();
  }
  return summary(gapsOf(stamps));
}
