// The dashboard's first render (issue 16) in a real Chromium against a real `hypha daemon`:
// - the first status is asked for while the main chunk is still on its way (public/assets/boot.js),
//   and the app shows that answer instead of asking again;
// - the page served without a token carries no status (the token travels in the URL fragment, so
//   `GET /` is token-less: anything in it would be readable by any local process);
// - a display name written to break out of markup (`</script>`, an onerror attribute) is shown as
//   text and runs nothing;
// - scripts and styles go out gzip-compressed to a browser that accepts it, byte for byte the build.
// No timings are asserted here: the first-render time is `npm run bench`'s figure.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, requireChromium } from '../helpers/browser.js';
import { cleanUp, q, ROOT, startDaemon, type Daemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const ROWS = 30;

function config(): string {
  const lines = ['api: { port: 0 }', 'services:', '  hostile:', `    name: ${q(HOSTILE)}`, '    command: ["sleep", "3600"]'];
  for (let i = 0; i < ROWS; i++) lines.push(`  svc-${i}:`, '    command: ["sleep", "3600"]');
  return `${lines.join('\n')}\n`;
}

const mainChunk = (): string => {
  const html = readFileSync(path.join(ROOT, 'renderer', 'dist', 'index.html'), 'utf8');
  const src = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('renderer/dist/index.html has no module script');
  return src;
};

requireChromium('dashboard first-render e2e');

describe.skipIf(!haveChromium)('dashboard first render', () => {
  let d: Daemon;
  let browser: Browser | null = null;

  beforeAll(async () => {
    d = await startDaemon(config());
    await waitFor(async () => (await d.list()).every((s) => s.state === 'running'), { timeoutMs: 60_000, message: 'every service running' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await d?.stop();
    await cleanUp();
  });

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    if (!browser) throw new Error('no browser');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return { page, errors };
  }

  it('asks for the first status while the main chunk is held, and shows that answer without asking again', async () => {
    const { page, errors } = await openPage();
    let statusAnswered = false;
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/services/status') statusAnswered = true;
    });
    // Counts the page's status requests (boot.js and the app both use window.fetch), and notes
    // how many there were when the first row reached the DOM.
    await page.addInitScript(() => {
      const w = window as unknown as { __statusFetches: number; __fetchesAtRows?: number };
      w.__statusFetches = 0;
      const original = window.fetch.bind(window);
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (new URL(url, location.href).pathname === '/api/services/status') w.__statusFetches++;
        return original(input, init);
      };
      new MutationObserver(() => {
        if (w.__fetchesAtRows === undefined && document.querySelector('li[data-service]')) w.__fetchesAtRows = w.__statusFetches;
      }).observe(document, { childList: true, subtree: true });
    });
    // The main chunk is held until the status answer is in: were the status asked for only by
    // the app, this would never happen and the wait below would time out.
    const chunk = mainChunk();
    const gate = { release: (): void => undefined };
    const released = new Promise<void>((resolve) => (gate.release = resolve));
    let heldChunk = false;
    await page.route(`**/${chunk}`, async (route: Route) => {
      heldChunk = true;
      await released;
      await route.continue();
    });
    try {
      // Not waiting for `load`: that needs the held chunk.
      await page.goto(`${d.info.url}/#token=${d.info.token}`, { waitUntil: 'commit' });
      await waitFor(() => heldChunk && statusAnswered, { timeoutMs: 30_000, message: 'the status answered while the main chunk is held' });
      expect(await page.locator('li[data-service]').count()).toBe(0);
      gate.release();
      await page.locator('.summary strong', { hasText: `${ROWS + 1} of ${ROWS + 1} online` }).waitFor({ timeout: 30_000 });
      expect(await page.locator('li[data-service]').count()).toBeGreaterThan(3);
      // The app used the early answer: one status request before the rows, the one asked early.
      expect(await page.evaluate(() => (window as unknown as { __fetchesAtRows?: number }).__fetchesAtRows)).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      gate.release();
      await page.close();
    }
  });

  it('serves a page without statuses to a request without a token', async () => {
    const res = await fetch(`${d.info.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toContain('svc-0');
    expect(html).not.toContain('window.__pwned');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('shows a display name written to break out of markup as text, and runs nothing from it', async () => {
    const { page, errors } = await openPage();
    try {
      await page.goto(`${d.info.url}/#token=${d.info.token}`);
      const row = page.locator('li[data-service="hostile"]');
      await row.waitFor({ timeout: 30_000 });
      expect(await row.locator('.svc__name').textContent()).toBe(HOSTILE);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('sends scripts and styles gzip-compressed when asked, identical to the build once unpacked', async () => {
    const assets = path.join(ROOT, 'renderer', 'dist', 'assets');
    const chunk = mainChunk();
    const built = readFileSync(path.join(ROOT, 'renderer', 'dist', chunk));
    const get = (p: string, encoding: string | null) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const url = new URL(p, d.info.url);
        void import('node:http').then(({ request }) => {
          const req = request(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
          });
          req.on('error', reject);
          req.end();
        }, reject);
      });

    const zipped = await get(`/${chunk}`, 'gzip, deflate, br');
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-security-policy']).toContain("script-src 'self'");
    expect(zipped.body.length).toBeLessThan(built.length / 2);
    expect(gunzipSync(zipped.body).equals(built)).toBe(true);

    const plain = await get(`/${chunk}`, null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(built)).toBe(true);
    const refused = await get(`/${chunk}`, 'gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();

    // The compressed copies themselves are not addressable.
    const gz = readdirSync(assets).find((f) => f.endsWith('.gz'));
    expect(gz).toBeDefined();
    expect((await get(`/assets/${gz}`, null)).status).toBe(404);
  });
});
