import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/core/config/load.js';
import { Readiness } from '../../main/core/readiness/readiness.js';
import { ProbeScheduler } from '../../main/core/health/scheduler.js';
import { withReadiness } from '../../main/core/service/service.js';

const load = (text: string) => parseConfigText(text, '/cfg/hypha.yaml');

describe('readiness: in hypha.yaml', () => {
  it('a probe block or a log_line', () => {
    const r = load(
      'services:\n  a:\n    command: x\n    readiness: { tcp: "127.0.0.1:5432", interval: 1s }\n  b:\n    command: x\n    readiness: { log_line: "ready to accept" }\n',
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join());
    expect(r.config.services[0]?.readiness).toEqual({ kind: 'probe', probe: { kind: 'tcp', host: '127.0.0.1', port: 5432 }, intervalMs: 1000, timeoutMs: 2000, retries: 3 });
    expect(r.config.services[1]?.readiness).toEqual({ kind: 'log', pattern: 'ready to accept' });
  });

  it('reports mistakes at file:line:col, and lets condition healthy lean on readiness alone', () => {
    const r = load(
      'services:\n  a:\n    command: x\n    readiness: { tcp: "127.0.0.1:1", log_line: "x" }\n  b:\n    command: x\n    readiness: { log_line: "(" }\n  c:\n    command: x\n    readiness: {}\n  d:\n    command: x\n    depends_on: { b: { condition: healthy } }\n',
    );
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '4:38: services.a.readiness.log_line: use only one of http, tcp, exec or log_line (found tcp and log_line)',
      '7:28: services.b.readiness.log_line: invalid regex "(": Unterminated group',
      '10:5: services.c.readiness: needs exactly one of http, tcp, exec or log_line',
    ]);
  });
});

describe('Readiness', () => {
  it('a log_line run is ready once a line matches; a new run starts not ready; status online waits for it', () => {
    const changes: string[] = [];
    const scheduler = new ProbeScheduler();
    const r = new Readiness(scheduler, {}, (id) => changes.push(id));
    const svc = { id: 'db', state: 'running', pid: 10, config: { readiness: { kind: 'log' as const, pattern: 'ready$' }, cwd: '/', env: {} } };
    expect(r.isReady('db', false)).toBeNull();
    r.update(svc);
    expect(r.isReady('db', true)).toBe(false);
    expect(r.wantsLines()).toBe(true);
    expect(withReadiness('online', r.isReady('db', true))).toBe('starting');
    r.line('db', 'still booting');
    expect(r.isReady('db', true)).toBe(false);
    r.line('db', 'database system is ready');
    expect(r.isReady('db', true)).toBe(true);
    expect(changes).toEqual(['db']);
    expect(r.wantsLines()).toBe(false);
    expect(withReadiness('online', true)).toBe('online');
    r.update({ ...svc, pid: 11 });
    expect(r.isReady('db', true)).toBe(false);
    r.update({ ...svc, state: 'stopped', pid: null });
    expect(r.isReady('db', true)).toBe(false);
    expect(withReadiness('unhealthy', false)).toBe('unhealthy');
    r.dispose();
    scheduler.dispose();
  });
});
