// The round-2 keys for real software (SPEC §7): `pidfile` (systemd's PIDFile=) and `stop.command`
// (ExecStop=), normalized and checked with file:line:col errors like every other key.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/core/config/load.js';
import type { ServiceConfig } from '../../main/contract/config.js';

const FILE = '/cfg/hypha.yaml';
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function service(text: string): ServiceConfig {
  const r = parseConfigText(text, FILE);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  return r.config.services[0] as ServiceConfig;
}

function errors(text: string): string[] {
  const r = parseConfigText(text, FILE);
  return r.ok ? [] : r.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`);
}

describe('pidfile', () => {
  it('is null by default and resolved against the config folder', () => {
    expect(service(lines('services:', '  a:', '    command: x')).pidfile).toBeNull();
    expect(service(lines('services:', '  a:', '    command: redis-server r.conf', '    pidfile: run/redis.pid')).pidfile).toBe('/cfg/run/redis.pid');
    expect(service(lines('services:', '  a:', '    command: x', '    pidfile: /var/run/x.pid')).pidfile).toBe('/var/run/x.pid');
  });

  it('must be a non-empty path, and only on a daemon', () => {
    expect(errors(lines('services:', '  a:', '    command: x', '    pidfile: ""'))).toEqual([`${FILE}:4:14: services.a.pidfile: pidfile must not be empty`]);
    expect(errors(lines('services:', '  a:', '    command: x', '    pidfile: [a]'))[0]).toMatch(/^\/cfg\/hypha\.yaml:4:14: /);
    expect(errors(lines('services:', '  a:', '    type: oneshot', '    command: x', '    pidfile: x.pid'))).toEqual([
      `${FILE}:5:5: services.a.pidfile: only allowed for type: daemon (a oneshot runs in the foreground)`,
    ]);
  });
});

describe('stop.command', () => {
  it('is null by default, and keeps a string or an argv as written', () => {
    expect(service(lines('services:', '  a:', '    command: x')).stop.command).toBeNull();
    expect(service(lines('services:', '  a:', '    command: nginx', '    stop: { command: "nginx -s quit" }')).stop).toEqual({
      command: 'nginx -s quit',
      signal: 'SIGTERM',
      timeoutMs: 10_000,
    });
    expect(service(lines('services:', '  a:', '    command: x', '    stop:', '      command: [pg_ctl, stop, -m, fast]', '      timeout: 30s')).stop).toEqual({
      command: ['pg_ctl', 'stop', '-m', 'fast'],
      signal: 'SIGTERM',
      timeoutMs: 30_000,
    });
  });

  it('rejects an empty or non-command value at its position', () => {
    expect(errors(lines('services:', '  a:', '    command: x', '    stop: { command: [] }'))).toEqual([`${FILE}:4:22: services.a.stop.command: empty command`]);
    expect(errors(lines('services:', '  a:', '    command: x', '    stop:', '      command: 5'))).toEqual([
      `${FILE}:5:16: services.a.stop.command: expected a command (a string, or a list of strings), got 5`,
    ]);
  });
});
