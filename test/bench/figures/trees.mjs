// Two tree figures on forker.mjs (12 processes; one calls setsid and ignores SIGTERM):
// - stop: how many of the 12 live on after the supervisor stops the service;
// - supervisor SIGKILL: how many of the first generation live on once the supervisor was
//   SIGKILLed and started again on the same config and home.
// Everything left over is SIGKILLed by pid (and start time) afterwards.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../lib/hypha.mjs';
import { aliveIdents, identify, killIdents, pollUntil } from '../lib/proc.mjs';
import { runDir } from '../lib/systems.mjs';

const STOP_TIMEOUT_MS = 1000;
/** After the stop timeout, what still lives is left for good: give it this long to go. */
const SETTLE_MS = STOP_TIMEOUT_MS + 3000;

function forker(dir) {
  const pidsFile = join(dir, 'data', 'pids.json');
  return {
    pidsFile,
    // PM2 hands node programs an IPC channel, and forker.mjs reports over IPC when it has one;
    // `env -u` drops it (and execs, so the pid stays) for every supervisor alike.
    service: { name: 'tree', argv: ['/usr/bin/env', '-u', 'NODE_CHANNEL_FD', process.execPath, join(FIXTURES, 'forker.mjs')], env: { PIDS_FILE: pidsFile }, autorestart: true, stopTimeoutMs: STOP_TIMEOUT_MS },
  };
}

async function readTree(pidsFile, notRoot = null) {
  const pids = await pollUntil(() => {
    if (!existsSync(pidsFile)) return null;
    const all = JSON.parse(readFileSync(pidsFile, 'utf8'));
    return all.length === 12 && all[0] !== notRoot ? all : null;
  }, 30_000);
  if (!pids) throw new Error('forker did not write its 12 pids');
  return pids.map(identify).filter(Boolean);
}

/** Processes of the 12-process tree left after `stop`. */
export async function leftAfterStop(system) {
  const dir = runDir(`tree-stop-${system.name}`);
  const { pidsFile, service } = forker(dir);
  const sys = await system.start({ dir, services: [service] });
  let tree = [];
  try {
    tree = await readTree(pidsFile);
    await sys.stopService('tree');
    await pollUntil(() => aliveIdents(tree).length === 0, SETTLE_MS, 50);
    return aliveIdents(tree).length;
  } finally {
    await sys.shutdown();
    killIdents(tree);
  }
}

/** First-generation processes alive after the supervisor is SIGKILLed and started again. */
export async function leftAfterSupervisorKill(system) {
  const dir = runDir(`tree-kill-${system.name}`);
  const { pidsFile, service } = forker(dir);
  const sys = await system.start({ dir, services: [service] });
  let first = [];
  let second = [];
  try {
    first = await readTree(pidsFile);
    const supervisor = identify(sys.pid);
    sys.killSupervisor();
    await pollUntil(() => supervisor && aliveIdents([supervisor]).length === 0, 10_000);
    rmSync(pidsFile, { force: true });
    await sys.launch();
    second = await readTree(pidsFile, first[0].pid);
    await pollUntil(() => aliveIdents(first).length === 0, SETTLE_MS, 50);
    return aliveIdents(first).length;
  } finally {
    await sys.shutdown();
    killIdents(first);
    killIdents(second);
  }
}
