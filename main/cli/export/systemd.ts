// hypha.yaml → systemd units: one .service per service (Type=simple, or forking with PIDFile=,
// or oneshot), a .timer beside each scheduled oneshot, and hypha.target that wants them all.
// Restart=, RestartSec=, RestartSteps=/RestartMaxDelaySec= (systemd ≥ 254) reproduce the policy
// and its doubling delay; StartLimitBurst=/StartLimitIntervalSec= its max_restarts per window.
// Health checks, ports and strays have no systemd word: they are comments (and stderr lines).
import type { HyphaConfig, ServiceConfig } from '../../contract/config.js';
import { parseSchedule } from '../../core/config/schedule.js';
import { argv, extras, restartsWith } from './extras.js';
import { type OutFile, Report } from './report.js';
import { cronToOnCalendar, environmentLine, escapeSpecifiers, execLine, resolveProgram } from './systemd-syntax.js';

export interface SystemdOptions {
  user: boolean;
}

export const unitName = (id: string): string => `hypha-${id}`;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function comments(lines: string[]): string[] {
  return lines.map((l) => `# ${l}`);
}

function programArgv(svc: ServiceConfig, report: Report, key: string, command = svc.command): string[] {
  const x = extras(svc);
  const words = argv(command, x.shell);
  const found = resolveProgram(words[0] as string);
  if (found) words[0] = found;
  else report.lose(svc.id, key, `program ${words[0]} is not on this PATH; systemd needs it at an absolute path`);
  return words;
}

function serviceUnit(svc: ServiceConfig, config: HyphaConfig, report: Report, opts: SystemdOptions): string {
  const x = extras(svc);
  const unit: string[] = [`Description=${escapeSpecifiers(svc.name)} (hypha: ${svc.id})`, 'PartOf=hypha.target'];
  const service: string[] = [];
  const oneshot = svc.type === 'oneshot';
  service.push(`Type=${oneshot ? 'oneshot' : x.pidfile ? 'forking' : 'simple'}`);
  report.map(svc.id, 'type', `Type=${oneshot ? 'oneshot' : x.pidfile ? 'forking' : 'simple'}`);
  if (x.pidfile) {
    service.push(`PIDFile=${escapeSpecifiers(x.pidfile)}`);
    report.map(svc.id, 'pidfile', 'PIDFile=');
  }
  service.push(`ExecStart=${execLine(programArgv(svc, report, 'command'))}`);
  report.map(svc.id, 'command', 'ExecStart=', typeof svc.command === 'string' ? `through ${x.shell ?? '/bin/sh'} -c` : 'argv');
  service.push(`WorkingDirectory=${escapeSpecifiers(svc.cwd)}`);
  report.map(svc.id, 'cwd', 'WorkingDirectory=');
  if (svc.envFile) {
    service.push(`EnvironmentFile=-${escapeSpecifiers(svc.envFile)}`);
    report.map(svc.id, 'env_file', 'EnvironmentFile=', Object.keys(svc.env).length > 0 ? 'systemd lets the file win over Environment=; Hypha lets env win' : '');
  }
  for (const [k, v] of Object.entries(svc.env)) service.push(environmentLine(k, v));
  if (Object.keys(svc.env).length > 0) report.map(svc.id, 'env', 'Environment=');
  if (x.user) {
    if (opts.user) report.lose(svc.id, 'user', 'user units run as their user; User= is for system units');
    else {
      service.push(`User=${x.user}`);
      report.map(svc.id, 'user', 'User=');
    }
  }
  const r = svc.restart;
  if (oneshot) {
    if (svc.timeoutMs !== null) {
      service.push(`TimeoutStartSec=${seconds(svc.timeoutMs)}`);
      report.map(svc.id, 'timeout', 'TimeoutStartSec=');
    }
    if (svc.retries > 0) {
      service.push('Restart=on-failure', `RestartSec=${seconds(r.delayMs)}`);
      unit.push(`StartLimitBurst=${svc.retries + 1}`, `StartLimitIntervalSec=${seconds(r.windowMs)}`);
      report.map(svc.id, 'retries', 'Restart=on-failure + StartLimitBurst=', 'systemd retries at a fixed RestartSec=');
    }
  } else {
    const restart = r.policy === 'never' ? 'no' : r.policy;
    service.push(`Restart=${restart}`);
    report.map(svc.id, 'restart.policy', `Restart=${restart}`);
    if (r.policy !== 'never') {
      service.push(`RestartSec=${seconds(r.delayMs)}`);
      report.map(svc.id, 'restart.delay', 'RestartSec=');
      if (r.maxDelayMs > r.delayMs) {
        const steps = Math.max(1, Math.ceil(Math.log2(r.maxDelayMs / r.delayMs)));
        service.push(`RestartSteps=${steps}`, `RestartMaxDelaySec=${seconds(r.maxDelayMs)}`);
        report.map(svc.id, 'restart.max_delay', 'RestartSteps= + RestartMaxDelaySec=', 'systemd ≥ 254 (older ones ignore them and keep RestartSec=)');
      }
      unit.push(`StartLimitBurst=${r.maxRestarts + 1}`, `StartLimitIntervalSec=${seconds(r.windowMs)}`);
      report.map(svc.id, 'restart.max_restarts + window', 'StartLimitBurst= + StartLimitIntervalSec=');
      report.lose(svc.id, 'restart.min_uptime', 'systemd does not reset the delay steps after a long run');
    }
  }
  service.push(`KillSignal=${svc.stop.signal}`, `TimeoutStopSec=${seconds(svc.stop.timeoutMs)}`, 'KillMode=control-group');
  report.map(svc.id, 'stop.signal + stop.timeout', 'KillSignal= + TimeoutStopSec=', 'KillMode=control-group ends every process of the service');
  if (x.stopCommand !== null) {
    service.push(`ExecStop=${execLine(programArgv(svc, report, 'stop.command', x.stopCommand))}`);
    report.map(svc.id, 'stop.command', 'ExecStop=');
  }
  for (const dep of svc.dependsOn) {
    const other = `${unitName(dep.id)}.service`;
    unit.push(`Requires=${other}`, `After=${other}`);
    report.map(svc.id, `depends_on.${dep.id}`, 'Requires= + After=', dep.condition === 'started' ? '' : `condition ${dep.condition}`);
    if (restartsWith(dep)) {
      unit.push(`PartOf=${other}`);
      report.map(svc.id, `depends_on.${dep.id}.restart`, 'PartOf=', 'a restart of the dependency restarts this unit');
    }
    if (dep.condition === 'healthy') report.lose(svc.id, `depends_on.${dep.id}.condition: healthy`, 'systemd waits for started only (it has no health probe); add an ExecStartPre= that polls the probe if it matters');
    if (dep.condition.startsWith('completed') && config.services.find((s) => s.id === dep.id)?.type !== 'oneshot') report.lose(svc.id, `depends_on.${dep.id}.condition: completed`, 'After= on a daemon waits for its start only');
  }
  if (svc.health) report.lose(svc.id, 'health', 'systemd has no health probe; a failing service is restarted only when it exits');
  if (svc.port !== null) report.lose(svc.id, 'port', 'systemd does not check that the port is free before start');
  if (svc.match !== null) report.lose(svc.id, 'match / strays', 'no stray detection in systemd');
  if (x.replicas > 1) report.lose(svc.id, 'replicas', `one unit; use a template unit ${unitName(svc.id)}@.service for ${x.replicas} copies`);
  if (x.readiness) report.lose(svc.id, 'readiness', 'systemd has no readiness probe (Type=notify needs the program to call sd_notify)');
  if (x.readinessLogLine !== null) report.lose(svc.id, 'readiness.log_line', 'no systemd check can wait for a line of output');
  const wanted = svc.autostart;
  if (!wanted) report.lose(svc.id, 'autostart: false', 'not wanted by hypha.target; start it with systemctl start');
  const head = [
    `Exported by \`hypha export systemd\` from ${config.file}: service "${svc.id}".`,
    ...(report.comments(svc.id).length > 0 ? ['Not expressible in systemd:', ...report.comments(svc.id).map((c) => `  ${c}`)] : []),
  ];
  const install = wanted ? ['', '[Install]', 'WantedBy=hypha.target'] : [];
  return [...comments(head), '[Unit]', ...unit, '', '[Service]', ...service, ...install, ''].join('\n');
}

function timerUnit(svc: ServiceConfig, report: Report): string | null {
  if (svc.schedule === null) return null;
  const schedule = parseSchedule(svc.schedule);
  if (!schedule.ok) return null;
  const timer: string[] = [];
  if (schedule.schedule.kind === 'interval') {
    timer.push(`OnActiveSec=${seconds(schedule.schedule.everyMs)}`, `OnUnitActiveSec=${seconds(schedule.schedule.everyMs)}`);
    report.map(svc.id, 'schedule', 'timer OnActiveSec= + OnUnitActiveSec=');
  } else {
    const calendar = cronToOnCalendar(schedule.schedule.expression);
    if (calendar === null) {
      report.lose(svc.id, 'schedule', `cron "${schedule.schedule.expression}" has no OnCalendar= form here; write the timer by hand`);
      return null;
    }
    timer.push(`OnCalendar=${calendar}`);
    const [, , dom, , dow] = schedule.schedule.expression.split(/\s+/);
    report.map(svc.id, 'schedule', 'timer OnCalendar=', dom !== '*' && dow !== '*' ? 'cron ORs day-of-month and weekday; systemd ANDs them' : '');
  }
  return [
    `# Exported by \`hypha export systemd\`: the schedule of oneshot "${svc.id}".`,
    '[Unit]',
    `Description=Schedule of ${escapeSpecifiers(svc.name)} (hypha: ${svc.id})`,
    'PartOf=hypha.target',
    '',
    '[Timer]',
    ...timer,
    `Unit=${unitName(svc.id)}.service`,
    '',
    '[Install]',
    'WantedBy=hypha.target',
    '',
  ].join('\n');
}

export function exportSystemd(config: HyphaConfig, report: Report, opts: SystemdOptions): OutFile[] {
  const files: OutFile[] = [];
  const wants: string[] = [];
  for (const svc of config.services) {
    const scheduled = svc.type === 'oneshot' && svc.schedule !== null;
    const timer = scheduled ? timerUnit(svc, report) : null;
    files.push({ name: `${unitName(svc.id)}.service`, text: serviceUnit(svc, config, report, opts) });
    if (svc.autostart) wants.push(`${unitName(svc.id)}.service`);
    if (timer) {
      files.push({ name: `${unitName(svc.id)}.timer`, text: timer });
      wants.push(`${unitName(svc.id)}.timer`);
    }
  }
  const target = [
    `# Exported by \`hypha export systemd\` from ${config.file}: every service of it.`,
    `# Install: copy these files to ${opts.user ? '~/.config/systemd/user/' : '/etc/systemd/system/'}, then`,
    `#   systemctl ${opts.user ? '--user ' : ''}daemon-reload && systemctl ${opts.user ? '--user ' : ''}enable --now hypha.target`,
    '[Unit]',
    'Description=Hypha services',
    ...(wants.length > 0 ? [`Wants=${wants.join(' ')}`] : []),
    '',
    '[Install]',
    `WantedBy=${opts.user ? 'default.target' : 'multi-user.target'}`,
    '',
  ].join('\n');
  files.push({ name: 'hypha.target', text: target });
  return files;
}
