// `hypha export compose` and `hypha export kubernetes`: what each setting becomes (commands with
// `$` escaped for compose, healthchecks and probes from health, depends_on conditions, init
// containers that wait on a dependency's Service, CronJobs and Jobs for oneshots, env as a
// ConfigMap), images from --image or x-image, and the comment + warning for what cannot be said.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfigFile } from '../../main/core/config/load.js';
import { exportConfig } from '../../main/cli/export/index.js';
import type { HyphaConfig } from '../../main/contract/config.js';

const dir = mkdtempSync(join(tmpdir(), 'hypha-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(yaml: string): HyphaConfig {
  const file = join(dir, 'hypha.yaml');
  writeFileSync(file, yaml);
  const r = loadConfigFile(file);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

const YAML = `services:
  db:
    x-image: postgres:16
    command: ["postgres", "-D", "data"]
    port: 5432
    health: { tcp: "127.0.0.1:5432", interval: 5s, retries: 4 }
  web_app:
    command: node server.js --price "$5"
    env: { GREETING: "cost: $1" }
    port: 8080
    depends_on: { db: { condition: healthy }, migrate: { condition: completed } }
    health: { http: "http://127.0.0.1:8080/health", interval: 10s, timeout: 3s, start_period: 30s }
    restart: { policy: always }
    stop: { signal: SIGINT, timeout: 15s }
  migrate:
    type: oneshot
    command: ["node", "migrate.js"]
    retries: 2
    timeout: 5m
  report:
    type: oneshot
    command: ["node", "report.js"]
    schedule: "0 6 * * 1"
    autostart: false
`;

describe('compose', () => {
  const { files, report } = exportConfig('compose', config(YAML), { image: 'node:20' });
  const doc = parse(files[0]?.text ?? '') as { services: Record<string, Record<string, unknown>> };

  it('keeps each command (a string through /bin/sh -c), with $ written $$ for compose', () => {
    expect(doc.services.db?.command).toEqual(['postgres', '-D', 'data']);
    expect(doc.services.web_app?.command).toEqual(['/bin/sh', '-c', 'node server.js --price "$$5"']);
    expect(doc.services.web_app?.environment).toEqual({ GREETING: 'cost: $$1' });
  });

  it('images from x-image, else --image', () => {
    expect(doc.services.db?.image).toBe('postgres:16');
    expect(doc.services.web_app?.image).toBe('node:20');
  });

  it('healthcheck from the probe, depends_on with compose conditions, restart and stop', () => {
    expect(doc.services.db?.healthcheck).toEqual({ test: ['CMD', 'nc', '-z', '127.0.0.1', '5432'], interval: '5s', timeout: '2s', retries: 4 });
    expect(doc.services.web_app).toMatchObject({
      healthcheck: { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', '--max-time', '3', 'http://127.0.0.1:8080/health'], interval: '10s', timeout: '3s', start_period: '30s' },
      depends_on: { db: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } },
      restart: 'always',
      stop_signal: 'SIGINT',
      stop_grace_period: '15s',
      ports: ['127.0.0.1:8080:8080'],
    });
    expect(doc.services.migrate?.restart).toBe('on-failure:2');
    expect(doc.services.report?.profiles).toEqual(['manual']);
  });

  it('what compose cannot say is a comment above the service and a warning', () => {
    expect(files[0]?.text).toMatch(/# +schedule: compose has no schedule/);
    expect(report.warnings('compose')).toContain('report: schedule not expressible in compose — compose has no schedule; run `docker compose run` from cron or a systemd timer (hypha export systemd)');
  });

  it('without --image or x-image, a placeholder image and a warning', () => {
    const r = exportConfig('compose', config(YAML));
    expect(r.report.warnings('compose').some((w) => /^web_app: image not expressible in compose — no --image or x-image/.test(w))).toBe(true);
  });
});

describe('kubernetes', () => {
  const { files, report } = exportConfig('kubernetes', config(YAML), { image: 'node:20' });
  const docs = parseAllDocuments(files[0]?.text ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown>; data?: unknown });
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  it('Deployments and Services for daemons, with names that fit Kubernetes', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Deployment/db', 'Service/db', 'ConfigMap/web-app-env', 'Deployment/web-app', 'Service/web-app', 'Job/migrate', 'CronJob/report',
    ]);
    expect(find('Service', 'web-app')?.spec).toMatchObject({ ports: [{ port: 8080, targetPort: 8080 }] });
    expect(find('ConfigMap', 'web-app-env')?.data).toEqual({ GREETING: 'cost: $1' });
  });

  it('probes from health: liveness, readiness, and a startupProbe for start_period', () => {
    const pod = (find('Deployment', 'web-app')?.spec as { template: { spec: { containers: Record<string, unknown>[]; initContainers: Record<string, unknown>[] } } }).template.spec;
    const c = pod.containers[0] as Record<string, unknown>;
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.readinessProbe).toEqual(c.livenessProbe);
    // Spaced by health.start_interval where this Hypha has it, else by interval; covers start_period + retries.
    const startup = c.startupProbe as { periodSeconds: number; failureThreshold: number; httpGet: unknown };
    expect(startup.httpGet).toEqual({ path: '/health', port: 8080, scheme: 'HTTP' });
    expect(startup.periodSeconds).toBeLessThanOrEqual(10);
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(30 + 3 * startup.periodSeconds);
    expect(c.command).toEqual(['/bin/sh', '-c', 'node server.js --price "$5"']);
    expect(pod.initContainers).toEqual([{ name: 'wait-for-db', image: 'busybox:1.36', command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'] }]);
  });

  it('oneshots: a Job with retries and a deadline; a CronJob for a schedule', () => {
    expect(find('Job', 'migrate')?.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 300 });
    expect(find('CronJob', 'report')?.spec).toMatchObject({ schedule: '0 6 * * 1', concurrencyPolicy: 'Forbid' });
  });

  it('what a cluster cannot say is a comment and a warning', () => {
    expect(files[0]?.text).toMatch(/# +depends_on.migrate: waiting for Job migrate to complete needs the API/);
    expect(report.warnings('kubernetes')).toContain('web_app: stop.signal not expressible in kubernetes — Kubernetes sends SIGTERM (a STOPSIGNAL in the image changes it)');
  });
});
