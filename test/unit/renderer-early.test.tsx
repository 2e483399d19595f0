// The first status request starts before the app bundle runs (public/assets/boot.js); the HTTP
// transport uses that answer for its first list() and info(), once, and only for the same token.
import { describe, expect, it } from 'vitest';
import { createHttpApi } from '../../renderer/src/transport/http.js';
import { status } from './renderer-fake-api.js';

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
