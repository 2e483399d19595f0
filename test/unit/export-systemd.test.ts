// `hypha export systemd`: what each hypha.yaml setting becomes in the units (ExecStart quoting,
// Restart=/RestartSec=/RestartSteps=, start limits, stop, depends_on, timers from interval and
// cron schedules, hypha.target, --user), and the cron → OnCalendar= translation checked against
// systemd's own calendar parser where systemd-analyze is installed.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/core/config/load.js';
import { exportConfig } from '../../main/cli/export/index.js';
import { cronToOnCalendar, environmentLine, quoteWord } from '../../main/cli/export/systemd-syntax.js';
import type { HyphaConfig } from '../../main/contract/config.js';

function config(yaml: string): HyphaConfig {
  const r = parseConfigText(yaml, '/srv/app/hypha.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

function units(yaml: string, user = false): Map<string, string> {
  return new Map(exportConfig('systemd', config(yaml), { user }).files.map((f) => [f.name, f.text]));
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('systemd syntax', () => {
  it('quotes argv words so systemd neither splits nor expands them', () => {
    expect(quoteWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(quoteWord('hello world')).toBe('"hello world"');
    expect(quoteWord('echo "$HOME" 100%')).toBe('"echo \\"$$HOME\\" 100%%"');
    expect(quoteWord('a\\b')).toBe('"a\\\\b"');
    expect(quoteWord('')).toBe('""');
    expect(environmentLine('MSG', 'say "hi" 5%')).toBe('Environment="MSG=say \\"hi\\" 5%%"');
  });

  it('turns cron lines into OnCalendar= values, or says it cannot', () => {
    expect(cronToOnCalendar('*/15 * * * *')).toBe('*-*-* *:0/15:00');
    expect(cronToOnCalendar('30 2 * * 1-5')).toBe('Mon..Fri *-*-* 2:30:00');
    expect(cronToOnCalendar('0 0 1 jan,jul *')).toBe('*-1,7-1 0:0:00');
    expect(cronToOnCalendar('0 9 * * sun')).toBe('Sun *-*-* 9:0:00');
    expect(cronToOnCalendar('0 0 L * *')).toBeNull();
    expect(cronToOnCalendar('* *')).toBeNull();
  });

  it('systemd parses every OnCalendar= it gets', (ctx) => {
    if (!hasAnalyze) ctx.skip('systemd-analyze is not installed');
    for (const cron of ['*/15 * * * *', '30 2 * * 1-5', '0 0 1 jan,jul *', '0 9 * * sun', '5 4 * * 0,6', '0 */6 * * *']) {
      const calendar = cronToOnCalendar(cron) as string;
      const r = spawnSync('systemd-analyze', ['calendar', calendar], { encoding: 'utf8' });
      expect(r.status, `${cron} → ${calendar}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('units', () => {
  const yaml = `services:
  db:
    command: ["${process.execPath}", "db.js", "--name", "my db"]
    env: { PGDATA: "/var/lib/pg data" }
    env_file: .env
    health: { tcp: "127.0.0.1:5432" }
  web:
    command: node server.js --greeting "$USER"
    depends_on: { db: { condition: healthy } }
    restart: { policy: always, delay: 2s, max_delay: 32s, max_restarts: 4, window: 1m }
    stop: { signal: SIGINT, timeout: 20s }
    autostart: false
  nightly:
    type: oneshot
    command: ["${process.execPath}", "cleanup.js"]
    schedule: "30 2 * * *"
    timeout: 10m
    retries: 2
  hourly:
    type: oneshot
    command: ["${process.execPath}", "tick.js"]
    schedule: 1h
`;

  it('one .service per service, a .timer per scheduled oneshot, and hypha.target wanting them', () => {
    const u = units(yaml);
    expect([...u.keys()]).toEqual(['hypha-db.service', 'hypha-web.service', 'hypha-nightly.service', 'hypha-nightly.timer', 'hypha-hourly.service', 'hypha-hourly.timer', 'hypha.target']);
    expect(u.get('hypha.target')).toMatch(/^Wants=hypha-db.service hypha-nightly.service hypha-nightly.timer hypha-hourly.service hypha-hourly.timer$/m);
    expect(u.get('hypha.target')).toMatch(/^WantedBy=multi-user.target$/m);
  });

  it('ExecStart= keeps argv words whole; a string command runs through /bin/sh -c', () => {
    const u = units(yaml);
    expect(u.get('hypha-db.service')).toMatch(new RegExp(`^ExecStart=${process.execPath} db.js --name "my db"$`, 'm'));
    expect(u.get('hypha-web.service')).toMatch(/^ExecStart=\/(usr\/)?bin\/sh -c "node server.js --greeting \\"\$\$USER\\""$/m);
    expect(u.get('hypha-db.service')).toMatch(/^WorkingDirectory=\/srv\/app$/m);
    expect(u.get('hypha-db.service')).toMatch(/^EnvironmentFile=-\/srv\/app\/.env$/m);
    expect(u.get('hypha-db.service')).toMatch(/^Environment="PGDATA=\/var\/lib\/pg data"$/m);
  });

  it('restart policy, doubling delay, start limits and stop become their systemd words', () => {
    const web = units(yaml).get('hypha-web.service') as string;
    for (const line of ['Restart=always', 'RestartSec=2s', 'RestartSteps=4', 'RestartMaxDelaySec=32s', 'StartLimitBurst=5', 'StartLimitIntervalSec=60s', 'KillSignal=SIGINT', 'TimeoutStopSec=20s']) {
      expect(web).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    expect(web).toMatch(/^Requires=hypha-db.service$/m);
    expect(web).toMatch(/^After=hypha-db.service$/m);
    expect(web).toMatch(/^# +depends_on.db.condition: healthy: systemd waits for started only/m);
    expect(web).not.toMatch(/WantedBy=hypha.target/); // autostart: false
    expect(units(yaml).get('hypha-db.service')).toMatch(/^# +health: systemd has no health probe/m);
  });

  it('oneshots: Type=oneshot, TimeoutStartSec=, retries, and timers from cron and interval', () => {
    const u = units(yaml);
    const nightly = u.get('hypha-nightly.service') as string;
    for (const line of ['Type=oneshot', 'TimeoutStartSec=600s', 'Restart=on-failure', 'StartLimitBurst=3']) expect(nightly).toMatch(new RegExp(`^${line}$`, 'm'));
    expect(u.get('hypha-nightly.timer')).toMatch(/^OnCalendar=\*-\*-\* 2:30:00$/m);
    expect(u.get('hypha-hourly.timer')).toMatch(/^OnUnitActiveSec=3600s$/m);
  });

  it('--user: default.target, and no User=', () => {
    const u = units(yaml, true);
    expect(u.get('hypha.target')).toMatch(/^WantedBy=default.target$/m);
    expect(u.get('hypha.target')).toMatch(/systemctl --user daemon-reload/);
  });
});
