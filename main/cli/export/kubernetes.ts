// hypha.yaml → Kubernetes manifests (one multi-document YAML): a Deployment per daemon (replicas,
// liveness from health, readiness from readiness or else health, a startupProbe for
// start_period), a Service per port, a ConfigMap per env, a CronJob per scheduled oneshot and a
// Job per plain one. depends_on becomes an init container that waits until the dependency's
// Service answers (its probe URL when the condition is healthy). What a cluster cannot say —
// restart delays and windows, strays, env_file on this disk — is a comment and a stderr line.
import { Document } from 'yaml';
import type { HealthConfig, HyphaConfig, ServiceConfig } from '../../contract/config.js';
import { parseSchedule } from '../../core/config/schedule.js';
import { argv, extras, restartsWith } from './extras.js';
import { type OutFile, Report } from './report.js';

export interface KubernetesOptions {
  image: (id: string) => string;
  /** Image for the init containers that wait on dependencies (needs sh, nc and wget). */
  waitImage: string;
}

type Obj = Record<string, unknown>;

/** Kubernetes names are DNS labels: no `_`. */
export const k8sName = (id: string): string => id.replaceAll('_', '-');

const secs = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function probeHandler(h: HealthConfig, shell: string | null): Obj {
  const p = h.probe;
  if (p.kind === 'exec') return { exec: { command: argv(p.command, shell) } };
  if (p.kind === 'tcp') return { tcpSocket: { port: p.port, ...(isLocal(p.host) ? {} : { host: p.host }) } };
  const url = new URL(p.url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { httpGet: { path: `${url.pathname}${url.search}`, port, scheme: url.protocol === 'https:' ? 'HTTPS' : 'HTTP', ...(isLocal(url.hostname) ? {} : { host: url.hostname }) } };
}

function isLocal(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0'].includes(host);
}

function probe(h: HealthConfig, shell: string | null): Obj {
  return { ...probeHandler(h, shell), periodSeconds: secs(h.intervalMs), timeoutSeconds: secs(h.timeoutMs), failureThreshold: h.retries };
}

function labels(id: string): Record<string, string> {
  return { 'app.kubernetes.io/name': k8sName(id), 'app.kubernetes.io/part-of': 'hypha' };
}

function waitFor(dep: ServiceConfig, condition: string, report: Report, svc: ServiceConfig, waitImage: string): Obj | null {
  const host = k8sName(dep.id);
  if (dep.type === 'oneshot') {
    report.lose(svc.id, `depends_on.${dep.id}`, `waiting for Job ${host} to complete needs the API (kubectl wait); not generated`);
    return null;
  }
  if (dep.port === null) {
    report.lose(svc.id, `depends_on.${dep.id}`, `${dep.id} has no port, so no Service to wait on`);
    return null;
  }
  let check = `nc -z ${host} ${dep.port}`;
  if (condition === 'healthy' && dep.health?.probe.kind === 'http') {
    const url = new URL(dep.health.probe.url);
    check = `wget -q -O /dev/null http://${host}:${dep.port}${url.pathname}${url.search}`;
  }
  report.map(svc.id, `depends_on.${dep.id}`, 'initContainers wait-for', check);
  return { name: `wait-for-${host}`.slice(0, 63), image: waitImage, command: ['sh', '-c', `until ${check}; do sleep 1; done`] };
}

function podSpec(svc: ServiceConfig, config: HyphaConfig, report: Report, opts: KubernetesOptions, restartPolicy: string): Obj {
  const x = extras(svc);
  const container: Obj = { name: k8sName(svc.id), image: opts.image(svc.id), command: argv(svc.command, x.shell) };
  report.map(svc.id, 'command', 'containers[0].command', typeof svc.command === 'string' ? 'through /bin/sh -c' : 'argv');
  container.workingDir = svc.cwd;
  report.map(svc.id, 'cwd', 'workingDir', 'the same path must exist in the image');
  if (Object.keys(svc.env).length > 0) {
    container.envFrom = [{ configMapRef: { name: `${k8sName(svc.id)}-env` } }];
    report.map(svc.id, 'env', `ConfigMap ${k8sName(svc.id)}-env`);
  }
  if (svc.envFile) report.lose(svc.id, 'env_file', `a file on this disk; kubectl create configmap ${k8sName(svc.id)}-env-file --from-env-file=${svc.envFile}, then add it to envFrom`);
  if (svc.port !== null) {
    container.ports = [{ containerPort: svc.port, name: 'main' }];
    report.map(svc.id, 'port', 'containerPort + Service');
  }
  if (svc.health && svc.type === 'daemon') {
    const h = svc.health;
    if (h.restartOnUnhealthy) {
      container.livenessProbe = probe(h, x.shell);
      report.map(svc.id, 'health', 'livenessProbe');
    } else report.map(svc.id, 'health.restart_on_unhealthy: false', '(no livenessProbe)', 'readinessProbe only');
    if (h.startPeriodMs > 0) {
      const period = secs(x.startIntervalMs ?? h.intervalMs);
      container.startupProbe = { ...probeHandler(h, x.shell), periodSeconds: period, timeoutSeconds: secs(h.timeoutMs), failureThreshold: Math.ceil(secs(h.startPeriodMs) / period) + h.retries };
      report.map(svc.id, 'health.start_period', 'startupProbe');
    }
  }
  const ready = x.readiness ?? (svc.type === 'daemon' ? svc.health : null);
  if (ready) {
    container.readinessProbe = probe(ready, x.shell);
    report.map(svc.id, x.readiness ? 'readiness' : 'health', 'readinessProbe');
  }
  if (svc.health && svc.type === 'oneshot') report.lose(svc.id, 'health', 'a Job has no probes that matter');
  if (x.stopCommand !== null) {
    container.lifecycle = { preStop: { exec: { command: argv(x.stopCommand, x.shell) } } };
    report.map(svc.id, 'stop.command', 'lifecycle.preStop');
  }
  if (svc.stop.signal !== 'SIGTERM') report.lose(svc.id, 'stop.signal', 'Kubernetes sends SIGTERM (a STOPSIGNAL in the image changes it)');
  if (x.readinessLogLine !== null) report.lose(svc.id, 'readiness.log_line', 'no Kubernetes check can wait for a line of output');
  if (x.user) report.lose(svc.id, 'user', 'use securityContext.runAsUser with a numeric uid');
  for (const d of svc.dependsOn) if (restartsWith(d)) report.lose(svc.id, `depends_on.${d.id}.restart`, 'Kubernetes does not restart a pod because another restarted');
  const init = svc.dependsOn
    .map((d) => {
      const dep = config.services.find((s) => s.id === d.id);
      return dep ? waitFor(dep, d.condition, report, svc, opts.waitImage) : null;
    })
    .filter((c): c is Obj => c !== null);
  const spec: Obj = { restartPolicy, terminationGracePeriodSeconds: secs(svc.stop.timeoutMs), containers: [container] };
  report.map(svc.id, 'stop.timeout', 'terminationGracePeriodSeconds');
  if (init.length > 0) spec.initContainers = init;
  return spec;
}

/** An interval schedule as cron where it divides the hour or the day evenly; else null. */
function intervalToCron(everyMs: number): string | null {
  const min = everyMs / 60_000;
  if (Number.isInteger(min) && min >= 1 && min < 60 && 60 % min === 0) return min === 1 ? '* * * * *' : `*/${min} * * * *`;
  const hours = everyMs / 3_600_000;
  if (Number.isInteger(hours) && hours >= 1 && hours < 24 && 24 % hours === 0) return hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
  if (hours === 24) return '0 0 * * *';
  return null;
}

function documentsFor(svc: ServiceConfig, config: HyphaConfig, report: Report, opts: KubernetesOptions): Obj[] {
  const x = extras(svc);
  const name = k8sName(svc.id);
  const meta = { name, labels: labels(svc.id) };
  const docs: Obj[] = [];
  if (name !== svc.id) report.map(svc.id, 'id', `name ${name}`, 'Kubernetes names have no _');
  if (Object.keys(svc.env).length > 0) docs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-env`, labels: labels(svc.id) }, data: { ...svc.env } });
  const template = (policy: string): Obj => ({ metadata: { labels: labels(svc.id) }, spec: podSpec(svc, config, report, opts, policy) });
  if (svc.type === 'daemon') {
    if (svc.restart.policy !== 'always') report.lose(svc.id, `restart.policy: ${svc.restart.policy}`, 'a Deployment always restarts its pods');
    report.lose(svc.id, 'restart.delay / max_restarts / window', 'the kubelet restarts with its own back-off (10s doubling to 5m), without a limit');
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: { replicas: svc.autostart ? x.replicas : 0, selector: { matchLabels: labels(svc.id) }, template: template('Always') },
    });
    report.map(svc.id, 'replicas', `Deployment replicas: ${svc.autostart ? x.replicas : 0}`, svc.autostart ? '' : 'autostart: false → 0 until scaled');
    if (svc.port !== null) {
      docs.push({ apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: labels(svc.id), ports: [{ name: 'main', port: svc.port, targetPort: svc.port }] } });
    }
  } else {
    const job: Obj = { backoffLimit: svc.retries, template: template('Never') };
    if (svc.timeoutMs !== null) job.activeDeadlineSeconds = secs(svc.timeoutMs);
    report.map(svc.id, 'retries + timeout', 'backoffLimit + activeDeadlineSeconds');
    const schedule = svc.schedule === null ? null : parseSchedule(svc.schedule);
    if (schedule?.ok) {
      const cron = schedule.schedule.kind === 'cron' ? schedule.schedule.expression : intervalToCron(schedule.schedule.everyMs);
      if (cron) {
        docs.push({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta, spec: { schedule: cron, concurrencyPolicy: 'Forbid', jobTemplate: { spec: job } } });
        report.map(svc.id, 'schedule', `CronJob schedule "${cron}"`);
        if (svc.autostart) report.lose(svc.id, 'autostart', 'a CronJob does not run at creation; kubectl create job --from=cronjob/' + name);
        return docs;
      }
      report.lose(svc.id, 'schedule', `every ${svc.schedule} has no cron form; a plain Job is written`);
    }
    if (!svc.autostart) report.lose(svc.id, 'autostart: false', 'a Job runs when it is applied');
    docs.push({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: job });
  }
  if (svc.match !== null) report.lose(svc.id, 'match / strays', 'no stray detection in a cluster');
  return docs;
}

export function exportKubernetes(config: HyphaConfig, report: Report, opts: KubernetesOptions): OutFile[] {
  const texts: string[] = [];
  for (const svc of config.services) {
    const docs = documentsFor(svc, config, report, opts);
    docs.forEach((d, i) => {
      const doc = new Document(d);
      const lines = [` ${String(d.kind)} ${k8sName(svc.id)}: exported by \`hypha export kubernetes\` from ${config.file}.`];
      const lost = report.comments(svc.id);
      if (i === 0 && lost.length > 0) lines.push(' not expressible in Kubernetes:', ...lost.map((l) => `   ${l}`));
      doc.commentBefore = lines.join('\n');
      texts.push(doc.toString({ lineWidth: 0 }));
    });
  }
  return [{ name: 'hypha.k8s.yaml', text: texts.join('---\n') }];
}
