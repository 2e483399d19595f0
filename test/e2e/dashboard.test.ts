// The web dashboard in a real Chromium against a real `hypha daemon` supervising real fixture
// processes, at 1280 px and at the tray window's 420 px. Screenshots land in
// test-results/screenshots/ for a person to look at (light and dark).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, requireChromium } from '../helpers/browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

interface DaemonInfo {
  pid: number;
  url: string;
  token: string;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A listener in this test process: the service configured on its port cannot start. */
function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// A oneshot that prints one very long line (it must wrap at 420 px) and an error line.
const JOB_SCRIPT = "console.log('report: ' + 'all-tables-vacuumed '.repeat(40)); console.error('Error: nothing to do'); process.exit(0)";

function config(webPort: number, heldPort: number): string {
  const node = JSON.stringify(process.execPath);
  const fixture = (name: string): string => JSON.stringify(path.join(FIXTURES, name));
  return `api:
  port: 0
services:
  web:
    name: Web Frontend
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "${webPort}" }
    port: ${webPort}
    health:
      http: http://127.0.0.1:${webPort}/health
      interval: 500ms
  api:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
  crasher:
    command: [${node}, ${fixture('crasher.mjs')}]
    restart:
      delay: 100ms
      max_restarts: 2
  docs:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
    autostart: false
  blocked:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "${heldPort}" }
    port: ${heldPort}
  mid:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
    depends_on: [blocked]
  top:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
    depends_on: [mid]
  never:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
    health:
      exec: ["false"]
      interval: 1h
      start_period: 1h
  waiter:
    command: [${node}, ${fixture('http-server.mjs')}]
    env: { PORT: "0" }
    depends_on:
      never: { condition: healthy }
  job:
    type: oneshot
    command: [${node}, "-e", ${JSON.stringify(JOB_SCRIPT)}]
    autostart: false
`;
}

requireChromium('dashboard e2e');

describe.skipIf(!haveChromium)('web dashboard against a real daemon', () => {
  let dir = '';
  let daemon: ChildProcess | null = null;
  let daemonOutput = '';
  let info: DaemonInfo;
  let browser: Browser | null = null;
  let page: Page;
  let held: Server | null = null;
  let heldPort = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    for (const built of [path.join(ROOT, 'dist', 'main', 'cli', 'index.js'), path.join(ROOT, 'renderer', 'dist', 'index.html')]) {
      if (!existsSync(built)) throw new Error(`${path.relative(ROOT, built)} is missing: run \`npm run build\` first`);
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-dashboard-'));
    const home = path.join(dir, 'home');
    const configFile = path.join(dir, 'hypha.yaml');
    heldPort = await freePort();
    held = await holdPort(heldPort);
    writeFileSync(configFile, config(await freePort(), heldPort));

    daemon = spawn(process.execPath, [path.join(ROOT, 'bin', 'hypha'), 'daemon', '-c', configFile], {
      cwd: dir,
      env: { ...process.env, HYPHA_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stdout?.on('data', (chunk: Buffer) => (daemonOutput += chunk.toString()));
    daemon.stderr?.on('data', (chunk: Buffer) => (daemonOutput += chunk.toString()));
    const infoFile = path.join(home, 'daemon.json');
    info = await until(() => {
      if (daemon?.exitCode !== null) throw new Error(`hypha daemon exited early:\n${daemonOutput}`);
      if (!existsSync(infoFile)) return undefined;
      try {
        return JSON.parse(readFileSync(infoFile, 'utf8')) as DaemonInfo;
      } catch {
        return undefined; // caught mid-write
      }
    }, 'daemon.json');

    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    // Reduced motion: no colour transitions caught half-way in a screenshot after a theme switch.
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  /** SIGTERM (the daemon stops its services and exits), SIGKILL if it has not within 15 s. */
  async function stopDaemon(): Promise<void> {
    const child = daemon;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  afterAll(async () => {
    await browser?.close();
    await stopDaemon();
    await new Promise<void>((resolve) => (held ? held.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const row = (id: string) => page.locator(`li[data-service="${id}"]`);
  const pidOf = async (id: string): Promise<string> => (await row(id).locator('.fact--pid .fact__value').innerText()).trim();

  it('lists every service with its state, and takes the token out of the address bar', async () => {
    await page.goto(`${info.url}/#token=${info.token}`);
    await row('web').and(page.locator('[data-status="online"]')).waitFor();
    await row('api').and(page.locator('[data-status="online"]')).waitFor();
    await row('crasher').and(page.locator('[data-status="failed"]')).waitFor();
    await row('docs').and(page.locator('[data-status="offline"]')).waitFor();
    expect(page.url()).not.toContain(info.token);

    expect(await page.locator('.summary strong').innerText()).toBe('2 of 9 online');
    expect(await row('web').locator('.badge').innerText()).toBe('online');
    expect(await row('web').locator('.fact--health .fact__value').innerText()).toBe('healthy · HTTP 200');
    expect(await pidOf('web')).toMatch(/^\d+$/);
    expect(await row('docs').innerText()).toContain('Not started yet');

    // Let a few metric samples in so the sparklines have something to draw.
    await page.waitForFunction(() => document.querySelectorAll('li[data-service="web"] .spark__line').length === 2, null, { timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, 'overview-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SHOTS, 'overview-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 600 });
    await page.screenshot({ path: path.join(SHOTS, 'overview-narrow-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('stops a service, then starts it again with a new pid', async () => {
    const before = await pidOf('web');
    await row('web').getByRole('button', { name: 'Stop Web Frontend' }).click();
    await row('web').and(page.locator('[data-status="offline"]')).waitFor();
    expect(await row('web').locator('.badge').innerText()).toBe('offline');
    expect(await pidOf('web')).toBe('—');

    await row('web').getByRole('button', { name: 'Start Web Frontend' }).click();
    await row('web').and(page.locator('[data-status="online"]')).waitFor();
    const after = await pidOf('web');
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
  });

  it('shows a crashing service’s restarts and why it ended failed', async () => {
    const crasher = row('crasher');
    await crasher.and(page.locator('[data-status="failed"]')).waitFor();
    expect(await crasher.locator('.fact--restarts .fact__value').innerText()).toBe('2');
    expect(await crasher.locator('.svc__problem').innerText()).toMatch(/exited with code 1/);
    expect(await crasher.getByRole('button', { name: 'Start crasher' }).isEnabled()).toBe(true);
  });

  it('shows a service’s output in the log viewer, live', async () => {
    await row('web').getByRole('link', { name: 'Web Frontend' }).click();
    const log = page.getByRole('log', { name: 'Log of Web Frontend' });
    await log.getByText(/listening port=\d+/).first().waitFor();
    const listening = (): Promise<number> => log.getByText(/listening port=\d+/).count();
    const seen = await listening();

    await page.getByRole('button', { name: 'Restart Web Frontend' }).click();
    await until(async () => ((await listening()) > seen ? true : undefined), 'the restarted service’s output to stream in');
    expect(await log.locator('.logline--supervisor').count()).toBeGreaterThan(0);

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('list', { name: /Supervisor events/ }).waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByRole('tabpanel').innerText()).toContain('http-server.mjs');
    await page.getByRole('tab', { name: 'Logs' }).click();
    await log.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'detail-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 420, height: 600 });
    await page.screenshot({ path: path.join(SHOTS, 'detail-narrow-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('link', { name: 'All services' }).click();
    await row('web').waitFor();
  });

  it('can be driven from the keyboard: Enter opens a service, Escape comes back to it', async () => {
    await row('api').getByRole('link', { name: 'api' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'api' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await row('api').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('svc-name-api');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Stop api');
  });

  /** Shows only the rows whose name contains `text` (the list renders only what is near the viewport). */
  async function filterTo(text: string): Promise<void> {
    await page.getByRole('searchbox', { name: 'Filter by name' }).fill(text);
  }

  const colorOf = (locator: ReturnType<Page['locator']>): Promise<string> => locator.evaluate((el) => getComputedStyle(el).color);

  for (const width of [1280, 420]) {
    it(`at ${width} px: a wait is grey, a dependency failure names its root cause once with the chain as links`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await filterTo('crasher');
      const red = await colorOf(row('crasher').locator('.svc__problem--error'));

      await filterTo('waiter');
      const waiting = row('waiter').locator('[data-problem="waiting"]');
      await waiting.waitFor();
      expect(await waiting.innerText()).toBe('Waiting for never (healthy)');
      expect(await colorOf(waiting)).not.toBe(red);
      expect(await row('waiter').locator('.svc__problem--error').count()).toBe(0);
      expect(await waiting.getByRole('link', { name: 'never' }).getAttribute('href')).toBe('#/service/never');

      await filterTo('top');
      const failure = row('top').locator('[data-problem="dependency"]');
      await failure.waitFor();
      const text = await row('top').innerText();
      expect(text.split(`port ${heldPort} held by pid ${process.pid}`).length).toBe(2);
      expect(text).not.toContain('dependency mid failed (');
      expect(await failure.locator('.problem__chain').innerText()).toBe('Not started: needs mid → blocked, which failed');
      expect(await failure.getByRole('link', { name: 'mid' }).getAttribute('href')).toBe('#/service/mid');
      expect(await failure.getByRole('link', { name: 'blocked' }).getAttribute('href')).toBe('#/service/blocked');

      await filterTo('');
      await page.screenshot({ path: path.join(SHOTS, `problems-${width}.png`), fullPage: width === 1280 });
      await page.setViewportSize({ width: 1280, height: 800 });
    });
  }

  it('runs a oneshot; its long log lines wrap at 1280 and 420 px; its runs are listed', async () => {
    await page.evaluate(() => {
      window.location.hash = '#/service/job';
    });
    await page.getByRole('heading', { level: 1, name: 'job' }).waitFor();
    await page.getByRole('button', { name: 'Run now job' }).click();
    await page.locator('.detail .badge--completed').waitFor();
    const log = page.getByRole('log', { name: 'Log of job' });
    await log.getByText(/^report: all-tables-vacuumed/).waitFor();

    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 700 });
      await page.waitForFunction(() => document.querySelector('.logs__scroller')?.clientWidth !== undefined);
      const overflow = await page.evaluate(() => {
        const scroller = document.querySelector('.logs__scroller') as HTMLElement;
        const lines = Array.from(document.querySelectorAll<HTMLElement>('.logline'));
        const right = scroller.getBoundingClientRect().right;
        return {
          scroller: scroller.scrollWidth - scroller.clientWidth,
          widerLines: lines.filter((l) => l.scrollWidth > l.clientWidth).length,
          pastEdge: lines.filter((l) => Array.from(l.children).some((c) => c.getBoundingClientRect().right > right + 0.5)).length,
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          lines: lines.length,
        };
      });
      expect(overflow.lines).toBeGreaterThan(0);
      expect(overflow, `at ${width} px`).toMatchObject({ scroller: 0, widerLines: 0, pastEdge: 0, page: 0 });
      const long = log.locator('.logline', { hasText: 'report: all-tables-vacuumed' });
      expect((await long.boundingBox())?.height ?? 0).toBeGreaterThan(20); // wrapped onto more than one row
    }

    await page.getByRole('tab', { name: 'Runs' }).click();
    const api = await fetch(`${info.url}/api/services/job/runs`, { headers: { authorization: `Bearer ${info.token}` } });
    const { runs } = (await api.json()) as { runs: unknown[] };
    if (runs.length > 0) {
      // The core keeps the history: every run it reports is a row, the newest one ok.
      await page.getByRole('table', { name: 'Last runs, newest first' }).waitFor();
      expect(await page.locator('.runs tbody tr').count()).toBe(runs.length);
      expect(await page.locator('.runs tbody tr').first().getAttribute('data-run-outcome')).toBe('ok');
    } else {
      // Until the core fills the history, the API answers [] and the tab says so.
      await page.getByText('No runs recorded yet. The supervisor keeps the last 20 runs of a oneshot.').waitFor();
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SHOTS, 'oneshot-runs-narrow-dark.png') });
    await page.getByRole('tab', { name: 'Logs' }).click();
    await log.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'oneshot-log-narrow-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'All services' }).click();
    await row('web').waitFor();
  });

  it('shows its keyboard shortcuts on ?, in dark mode too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.innerText()).toContain('Filter services by name');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(SHOTS, 'shortcuts-dark.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('after Stop all, the rows that were running read stopped in grey, not red, at 1280 and 420 px', async () => {
    await filterTo('crasher');
    const red = await colorOf(row('crasher').locator('.svc__problem--error'));
    await filterTo('');
    await page.getByRole('button', { name: 'Stop all', exact: true }).click();
    for (const id of ['web', 'api']) await row(id).and(page.locator('[data-status="offline"]')).waitFor();
    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 800 });
      for (const id of ['web', 'api']) {
        await filterTo(id === 'web' ? 'web' : 'api');
        const line = row(id).locator('[data-problem="exit"]');
        await line.waitFor();
        expect(await line.innerText()).toMatch(/^Stopped · last run (killed by SIGTERM|exited normally \(code 0\)) at /);
        expect(await row(id).locator('.svc__problem--error').count()).toBe(0);
        expect(await colorOf(line)).not.toBe(red);
      }
      await filterTo('');
      await page.screenshot({ path: path.join(SHOTS, `stopped-all-${width}.png`), fullPage: width === 1280 });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Start all', exact: true }).click();
    await row('web').and(page.locator('[data-status="online"]')).waitFor();
  });

  it('shows "Not authorised" for a wrong token', async () => {
    const context = await browser!.newContext();
    try {
      const other = await context.newPage();
      await other.goto(`${info.url}/#token=not-the-token`);
      await other.getByRole('heading', { name: 'Not authorised' }).waitFor();
      expect(await other.locator('li[data-service]').count()).toBe(0);
      await other.screenshot({ path: path.join(SHOTS, 'not-authorised.png') });
    } finally {
      await context.close();
    }
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });

  it('says "Disconnected — retrying" when the daemon goes away, keeping the last known state', async () => {
    await stopDaemon();
    await page.getByText('Disconnected — retrying').waitFor();
    expect(await row('web').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'disconnected.png') });
  });
});
