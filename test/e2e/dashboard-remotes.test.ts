// The second-Hypha view of the web dashboard in a real Chromium, with two real daemons: B is
// reached through a tunnel (what `ssh -L` gives), added through the "Add a Hypha" form of A's
// dashboard, and its services appear under its name; Restart on one of them gives it a new pid
// (B's own API agrees). A wrong token and a closed tunnel read as clear messages. Screenshots
// land in test-results/screenshots/remotes*.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, requireChromium } from '../helpers/browser.js';
import { cleanUp, fixtureCommand, ROOT, startDaemon, type Daemon } from '../helpers/daemon.js';
import { openTunnel, type Tunnel } from '../helpers/tunnel.js';

const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

const LOCAL = `api: { port: 0 }
services:
  local:
    name: Local App
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
`;

const SERVER = `api: { port: 0 }
services:
  web:
    name: Web on B
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
  worker:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
  docs:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "0" }
    autostart: false
`;

requireChromium('dashboard remotes e2e');

describe.skipIf(!haveChromium)('the dashboard shows a second Hypha under its name', () => {
  let a: Daemon;
  let b: Daemon;
  let tunnel: Tunnel;
  let bPort = 0;
  let browser: Browser | null = null;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    for (const built of [path.join(ROOT, 'dist', 'main', 'cli', 'index.js'), path.join(ROOT, 'renderer', 'dist', 'index.html')]) {
      if (!existsSync(built)) throw new Error(`${path.relative(ROOT, built)} is missing: run \`npm run build\` first`);
    }
    [a, b] = await Promise.all([startDaemon(LOCAL), startDaemon(SERVER)]);
    bPort = Number(new URL(b.info.url).port);
    tunnel = await openTunnel(bPort);
    await b.waitFor('web', (s) => s.status === 'online', 'online');
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    // Uncaught errors and CSP violations; a refused add answers 502 on purpose, which Chromium
    // logs as a failed resource, so console lines are not counted here.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await tunnel?.close();
    await a?.stop();
    await b?.stop();
    await cleanUp();
  });

  const remote = () => page.locator('section[data-remote="b"]');
  const remoteRow = (id: string) => remote().locator(`li[data-service="${id}"]`);
  const pidOf = async (id: string): Promise<string> => (await remoteRow(id).locator('.fact--pid .fact__value').innerText()).trim();
  const form = () => page.getByRole('form', { name: 'Add a Hypha' });

  async function fill(token: string, port: string): Promise<void> {
    // Once the first list is in, whether the form starts open is decided (open when there is no remote).
    await page.locator('details.remote-add[data-settled="true"]').waitFor({ state: 'attached' });
    if (!(await form().isVisible())) await page.getByText('Add a Hypha', { exact: true }).click();
    await form().getByLabel('Name').fill('b');
    await form().getByLabel('URL').fill(tunnel.url);
    await form().getByLabel('Token').fill(token);
    await form().getByLabel('Port there (if tunnelled)').fill(port);
    await form().getByRole('button', { name: 'Add' }).click();
  }

  it('refuses a wrong token through the form with a message that says so', async () => {
    await page.goto(`${a.info.url}/#token=${a.info.token}`);
    await page.locator('li[data-service="local"][data-status="online"]').waitFor();
    await page.getByRole('heading', { name: 'Other machines' }).waitFor();
    await fill('not-the-token', String(bPort));
    const alert = page.locator('.remote-add [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^b refused the token \(HTTP 401\)/);
    expect(await remote().count()).toBe(0);
  });

  it('adds B through the form; B\'s services appear under its name', async () => {
    await fill(b.info.token, String(bPort));
    await page.locator('.remote-add [role="status"]').getByText('Added b.').waitFor();
    await remote().getByRole('heading', { name: 'b', exact: true }).waitFor();
    await remoteRow('web').and(page.locator('[data-status="online"]')).waitFor();
    await remoteRow('worker').and(page.locator('[data-status="online"]')).waitFor();
    await remoteRow('docs').and(page.locator('[data-status="offline"]')).waitFor();
    expect(await remote().locator('.remote__meta').innerText()).toContain('2 of 3 online');
    expect(await remoteRow('web').locator('.svc__name').innerText()).toBe('Web on B');
    expect(await pidOf('web')).toBe(String((await b.status('web')).pid));
    // B's services are B's: none of them appears among A's own rows, and A's token form is empty.
    expect(await page.locator('.svc-list li[data-service="web"]').count()).toBe(0);
    expect(await form().getByLabel('Token').inputValue()).toBe('');
  });

  it('restarts one of B\'s services from A\'s page: it comes back with a new pid', async () => {
    const before = await pidOf('web');
    expect(before).toMatch(/^\d+$/);
    await remoteRow('web').getByRole('button', { name: 'Restart Web on B on b' }).click();
    await page.waitForFunction(
      (old) => {
        const row = document.querySelector('section[data-remote="b"] li[data-service="web"]');
        const pid = row?.querySelector('.fact--pid .fact__value')?.textContent?.trim() ?? '';
        return row?.getAttribute('data-status') === 'online' && /^\d+$/.test(pid) && pid !== old;
      },
      before,
      { timeout: 60_000 },
    );
    const after = await pidOf('web');
    expect(after).not.toBe(before);
    expect(String((await b.status('web')).pid)).toBe(after);
    await page.screenshot({ path: path.join(SHOTS, 'remotes.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await remote().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'remotes-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('starts a stopped service of B', async () => {
    await remoteRow('docs').getByRole('button', { name: 'Start docs on b' }).click();
    await remoteRow('docs').and(page.locator('[data-status="online"]')).waitFor({ timeout: 60_000 });
    expect((await b.status('docs')).status).toBe('online');
  });

  it('opens the form on #/add-remote (where the tray\'s "Add another machine…" leads), focused on Name', async () => {
    await page.getByText('Add a Hypha', { exact: true }).click();
    await form().waitFor({ state: 'hidden' });
    await page.evaluate(() => (window.location.hash = '#/add-remote'));
    await form().waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('form')?.getAttribute('aria-label') === 'Add a Hypha');
  });

  it('says why B cannot be reached once the tunnel closes', async () => {
    await tunnel.close();
    await page.locator('section[data-remote="b"][data-reachable="false"]').waitFor({ timeout: 30_000 });
    expect(await remote().locator('[role="alert"]').innerText()).toMatch(/^cannot reach b at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    await page.screenshot({ path: path.join(SHOTS, 'remotes-unreachable.png'), fullPage: true });
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
