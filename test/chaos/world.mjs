// The chaos run's world: 20 services of mixed kinds and the hypha.yaml that describes them. The
// config is regenerated from this model on every reload act (a generation number in a service's
// env changes it; an extra service comes and goes), and written atomically.
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, nodeFixture, q, yamlArray } from '../bench/lib/hypha.mjs';

/**
 * @typedef {'web' | 'crash' | 'tree' | 'shtree' | 'job' | 'extra' | 'zloop' | 'redis' | 'pidd'} Kind
 * @typedef {{id: string, kind: Kind, maxRestarts: number | null, delayMs: number, stopTimeoutMs: number, gen: number, port?: number, flag?: string, stamps?: string, pidfile?: string}} ChaosService
 */

/**
 * @param {{dataDir: string, ports: number[]}} o
 * @returns {ChaosService[]}
 */
export function createServices(o) {
  /** @type {ChaosService[]} */
  const out = [];
  for (let i = 0; i < 5; i++) {
    out.push({ id: `web-${i}`, kind: 'web', maxRestarts: 20, delayMs: 100, stopTimeoutMs: 2000, gen: 0, port: o.ports[i], flag: join(o.dataDir, `sick-web-${i}`) });
  }
  for (let i = 0; i < 5; i++) {
    out.push({ id: `crash-${i}`, kind: 'crash', maxRestarts: 3, delayMs: 200, stopTimeoutMs: 1000, gen: 0, stamps: join(o.dataDir, `stamps-crash-${i}`) });
  }
  for (let i = 0; i < 2; i++) out.push({ id: `tree-${i}`, kind: 'tree', maxRestarts: 20, delayMs: 200, stopTimeoutMs: 500, gen: 0 });
  for (let i = 0; i < 3; i++) out.push({ id: `shtree-${i}`, kind: 'shtree', maxRestarts: 20, delayMs: 200, stopTimeoutMs: 500, gen: 0 });
  for (let i = 0; i < 5; i++) out.push({ id: `job-${i}`, kind: 'job', maxRestarts: null, delayMs: 200, stopTimeoutMs: 1000, gen: 0 });
  // Real software: a redis in the foreground (the demo daemon where redis-server is missing), and a
  // program that forks into the background, supervised through its pidfile.
  if (o.ports[5] !== undefined) out.push({ id: 'redis', kind: 'redis', maxRestarts: 20, delayMs: 200, stopTimeoutMs: 2000, gen: 0, port: o.ports[5] });
  out.push({ id: 'pidd', kind: 'pidd', maxRestarts: 20, delayMs: 200, stopTimeoutMs: 1000, gen: 0, pidfile: join(o.dataDir, 'pidd.pid') });
  return out;
}

/** The `extra` service that reloads add and remove. */
export function extraService() {
  return { id: 'extra', kind: 'extra', maxRestarts: 20, delayMs: 100, stopTimeoutMs: 1000, gen: 0 };
}

/**
 * The `zloop` service that the "delay-0 crash loop" act adds and removes: it exits 1 after 0.1 s
 * and is respawned with no delay at all (issue 18 item 1: this once froze the daemon).
 */
export function zeroDelayLooper() {
  return { id: 'zloop', kind: 'zloop', maxRestarts: null, delayMs: 0, stopTimeoutMs: 1000, gen: 0 };
}

/** @param {ChaosService} s */
function serviceYaml(s, dataDir) {
  const restart = (policy) => `restart: { policy: ${policy}, delay: ${s.delayMs}ms, max_delay: 2s, min_uptime: 10s, max_restarts: ${s.maxRestarts ?? 0}, window: 1h }`;
  const common = [`stop: { timeout: ${s.stopTimeoutMs}ms }`];
  const env = (vars) => `env: { ${Object.entries({ ...vars, GEN: String(s.gen) }).map(([k, v]) => `${k}: ${q(v)}`).join(', ')} }`;
  switch (s.kind) {
    case 'web':
      return [
        `command: ${nodeFixture('http-server.mjs')}`,
        env({ PORT: String(s.port), HEALTH_FLAG: s.flag }),
        `port: ${s.port}`,
        `health: { http: "http://127.0.0.1:${s.port}/health", interval: 300ms, timeout: 1s, retries: 2 }`,
        restart('always'),
        ...common,
      ];
    case 'crash': {
      const n = Number(s.id.split('-')[1]);
      return [`command: ${yamlArray(['/bin/bash', join(FIXTURES, 'bench-stamp.sh')])}`, env({ STAMP_FILE: s.stamps, AFTER_S: (0.3 + 0.3 * n).toFixed(1) }), restart('on-failure'), ...common];
    }
    case 'tree':
      return [`command: ${nodeFixture('forker.mjs')}`, env({ PIDS_FILE: join(dataDir, `pids-${s.id}.json`) }), restart('always'), ...common];
    case 'shtree':
      return [`command: ${yamlArray(['/bin/sh', join(FIXTURES, 'bench-tree.sh')])}`, env({}), restart('always'), ...common];
    case 'job': {
      const n = Number(s.id.split('-')[1]);
      return [
        'type: oneshot',
        `command: ${nodeFixture('oneshot.mjs')}`,
        env({ SLEEP_MS: String(100 + 150 * n), EXIT_CODE: n === 4 ? '3' : '0' }),
        `schedule: ${n % 2 === 0 ? '1s' : '2s'}`,
        `autostart: ${n < 3 ? 'true' : 'false'}`,
        'timeout: 5s',
        `retries: ${n === 4 ? 1 : 0}`,
        ...common,
      ];
    }
    case 'redis':
      return hasRedis()
        ? [`command: ${yamlArray(['redis-server', '--port', String(s.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'])}`, env({}), `port: ${s.port}`, restart('always'), ...common]
        : [`command: ${nodeFixture('http-server.mjs')}`, env({ PORT: String(s.port) }), `port: ${s.port}`, restart('always'), ...common];
    case 'pidd':
      return [`command: ${yamlArray(['/bin/sh', join(FIXTURES, 'daemonize.sh')])}`, env({ PID_FILE: s.pidfile }), `pidfile: ${q(s.pidfile)}`, restart('always'), ...common];
    case 'extra':
      return [`command: ${yamlArray(['/bin/sleep', '3600'])}`, env({}), restart('always'), ...common];
    case 'zloop':
      return [
        `command: ${yamlArray(['/bin/sh', '-c', 'sleep 0.1; exit 1'])}`,
        env({}),
        'restart: { policy: always, delay: 0s, max_delay: 0s, max_restarts: 100000, window: 1h }',
        ...common,
      ];
    default:
      throw new Error(`unknown kind ${s.kind}`);
  }
}

let redisHere = null;
function hasRedis() {
  if (redisHere === null) {
    try {
      execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
      redisHere = true;
    } catch {
      redisHere = false;
    }
  }
  return redisHere;
}

/** @param {ChaosService[]} services */
export function configYaml(services, dataDir) {
  const lines = ['api: { port: 0 }', 'services:'];
  for (const s of services) lines.push(`  ${s.id}:`, ...serviceYaml(s, dataDir).map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}

/** Writes the config so the daemon's file watcher never reads it half-written. */
export function writeConfig(file, services, dataDir) {
  writeFileSync(`${file}.tmp`, configYaml(services, dataDir));
  renameSync(`${file}.tmp`, file);
}
