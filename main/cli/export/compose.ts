// hypha.yaml → a compose file. Each service keeps its command (a string through `/bin/sh -c`),
// cwd, env, env_file and port, in the image chosen by --image or the service's x-image. The
// probe becomes a healthcheck, depends_on keeps its condition (service_started / service_healthy
// / service_completed_successfully), the policy becomes restart:. Compose interpolates `$`, so
// every `$` the config holds is written `$$`. Schedules, strays and restart windows have no
// compose word: comments and stderr lines.
import { Document, isMap, isPair, isScalar } from 'yaml';
import type { HyphaConfig, ServiceConfig } from '../../contract/config.js';
import { argv, extras, restartsWith } from './extras.js';
import { hasCondition } from '../import/schema-keys.js';
import { probeCommand } from './probe-command.js';
import { type OutFile, Report } from './report.js';

export interface ComposeOptions {
  image: (id: string) => string;
}

type Obj = Record<string, unknown>;

const dollar = (s: string): string => s.replaceAll('$', '$$$$');

function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function serviceEntry(svc: ServiceConfig, config: HyphaConfig, report: Report, opts: ComposeOptions): Obj {
  const x = extras(svc);
  const out: Obj = { image: opts.image(svc.id) };
  out.command = argv(svc.command, x.shell).map(dollar);
  report.map(svc.id, 'command', 'command', typeof svc.command === 'string' ? 'through /bin/sh -c' : 'argv');
  out.working_dir = svc.cwd;
  report.map(svc.id, 'cwd', 'working_dir', 'the same path must exist in the image (or mount it)');
  if (Object.keys(svc.env).length > 0) {
    out.environment = Object.fromEntries(Object.entries(svc.env).map(([k, v]) => [k, dollar(v)]));
    report.map(svc.id, 'env', 'environment');
  }
  if (svc.envFile) {
    out.env_file = [svc.envFile];
    report.map(svc.id, 'env_file', 'env_file');
  }
  if (svc.port !== null) {
    out.ports = [`127.0.0.1:${svc.port}:${svc.port}`];
    report.map(svc.id, 'port', 'ports', 'published on 127.0.0.1 only, as Hypha serves locally');
  }
  if (x.user) {
    out.user = x.user;
    report.map(svc.id, 'user', 'user');
  }
  const oneshot = svc.type === 'oneshot';
  const r = svc.restart;
  out.restart = oneshot ? (svc.retries > 0 ? `on-failure:${svc.retries}` : 'no') : r.policy === 'never' ? 'no' : r.policy;
  report.map(svc.id, oneshot ? 'retries' : 'restart.policy', `restart: ${String(out.restart)}`);
  if (!oneshot && r.policy !== 'never') report.lose(svc.id, 'restart.delay / max_delay / max_restarts / window', 'Docker restarts with its own doubling delay and no limit per window');
  const health = svc.health;
  if (health) {
    const probe = probeCommand(health.probe, health.timeoutMs);
    const hc: Obj = {
      test: probe.test.map(dollar),
      interval: duration(health.intervalMs),
      timeout: duration(health.timeoutMs),
      retries: health.retries,
    };
    if (health.startPeriodMs > 0) hc.start_period = duration(health.startPeriodMs);
    // Docker uses start_interval only inside start_period, so without one it says nothing.
    if (x.startIntervalMs !== null && health.startPeriodMs > 0) hc.start_interval = duration(x.startIntervalMs);
    out.healthcheck = hc;
    report.map(svc.id, 'health', 'healthcheck', probe.needs ? `the image needs ${probe.needs}` : '');
    if (!health.restartOnUnhealthy) report.map(svc.id, 'health.restart_on_unhealthy', '(as compose)', 'compose never restarts on unhealthy');
    else report.lose(svc.id, 'health.restart_on_unhealthy', 'compose marks the container unhealthy but does not restart it');
  }
  if (svc.dependsOn.length > 0) {
    const deps: Obj = {};
    for (const d of svc.dependsOn) {
      const target = config.services.find((s) => s.id === d.id);
      const condition =
        d.condition === 'healthy' ? 'service_healthy' : d.condition === 'started' ? 'service_started' : 'service_completed_successfully';
      deps[d.id] = restartsWith(d) ? { condition, restart: true } : { condition };
      report.map(svc.id, `depends_on.${d.id}`, `depends_on.${d.id}: ${condition}${restartsWith(d) ? ' + restart: true' : ''}`);
      if (d.condition !== 'started' && d.condition !== 'healthy' && target?.type !== 'oneshot') report.lose(svc.id, `depends_on.${d.id}`, 'waits for a daemon to exit');
      // Where Hypha has both words, its `completed` means any exit; compose only knows exit 0.
      if (d.condition === 'completed' && hasCondition('completed_successfully')) report.lose(svc.id, `depends_on.${d.id}.condition: completed`, 'compose waits for exit 0 only (service_completed_successfully)');
    }
    out.depends_on = deps;
  }
  out.stop_signal = svc.stop.signal;
  out.stop_grace_period = duration(svc.stop.timeoutMs);
  report.map(svc.id, 'stop.signal + stop.timeout', 'stop_signal + stop_grace_period');
  if (x.stopCommand !== null) report.lose(svc.id, 'stop.command', 'compose has no command to run before the stop signal');
  if (x.replicas > 1) {
    out.deploy = { replicas: x.replicas };
    report.map(svc.id, 'replicas', 'deploy.replicas', 'HYPHA_REPLICA is not set per copy');
  }
  if (x.pidfile) report.lose(svc.id, 'pidfile', 'a container runs its program in the foreground; drop the daemonizing flag');
  if (svc.schedule !== null) report.lose(svc.id, 'schedule', 'compose has no schedule; run `docker compose run` from cron or a systemd timer (hypha export systemd)');
  if (oneshot && svc.timeoutMs !== null) report.lose(svc.id, 'timeout', 'compose has no run time limit');
  if (svc.match !== null) report.lose(svc.id, 'match / strays', 'no stray detection in compose');
  if (!svc.autostart) {
    out.profiles = ['manual'];
    report.map(svc.id, 'autostart: false', 'profiles: [manual]', 'started only with --profile manual or by name');
  }
  if (x.readiness) report.lose(svc.id, 'readiness', 'compose has one healthcheck; readiness is not separate');
  if (x.readinessLogLine !== null) report.lose(svc.id, 'readiness.log_line', 'no compose check can wait for a line of output');
  return out;
}

export function exportCompose(config: HyphaConfig, report: Report, opts: ComposeOptions): OutFile[] {
  const services: Obj = {};
  for (const svc of config.services) services[svc.id] = serviceEntry(svc, config, report, opts);
  const doc = new Document({ services });
  doc.commentBefore = [
    ` Exported by \`hypha export compose\` from ${config.file}.`,
    ' Commands, folders and env are as on this machine: pick images (--image or x-image) that have them.',
  ].join('\n');
  const node = doc.get('services', true);
  if (isMap(node)) {
    for (const item of node.items) {
      const key: unknown = isPair(item) ? item.key : null;
      if (!isScalar(key)) continue;
      const lost = report.comments(String(key.value));
      if (lost.length > 0) key.commentBefore = [' not expressible in compose:', ...lost.map((l) => `   ${l}`)].join('\n');
    }
  }
  return [{ name: 'compose.yaml', text: doc.toString({ lineWidth: 0 }) }];
}
