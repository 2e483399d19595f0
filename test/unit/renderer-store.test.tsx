// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createHyphaStore, type HyphaStore } from '../../renderer/src/store/store.js';
import { mergeLines } from '../../renderer/src/store/merge.js';
import { filterIds, summarize, summaryLine } from '../../renderer/src/store/selectors.js';
import { HyphaRequestError } from '../../renderer/src/transport/errors.js';
import { deferred, fakeApi, manualFrames, status } from './renderer-fake-api.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length) disposers.pop()?.();
});

async function until(check: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function connected(hypha: HyphaStore): Promise<void> {
  disposers.push(hypha.actions.connect());
  await until(() => hypha.store.getState().phase !== 'loading', 'the first load');
}

describe('store: live updates', () => {
  it('applies a burst of status messages in a single update on the next frame', async () => {
    const frames = manualFrames();
    const fake = fakeApi([status({ id: 'web' }), status({ id: 'db' })]);
    const hypha = createHyphaStore(fake.api, { schedule: frames.schedule });
    await connected(hypha);
    let notifications = 0;
    disposers.push(hypha.store.subscribe(() => notifications++));

    for (let i = 1; i <= 200; i++) fake.emit({ type: 'status', data: status({ id: 'web', restarts: i, cpu: i }) });
    fake.emit({ type: 'status', data: status({ id: 'cache', status: 'starting', state: 'running' }) });

    expect(frames.pending()).toBe(1);
    expect(notifications).toBe(0);
    expect(hypha.store.getState().services.web?.status.restarts).toBe(0);

    frames.run();
    const state = hypha.store.getState();
    expect(notifications).toBe(1);
    expect(state.services.web?.status.restarts).toBe(200);
    expect(state.order).toEqual(['web', 'db', 'cache']);
    expect(frames.pending()).toBe(0);
  });

  it('keeps only the open service’s log lines and events', async () => {
    const frames = manualFrames();
    const fake = fakeApi([status({ id: 'web' }), status({ id: 'db' })]);
    const hypha = createHyphaStore(fake.api, { schedule: frames.schedule });
    await connected(hypha);
    hypha.actions.openDetail('web');
    await until(() => hypha.store.getState().detail?.loading === false, 'detail to load');

    const ts = new Date().toISOString();
    fake.emit({ type: 'log', data: { id: 'web', line: { ts, stream: 'stdout', text: 'listening' } } });
    fake.emit({ type: 'log', data: { id: 'db', line: { ts, stream: 'stdout', text: 'not for web' } } });
    fake.emit({ type: 'event', data: { id: 'web', kind: 'started', message: 'started (pid 1000)', ts } });
    frames.run();

    const detail = hypha.store.getState().detail;
    expect(detail?.lines.map((l) => l.text)).toEqual(['listening']);
    expect(detail?.events.map((e) => e.kind)).toEqual(['started']);
  });

  it('polls CPU and memory, re-rendering only the services whose numbers changed', async () => {
    const fake = fakeApi([status({ id: 'web', cpu: 1 }), status({ id: 'db', cpu: 2 })]);
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);
    const db = hypha.store.getState().services.db;

    fake.services = [status({ id: 'web', cpu: 40, memoryBytes: 64 * 1024 * 1024 }), status({ id: 'db', cpu: 2, uptimeMs: 9_000 })];
    await hypha.actions.refreshMetrics();
    await hypha.actions.refreshMetrics();
    const state = hypha.store.getState();
    expect(state.services.web?.status.cpu).toBe(40);
    expect(state.services.db).toBe(db);
    expect(state.history.web?.cpu).toEqual([1, 40, 40]);
    expect(state.history.web?.memory.at(-1)).toBe(64 * 1024 * 1024);
  });

  it('merges fetched log history with lines streamed while it was loading, without duplicates', () => {
    const line = (ts: string, text: string) => ({ ts, stream: 'stdout' as const, text });
    const fetched = [line('2024-01-01T00:00:01.000Z', 'a'), line('2024-01-01T00:00:02.000Z', 'b')];
    const streamed = [line('2024-01-01T00:00:02.000Z', 'b'), line('2024-01-01T00:00:02.000Z', 'c'), line('2024-01-01T00:00:03.000Z', 'd')];
    expect(mergeLines(fetched, streamed).map((l) => l.text)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('store: summary and filter', () => {
  const list = [
    status({ id: 'web', name: 'Web Frontend' }),
    status({ id: 'api' }),
    status({ id: 'worker', status: 'failed', state: 'failed', pid: null }),
    status({ id: 'db' }),
  ];
  const byId = Object.fromEntries(list.map((s) => [s.id, { status: s }]));
  const order = list.map((s) => s.id);

  it('says how many of how many are online', () => {
    const summary = summarize(list);
    expect(summaryLine(summary)).toBe('3 of 4 online');
    expect(summary.counts.failed).toBe(1);
    expect(summaryLine(summarize([]))).toBe('No services');
  });

  it('filters by id or display name, and by state', () => {
    expect(filterIds(order, byId, { text: 'front', status: 'all' })).toEqual(['web']);
    expect(filterIds(order, byId, { text: 'W', status: 'all' })).toEqual(['web', 'worker']);
    expect(filterIds(order, byId, { text: '', status: 'failed' })).toEqual(['worker']);
    expect(filterIds(order, byId, { text: '', status: 'problems' })).toEqual(['worker']);
    expect(filterIds(order, byId, { text: 'web', status: 'failed' })).toEqual([]);
  });
});

describe('store: actions', () => {
  it('marks a service pending while its action runs, then applies the answer', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    const answer = deferred<ReturnType<typeof status>[]>();
    fake.overrides.act = () => answer.promise;
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);

    const done = hypha.actions.act('stop', 'web');
    expect(hypha.store.getState().pending.web).toBe('stop');
    // A second click while pending is merged into the first, never sent again.
    void hypha.actions.act('stop', 'web');
    expect(fake.calls.filter((c) => c.method === 'act')).toHaveLength(1);

    answer.resolve([status({ id: 'web', status: 'offline', state: 'stopped', pid: null })]);
    await done;
    const state = hypha.store.getState();
    expect(state.pending.web).toBeUndefined();
    expect(state.services.web?.status.status).toBe('offline');
    expect(state.notices.web).toBeUndefined();
  });

  it('keeps a clear message when an action fails', async () => {
    const fake = fakeApi([status({ id: 'web', name: 'Web', status: 'offline', state: 'stopped', pid: null })]);
    fake.overrides.act = () => Promise.reject(new HyphaRequestError('port 3000 is held by pid 4242 (python3 -m http.server)', 409));
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);

    await hypha.actions.act('start', 'web');
    const state = hypha.store.getState();
    expect(state.pending.web).toBeUndefined();
    expect(state.notices.web).toEqual({ kind: 'error', text: 'Could not start Web: port 3000 is held by pid 4242 (python3 -m http.server)' });
    hypha.actions.dismiss('web');
    expect(hypha.store.getState().notices.web).toBeUndefined();
  });

  it('does not let an action’s answer overwrite a newer status from the stream', async () => {
    const frames = manualFrames();
    const fake = fakeApi([status({ id: 'web', status: 'offline', state: 'stopped', pid: null })]);
    const answer = deferred<ReturnType<typeof status>[]>();
    fake.overrides.act = () => answer.promise;
    const hypha = createHyphaStore(fake.api, { schedule: frames.schedule });
    await connected(hypha);

    const done = hypha.actions.act('start', 'web');
    await new Promise((r) => setTimeout(r, 2));
    fake.emit({ type: 'status', data: status({ id: 'web', status: 'online', pid: 77 }) });
    frames.run();
    answer.resolve([status({ id: 'web', status: 'starting', pid: 77 })]);
    await done;
    expect(hypha.store.getState().services.web?.status.status).toBe('online');
  });

  it('stops strays and drops them from the banner at once', async () => {
    const stray = (pid: number) => ({ pid, command: 'node server.mjs', startedAt: null, ancestry: [{ pid: 1, command: 'init' }] });
    const fake = fakeApi([status({ id: 'web', strays: [stray(501), stray(502)] })]);
    fake.overrides.stopStrays = () => Promise.resolve([501, 502]);
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);

    await hypha.actions.stopStrays('web');
    const state = hypha.store.getState();
    expect(state.services.web?.status.strays).toEqual([]);
    expect(state.notices.web).toEqual({ kind: 'info', text: 'Stopped 2 stray processes (pid 501, 502).' });
  });
});

describe('store: connection', () => {
  it('shows not-authorised when the daemon refuses the token', async () => {
    const fake = fakeApi([]);
    fake.overrides.list = () => Promise.reject(new HyphaRequestError('missing or wrong bearer token', 401));
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);
    expect(hypha.store.getState().phase).toBe('unauthorized');
    expect(hypha.store.getState().problem).toBe('missing or wrong bearer token');
  });

  it('says the daemon is unreachable, then recovers when the stream opens again', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    fake.overrides.list = () => Promise.reject(new HyphaRequestError('Could not reach the Hypha daemon.', 0));
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);
    expect(hypha.store.getState().phase).toBe('unreachable');
    expect(hypha.store.getState().retryAt).not.toBeNull();

    delete fake.overrides.list;
    fake.connection({ state: 'open' });
    await until(() => hypha.store.getState().phase === 'ready', 'recovery');
    expect(hypha.store.getState().order).toEqual(['web']);
  });

  it('resyncs the list after the stream comes back from a drop', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    const hypha = createHyphaStore(fake.api);
    await connected(hypha);
    fake.connection({ state: 'retrying', retryInMs: 500, message: 'Lost the connection to the Hypha daemon.' });
    expect(hypha.store.getState().connection.state).toBe('retrying');

    fake.services = [status({ id: 'web', status: 'failed', state: 'failed', pid: null })];
    fake.connection({ state: 'open' });
    await until(() => hypha.store.getState().services.web?.status.status === 'failed', 'resync');
  });

  it('stops listening when disconnected', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    const hypha = createHyphaStore(fake.api);
    const disconnect = hypha.actions.connect();
    expect(fake.listenerCount()).toBe(1);
    disconnect();
    expect(fake.listenerCount()).toBe(0);
  });
});
