// `hypha import` on hand-written fixtures of each tool: the converted file validates as a
// hypha.yaml, the options that map land on the right keys, and every option that does not map is
// a comment in the file (and a warning line) with its reason — nothing silently dropped. PM2's .js
// evaluation runs a child process and is proven in test/integration/import-run.test.ts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../../main/core/config/load.js';
import { importFile } from '../../main/cli/import/index.js';
import { Mapping } from '../../main/cli/import/mapping.js';
import { importPm2 } from '../../main/cli/import/pm2.js';
import { importProcfile } from '../../main/cli/import/procfile.js';
import { renderYaml, warnings, mappingTable } from '../../main/cli/import/render.js';
import { hasServiceKey } from '../../main/cli/import/schema-keys.js';
import type { HyphaConfig } from '../../main/contract/config.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');

type Services = Record<string, Record<string, unknown>>;

function converted(m: Mapping, source: string): { text: string; config: HyphaConfig; services: Services } {
  const text = renderYaml(m, source);
  const r = parseConfigText(text, join(dirname(source), 'hypha.yaml'));
  if (!r.ok) throw new Error(`converted file does not validate:\n${r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n')}\n${text}`);
  return { text, config: r.config, services: (parse(text) as { services: Services }).services };
}

async function convert(rel: string): Promise<{ m: Mapping; text: string; config: HyphaConfig; services: Services }> {
  const file = join(DIR, rel);
  const m = await importFile(file);
  return { m, ...converted(m, file) };
}

/** Every unmapped row is a comment line in the output and a warning line. */
function expectNothingDropped(m: Mapping, text: string): void {
  const unmapped = m.rows.filter((r) => r.key === null);
  const lines = warnings(m);
  for (const r of unmapped) {
    expect(text).toContain(`${r.option}: `);
    expect(text).toContain(r.note);
    expect(lines.some((l) => l.includes(`${r.option} not mapped — ${r.note}`))).toBe(true);
  }
}

describe('process-compose', () => {
  it('maps probes, depends_on conditions, availability and shutdown; comments the rest', async () => {
    const { m, text, config, services } = await convert('process-compose/process-compose.yaml');
    expect(Object.keys(services)).toEqual(['migrate', 'db', 'api', 'workers', 'reporter']);
    expect(services.migrate).toMatchObject({ type: 'oneshot', command: 'node ../app/job.mjs' });
    // readiness only → a health check that never restarts (until readiness lands)
    if (!hasServiceKey('readiness')) {
      expect(services.db?.health).toEqual({ http: 'http://127.0.0.1:41011/health', interval: '1s', timeout: '1s', start_period: '1s', retries: 5, restart_on_unhealthy: false });
    }
    expect(services.db?.stop).toMatchObject({ signal: 'SIGTERM', timeout: '5s' });
    expect(services.api?.depends_on).toEqual({ db: { condition: 'healthy' }, migrate: { condition: expect.stringMatching(/^completed/) } });
    expect(services.api?.health).toMatchObject({ exec: 'node ../app/check.mjs 41012', interval: '2s', retries: 3, start_period: '1s' });
    expect(services.api?.restart).toEqual({ policy: 'on-failure', delay: '2s', max_delay: '2s', max_restarts: 5 });
    expect(services.workers?.stop).toEqual({ signal: 'SIGINT', timeout: '3s' });
    expect(services.reporter?.autostart).toBe(false);
    expect(config.services.find((s) => s.id === 'db')?.env).toEqual({ GLOBAL_ENV: 'from-top', PORT: '41011' });
    if (!hasServiceKey('replicas')) expect(text).toMatch(/replicas: 2 — not supported by this Hypha yet/);
    if (!hasServiceKey('stop.command')) expect(text).toMatch(/shutdown.command: "echo stopping db" — not supported by this Hypha yet/);
    expect(text).toMatch(/namespace: "background" — no Hypha equivalent/);
    expect(text).toMatch(/log_location: .* — Hypha keeps logs/);
    expectNothingDropped(m, text);
  });

  it('prints a mapping table with every source option', async () => {
    const m = await importFile(join(DIR, 'process-compose/process-compose.yaml'));
    const table = mappingTable(m.rows).split('\n');
    expect(table[0]?.split(/\s{2,}/)).toEqual(['SERVICE', 'SOURCE OPTION', 'HYPHA KEY', 'NOTE']);
    expect(table.some((l) => /^api\s+availability\.backoff_seconds\s+restart\.delay/.test(l))).toBe(true);
    expect(table.some((l) => /^workers\s+namespace\s+- \(comment\)\s+no Hypha equivalent/.test(l))).toBe(true);
    expect(table).toHaveLength(m.rows.length + 1);
  });
});

describe('PM2', () => {
  it('maps an ecosystem object: command, env, profiles, restart words, kill_timeout; comments watch, instances, cron_restart', () => {
    const m = new Mapping('pm2');
    importPm2(
      {
        apps: [
          { name: 'api', script: 'server.js', instances: 4, exec_mode: 'cluster', watch: true, ignore_watch: ['node_modules'], max_memory_restart: '300M', env: { PORT: 3000, DEBUG: true }, env_production: { NODE_ENV: 'production' }, restart_delay: 4000, kill_timeout: 1600 },
          { name: 'My Worker', script: 'worker.py', args: '--queue "high prio"', cron_restart: '0 0 * * *', autorestart: false, max_restarts: 3, min_uptime: 2000 },
          { script: 'bin/run', args: 'a | b' },
        ],
      },
      m,
    );
    const { text, services } = converted(m, '/proj/ecosystem.config.js');
    expect(services.api).toMatchObject({ command: ['node', 'server.js'], env: { PORT: '3000', DEBUG: 'true' }, restart: { policy: 'always', delay: '4s', max_delay: '4s' }, stop: { timeout: '1600ms' } });
    expect(services['my-worker']).toMatchObject({ name: 'My Worker', command: ['python3', 'worker.py', '--queue', 'high prio'], restart: { policy: 'never', max_restarts: 3, min_uptime: '2s' } });
    expect(services.run).toMatchObject({ command: 'bin/run a | b' });
    expect(services.api).toMatchObject({ env_production: { NODE_ENV: 'production' } });
    expect(text).toMatch(/cron_restart: "0 0 \* \* \*" — Hypha schedules oneshots/);
    expect(text).toMatch(/exec_mode: "cluster" — cluster mode shares one port/);
    if (!hasServiceKey('watch')) expect(text).toMatch(/watch: true — not supported by this Hypha yet \(watch\)/);
    if (!hasServiceKey('max_memory')) expect(text).toMatch(/max_memory_restart: "300M" — not supported by this Hypha yet/);
    expectNothingDropped(m, text);
  });

  it('reads ecosystem.json', async () => {
    const { m, text, services } = await convert('pm2-esm/ecosystem.json');
    expect(services.jsonapp).toMatchObject({ command: ['node', '--max-old-space-size=128', '../app/worker.mjs'], stop: { timeout: '1500ms' } });
    expectNothingDropped(m, text);
  });
});

describe('Procfile', () => {
  it('turns three lines into three shell-command daemons', async () => {
    const { m, text, services } = await convert('procfile/Procfile');
    expect(Object.keys(services)).toEqual(['web', 'worker', 'clock']);
    expect(services.worker).toEqual({ command: 'node ../app/worker.mjs --queue default' });
    expectNothingDropped(m, text);
  });

  it("gives a command that reads $PORT foreman's PORT", () => {
    const m = new Mapping('procfile');
    importProcfile('web: bundle exec puma -p $PORT\nworker: rake jobs:work\nAPI: node api.js --port ${PORT}\n', m);
    const { services } = converted(m, '/p/Procfile');
    expect(services.web?.env).toEqual({ PORT: '5000' });
    expect(services.worker?.env).toBeUndefined();
    expect(services.api).toMatchObject({ name: 'API', env: { PORT: '5200' } });
  });
});

describe('supervisord', () => {
  it('maps two [program:x] sections and comments supervisord-only settings', async () => {
    const { m, text, services } = await convert('supervisord/supervisord.conf');
    expect(Object.keys(services)).toEqual(['web', 'worker']);
    expect(services.web).toMatchObject({
      command: 'node ../app/server.mjs',
      cwd: join(DIR, 'supervisord'),
      env: { PORT: '41031', GREETING: 'hi, there' },
      autostart: true,
      restart: { policy: 'always', min_uptime: '1s', max_restarts: 3 },
      stop: { signal: 'SIGINT', timeout: '5s' },
    });
    expect(services.worker).toMatchObject({ command: 'node ../app/worker.mjs --queue critical', restart: { policy: 'on-failure' } });
    expect(text).toMatch(/\[supervisord\]: "logfile, nodaemon" — supervisord's own settings/);
    expect(text).toMatch(/priority: "10" — Hypha orders starts by depends_on/);
    expect(m.rows.find((r) => r.option === 'stopasgroup')?.key).toBe('(built in)');
    expectNothingDropped(m, text);
  });
});

describe('docker compose', () => {
  it('keeps command, healthcheck, depends_on and restart; leaves out image-only services', async () => {
    const { m, text, services } = await convert('compose/docker-compose.yml');
    expect(Object.keys(services)).toEqual(['db', 'migrate', 'web']);
    expect(services.db?.health).toMatchObject({ exec: ['node', '../app/check.mjs', '41041'], interval: '1s', timeout: '2s', retries: 5, start_period: '1s' });
    expect(services.db?.port).toBe(41041);
    expect(services.migrate).toMatchObject({ type: 'oneshot', depends_on: { db: { condition: 'healthy' } } });
    expect(services.web).toMatchObject({ env: { PORT: '41042' }, restart: { policy: 'always' }, stop: { signal: 'SIGINT', timeout: '5s' } });
    expect(services.web?.depends_on).toMatchObject({ db: { condition: 'healthy' }, migrate: { condition: expect.stringMatching(/^completed/) } });
    expect(text).toMatch(/services\.cache: "redis:7" — no command/);
    expect(text).toMatch(/ports: \["8080:41042"\] — a local process listens on one port/);
    expect(text).toMatch(/image: "postgres:16" — container only/);
    expectNothingDropped(m, text);
  });
});

describe('detection', () => {
  it('refuses a file it cannot place, and names the way out', async () => {
    await expect(importFile(join(DIR, 'app', 'job.mjs').replace('.mjs', '.txt'))).rejects.toThrow(/cannot read/);
    await expect(importFile(join(DIR, 'app', 'server.mjs'), 'procfile')).resolves.toBeInstanceOf(Mapping);
  });
});
