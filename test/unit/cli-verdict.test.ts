// When `hypha start|stop|restart|run` stops waiting (SPEC §6 "CLI waiting"), and the line it
// prints when a service did not get there.
import { describe, expect, it } from 'vitest';
import { SETTLE_MS, failureLine, verdict } from '../../main/cli/verdict.js';
import type { ServiceStatus } from '../../main/contract/status.js';

function st(over: Partial<ServiceStatus>): ServiceStatus {
  return {
    id: 'web', name: 'web', type: 'daemon', status: 'offline', state: 'stopped', health: 'none', statusCode: null, pid: null, port: null,
    autostart: true, restarts: 0, uptimeMs: null, lastExit: null, lastError: null, cpu: null, memoryBytes: null, dependsOn: [], nextRunAt: null, containment: 'tree',
    strays: [], ...over,
  };
}

const running = (pid: number, health: ServiceStatus['health'] = 'none', uptimeMs = 60_000): ServiceStatus => st({ state: 'running', pid, health, uptimeMs });

describe('verdict', () => {
  it('start: done once running, and healthy where a probe is set', () => {
    expect(verdict('start', st({ state: 'starting' }), st({}))).toBe('wait');
    expect(verdict('start', running(5), st({}))).toBe('done');
    expect(verdict('start', running(5, 'unknown'), st({}))).toBe('wait');
    expect(verdict('start', running(5, 'unhealthy'), st({}))).toBe('wait');
    expect(verdict('start', running(5, 'healthy'), st({}))).toBe('done');
    expect(verdict('start', st({ state: 'backoff' }), st({}))).toBe('wait');
  });

  it('start: without a probe, only a run that stayed up SETTLE_MS counts (a shell 127 must not pass)', () => {
    expect(verdict('start', running(5, 'none', 20), st({}))).toBe('wait');
    expect(verdict('start', running(5, 'none', SETTLE_MS - 1), st({}))).toBe('wait');
    expect(verdict('start', running(5, 'none', SETTLE_MS), st({}))).toBe('done');
    expect(verdict('restart', running(6, 'none', 20), running(5))).toBe('wait');
    // A passed probe is proof enough.
    expect(verdict('start', running(5, 'healthy', 20), st({}))).toBe('done');
  });

  it('start: a running service whose readiness has not passed (status starting) is not up yet', () => {
    expect(verdict('start', st({ state: 'running', status: 'starting', pid: 5, health: 'none', uptimeMs: 60_000 }), st({}))).toBe('wait');
    expect(verdict('start', st({ state: 'running', status: 'starting', pid: 5, health: 'healthy', uptimeMs: 60_000 }), st({}))).toBe('wait');
    expect(verdict('restart', st({ state: 'running', status: 'starting', pid: 6, health: 'none', uptimeMs: 60_000 }), running(5))).toBe('wait');
    expect(verdict('start', st({ state: 'running', status: 'online', pid: 5, health: 'none', uptimeMs: 60_000 }), st({}))).toBe('done');
  });

  it('start: failed, or stopped on its own after the start was accepted, is a failure', () => {
    expect(verdict('start', st({ state: 'failed', lastError: 'command not found: x' }), st({}))).toBe('failed');
    expect(verdict('start', st({ state: 'stopped' }), st({}))).toBe('failed');
    expect(verdict('restart', st({ state: 'failed' }), running(5))).toBe('failed');
  });

  it('restart: the old run does not count', () => {
    expect(verdict('restart', running(5), running(5))).toBe('wait');
    expect(verdict('restart', running(6), running(5))).toBe('done');
    expect(verdict('restart', running(6, 'unknown'), running(5))).toBe('wait');
    expect(verdict('restart', running(6), st({ state: 'backoff' }))).toBe('done');
  });

  it('stop: done once nothing runs, whatever state it settles in', () => {
    expect(verdict('stop', st({ state: 'stopping', pid: 5 }), running(5))).toBe('wait');
    expect(verdict('stop', running(5), running(5))).toBe('wait');
    expect(verdict('stop', st({ state: 'stopped' }), running(5))).toBe('done');
    expect(verdict('stop', st({ state: 'completed', type: 'oneshot' }), st({ type: 'oneshot' }))).toBe('done');
    expect(verdict('stop', st({ state: 'failed' }), st({ state: 'failed' }))).toBe('done');
  });

  it('run: done at a new completion, not at the one before it', () => {
    const at1 = { code: 0, signal: null, at: '2026-01-01T00:00:00.000Z' };
    const at2 = { code: 0, signal: null, at: '2026-01-01T00:00:05.000Z' };
    const before = st({ type: 'oneshot', state: 'completed', lastExit: at1 });
    expect(verdict('run', st({ type: 'oneshot', state: 'completed', lastExit: at1 }), before)).toBe('wait');
    expect(verdict('run', st({ type: 'oneshot', state: 'running', pid: 9 }), before)).toBe('wait');
    expect(verdict('run', st({ type: 'oneshot', state: 'backoff' }), before)).toBe('wait');
    expect(verdict('run', st({ type: 'oneshot', state: 'completed', lastExit: at2 }), before)).toBe('done');
    expect(verdict('run', st({ type: 'oneshot', state: 'completed', lastExit: at1 }), st({ type: 'oneshot' }))).toBe('done');
    expect(verdict('run', st({ type: 'oneshot', state: 'failed', lastError: 'exited with code 2' }), before)).toBe('failed');
  });
});

describe('failureLine', () => {
  it('says the state and the reason in one line', () => {
    expect(failureLine(st({ state: 'failed', lastError: 'port 80 held by pid 4 (nginx)' }))).toBe('web: failed — port 80 held by pid 4 (nginx)');
    expect(failureLine(st({ state: 'failed' }))).toBe('web: failed');
  });

  it('explains a service that ended on its own', () => {
    expect(failureLine(st({ state: 'stopped', lastExit: { code: 0, signal: null, at: 'x' } }))).toBe('web: stopped — ended on its own (exit code 0)');
    expect(failureLine(st({ state: 'stopped', lastExit: { code: null, signal: 'SIGKILL', at: 'x' } }))).toBe('web: stopped — ended on its own (killed by SIGKILL)');
    expect(failureLine(st({ state: 'stopped', lastError: 'exited with code 3', lastExit: { code: 3, signal: null, at: 'x' } }))).toBe('web: stopped — exited with code 3');
  });
});
