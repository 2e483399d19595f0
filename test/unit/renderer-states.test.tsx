// @vitest-environment happy-dom
// Normal states read as normal: a stop someone asked for and a wait on a dependency are grey, a
// failure that came down a dependency chain names its root cause once with the chain as links,
// a running oneshot is "running" and not counted online, and a run still starting shows no
// memory rather than "0 B".
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { describeProblem, unwindDependencyFailure } from '../../renderer/src/format.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { summarize, summaryLine } from '../../renderer/src/store/selectors.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, status } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const NESTED =
  'not started: dependency api failed (not started: dependency web failed (port 9001 held by pid 3037 (node server.mjs) — see strays))';

function renderApp(services: ReturnType<typeof status>[]) {
  const fake = fakeApi(services);
  render(
    <StoreProvider value={createHyphaStore(fake.api)}>
      <App />
    </StoreProvider>,
  );
  return fake;
}

const row = (name: string): HTMLElement => screen.getByRole('listitem', { name });

describe('what a row says went wrong', () => {
  it('after Stop all: stopped in grey with the last exit, no red', async () => {
    renderApp([
      status({ id: 'web', status: 'offline', state: 'stopped', pid: null, uptimeMs: null, lastExit: { code: null, signal: 'SIGTERM', at: '2024-05-01T10:00:00.000Z' } }),
      status({ id: 'api', status: 'offline', state: 'stopped', pid: null, uptimeMs: null, lastExit: { code: 0, signal: null, at: '2024-05-01T10:00:00.000Z' } }),
    ]);
    await screen.findByText('0 of 2 online');
    for (const id of ['web', 'api']) {
      expect(row(id).querySelector('.svc__problem--error')).toBeNull();
      expect(row(id).querySelector('[data-problem="exit"]')?.className).toContain('svc__problem--muted');
    }
    expect(within(row('web')).getByText(/^Stopped · last run killed by SIGTERM at /)).toBeTruthy();
  });

  it('a crash is still an error', async () => {
    renderApp([status({ id: 'web', status: 'backoff', state: 'backoff', pid: null, uptimeMs: null, lastExit: { code: 1, signal: null, at: '2024-05-01T10:00:00.000Z' } })]);
    await screen.findByText('0 of 1 online');
    expect(within(row('web')).getByText(/Last run exited with code 1/).closest('.svc__problem--error')).toBeTruthy();
  });

  it('waiting for a dependency is grey and links to it', async () => {
    renderApp([
      status({ id: 'web' }),
      status({ id: 'api', status: 'starting', state: 'starting', pid: null, uptimeMs: null, dependsOn: ['web'], lastError: 'waiting for web (healthy)' }),
    ]);
    await screen.findByText('1 of 2 online');
    const line = row('api').querySelector('[data-problem="waiting"]') as HTMLElement;
    expect(line.className).toContain('svc__problem--wait');
    expect(line.className).not.toContain('error');
    expect(line.textContent).toBe('Waiting for web (healthy)');
    expect(within(line).getByRole('link', { name: 'web' }).getAttribute('href')).toBe('#/service/web');
  });

  it('a nested dependency failure: the root cause once, the chain as links', async () => {
    renderApp([
      status({ id: 'web', status: 'failed', state: 'failed', pid: null, uptimeMs: null, lastError: 'port 9001 held by pid 3037 (node server.mjs) — see strays' }),
      status({ id: 'api', status: 'failed', state: 'failed', pid: null, uptimeMs: null, dependsOn: ['web'], lastError: 'not started: dependency web failed (port 9001 held by pid 3037 (node server.mjs) — see strays)' }),
      status({ id: 'worker', status: 'failed', state: 'failed', pid: null, uptimeMs: null, dependsOn: ['api'], lastError: NESTED }),
    ]);
    await screen.findByText('0 of 3 online');
    const worker = row('worker');
    expect(worker.textContent?.split('port 9001 held by pid 3037').length).toBe(2);
    expect(worker.textContent).not.toContain('dependency api failed (');
    expect(within(worker).getByText(/^Not started: needs/).textContent).toBe('Not started: needs api → web, which failed');
    expect(within(worker).getByRole('link', { name: 'api' }).getAttribute('href')).toBe('#/service/api');
    expect(within(worker).getByRole('link', { name: 'web' }).getAttribute('href')).toBe('#/service/web');
  });

  it('unwinds the chain as data', () => {
    expect(unwindDependencyFailure(NESTED)).toEqual({ chain: ['api', 'web'], root: 'port 9001 held by pid 3037 (node server.mjs) — see strays' });
    expect(unwindDependencyFailure('not started: dependency db failed')).toEqual({ chain: ['db'], root: null });
    expect(unwindDependencyFailure('not started: dependency db is not configured')).toEqual({ chain: ['db'], root: 'db is not configured' });
    expect(unwindDependencyFailure('exited with code 1')).toBeNull();
    expect(describeProblem(status({ id: 'x', status: 'failed', state: 'failed', lastError: NESTED }))).toMatchObject({ kind: 'dependency', tone: 'error' });
  });
});

describe('oneshots and measurements', () => {
  it('a running oneshot says running and is not counted online', async () => {
    renderApp([status({ id: 'web' }), status({ id: 'backup', type: 'oneshot', status: 'online', state: 'running' })]);
    expect(await screen.findByText('1 of 1 online')).toBeTruthy();
    expect(screen.getByText('1 job running')).toBeTruthy();
    expect(within(row('backup')).getByText('running')).toBeTruthy();
    expect(within(row('backup')).queryByText('online')).toBeNull();
    const summary = summarize([status({ id: 'a', type: 'oneshot', status: 'completed', state: 'completed' })]);
    expect(summaryLine(summary)).toBe('1 oneshot');
  });

  it('MEMORY and CPU read — while a run is starting, never 0 B', async () => {
    renderApp([
      status({ id: 'web', status: 'starting', state: 'starting', pid: 4100, memoryBytes: 0, cpu: 0 }),
      status({ id: 'api', status: 'starting', state: 'running', health: 'unknown', pid: 4101, memoryBytes: 0, cpu: null }),
    ]);
    await screen.findByText('0 of 2 online');
    for (const id of ['web', 'api']) {
      expect(within(row(id)).queryByText('0 B')).toBeNull();
      expect(row(id).querySelector('.fact--mem .metric__value')?.textContent).toBe('—');
    }
    expect(row('web').querySelector('.fact--cpu .metric__value')?.textContent).toBe('—');
  });
});
