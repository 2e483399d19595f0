// The first status request starts before the app bundle runs (public/assets/boot.js); the HTTP
// transport uses that answer for its first list() and info(), once, and only for the same token.
// The store shows a prefetched list the moment it is in (before React's first effects), and the
// first load does not ask for it again or replace it.
import { describe, expect, it } from 'vitest';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { createHttpApi } from '../../renderer/src/transport/http.js';
import { deferred, fakeApi, manualFrames, status } from './renderer-fake-api.js';
import type { ServiceStatus } from '../../main/contract/status.js';

const json = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

function counting() {
  const asked: string[] = [];
  const fetch = ((input: RequestInfo | URL) => {
    asked.push(String(input));
    return Promise.resolve(json({ services: [status({ id: 'fresh' })], version: '9', configFile: 'x' }));
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

describe('early requests', () => {
  it('serve the first list() and info() once, then calls go out as usual', async () => {
    const net = counting();
    const api = createHttpApi({
      token: 't0k',
      fetch: net.fetch,
      early: { token: 't0k', list: Promise.resolve(json({ services: [status({ id: 'early' })] })), info: Promise.resolve(json({ version: '1.2.3', configFile: '/a.yaml' })) },
    });
    expect((await api.list()).map((s) => s.id)).toEqual(['early']);
    expect(await api.info()).toEqual({ version: '1.2.3', configFile: '/a.yaml' });
    expect(net.asked).toEqual([]);
    expect((await api.list()).map((s) => s.id)).toEqual(['fresh']);
    expect(net.asked).toEqual(['/api/services/status']);
  });

  it('are ignored when asked with another token', async () => {
    const net = counting();
    const api = createHttpApi({ token: 'new', fetch: net.fetch, early: { token: 'old', list: Promise.resolve(json({ services: [] })), info: Promise.resolve(json({})) } });
    expect((await api.list()).map((s) => s.id)).toEqual(['fresh']);
    expect(net.asked).toEqual(['/api/services/status']);
  });

  it('report a refused token like any call', async () => {
    const refused = new Response(JSON.stringify({ error: 'missing or wrong bearer token' }), { status: 401 });
    const api = createHttpApi({ token: 't', fetch: counting().fetch, early: { token: 't', list: Promise.resolve(refused), info: Promise.resolve(json({})) } });
    await expect(api.list()).rejects.toMatchObject({ status: 401, message: 'missing or wrong bearer token' });
  });
});

describe('a prefetched list', () => {
  it('is shown as soon as it is in, before connect(); the first load neither asks again nor replaces it', async () => {
    const fake = fakeApi([status({ id: 'web' }), status({ id: 'db' })]);
    const answer = deferred<ServiceStatus[]>();
    fake.overrides.list = () => answer.promise;
    const frames = manualFrames();
    const hypha = createHyphaStore(fake.api, { prefetch: true, schedule: frames.schedule });
    expect(hypha.store.getState().phase).toBe('loading');
    answer.resolve(fake.services);
    await answer.promise;
    await Promise.resolve();
    const shown = hypha.store.getState();
    expect(shown.phase).toBe('ready');
    expect(shown.order).toEqual(['web', 'db']);

    fake.overrides.list = undefined;
    const disconnect = hypha.actions.connect();
    // A status from the stream after the list was shown is newer, and stays.
    fake.emit({ type: 'status', data: status({ id: 'web', pid: 4242 }) });
    frames.run();
    await new Promise((r) => setTimeout(r, 0));
    const after = hypha.store.getState();
    expect(fake.calls.filter((c) => c.method === 'list')).toHaveLength(1);
    expect(after.services.web?.status.pid).toBe(4242);
    expect(after.services.db).toBe(shown.services.db);
    disconnect();
  });

  it('that arrives after the first load began is shown once, by that load', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    const answer = deferred<ServiceStatus[]>();
    fake.overrides.list = () => answer.promise;
    const hypha = createHyphaStore(fake.api, { prefetch: true, schedule: manualFrames().schedule });
    const disconnect = hypha.actions.connect();
    const sets: string[] = [];
    hypha.store.subscribe((s, before) => {
      if (s.services !== before.services) sets.push(s.phase);
    });
    answer.resolve(fake.services);
    await new Promise((r) => setTimeout(r, 0));
    expect(hypha.store.getState().phase).toBe('ready');
    expect(sets).toEqual(['ready']);
    expect(fake.calls.filter((c) => c.method === 'list')).toHaveLength(1);
    disconnect();
  });
});
