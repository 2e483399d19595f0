// The tray app in a real Electron, driven by Playwright: it launches, supervises a real fixture
// service, shows the tray state and the status window through the preload bridge, and on quit
// leaves no process behind; a closed window is destroyed and made again from the tray. Runs where
// an Electron binary and a display exist; elsewhere it is skipped, with the reason in its title
// (.ci/run prints the same reason in its summary, from scripts/electron-e2e-status.mjs).
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../main/contract/status.js';
import { decideLaunch, findElectronBinary } from '../../main/desktop/launch-decision.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

function skipReason(): string | null {
  const decision = decideLaunch({ platform: process.platform, env: process.env, headlessFlag: false, electron: findElectronBinary(ROOT) });
  if (decision.mode === 'headless') return decision.reason.replace(/^hypha: /, '').replace(/ — running headless.*$/, '');
  if (!existsSync(path.join(ROOT, 'dist', 'app', 'main.cjs'))) return 'not built (run npm run build)';
  return null;
}

const reason = skipReason();
const binary = findElectronBinary(ROOT);
if (reason) console.log(`electron e2e skipped: ${reason}`);

interface DesktopProbe {
  trayState(): string | null;
  windowVisible(): boolean;
  windowExists(): boolean;
  showWindow(): void;
  home: string;
  url: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(reason !== null)(`Electron tray app${reason ? ` — skipped: ${reason}` : ''}`, () => {
  let dir: string;
  let home: string;
  let app: ElectronApplication;
  let page: Page;
  const pids = new Set<number>();

  beforeAll(async () => {
    if (!binary.ok) return;
    dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-electron-e2e-'));
    home = path.join(dir, 'home');
    const config = path.join(dir, 'hypha.yaml');
    writeFileSync(
      config,
      `api:
  port: 0
services:
  web:
    name: Web Frontend
    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(FIXTURES, 'http-server.mjs'))}]
    env: { PORT: "0" }
    stop: { timeout: 3s }
`,
    );
    app = await _electron.launch({
      executablePath: binary.path,
      args: [ROOT, '-c', config],
      env: { ...process.env, HYPHA_HOME: home, HYPHA_E2E: '1', XDG_CONFIG_HOME: path.join(dir, 'xdg') },
    });
    const pid = app.process().pid;
    if (pid) pids.add(pid);
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Read in the main process through the probe main.ts exposes when HYPHA_E2E=1.
  const trayState = (): Promise<string | null> =>
    app.evaluate(() => (globalThis as unknown as { hyphaDesktop: DesktopProbe }).hyphaDesktop.trayState());
  const windowVisible = (): Promise<boolean> =>
    app.evaluate(() => (globalThis as unknown as { hyphaDesktop: DesktopProbe }).hyphaDesktop.windowVisible());

  it('starts the supervisor and shows the tray as online once the service runs', async () => {
    await until(async () => ((await trayState()) === 'online' ? true : undefined), 'tray state online');
    expect(existsSync(path.join(home, 'daemon.json'))).toBe(true);
  });

  it('opens the status window, sandboxed, with window.hypha as its only bridge', async () => {
    expect(await windowVisible()).toBe(true);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const services = await page.evaluate(() => (globalThis as unknown as { hypha: { list(): Promise<ServiceStatus[]> } }).hypha.list());
    expect(services.map((s) => [s.id, s.status])).toEqual([['web', 'online']]);
    for (const s of services) if (s.pid) pids.add(s.pid);
    // Errors come back with their status, rebuilt by the preload.
    const error = await page.evaluate(() =>
      (globalThis as unknown as { hypha: { act(a: string, id: string): Promise<unknown> } }).hypha.act('start', 'ghost').catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ status: 404 });
    // window.open is denied.
    expect(await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com') === null)).toBe(true);
  });

  it('closing the window destroys it; the app stays in the tray and makes a new one on Open', async () => {
    const windowExists = (): Promise<boolean> =>
      app.evaluate(() => (globalThis as unknown as { hyphaDesktop: DesktopProbe }).hyphaDesktop.windowExists());
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await until(async () => ((await windowExists()) === false ? true : undefined), 'window destroyed');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);
    expect(app.process().exitCode).toBeNull();
    const next = app.waitForEvent('window');
    await app.evaluate(() => (globalThis as unknown as { hyphaDesktop: DesktopProbe }).hyphaDesktop.showWindow());
    page = await next;
    await until(async () => ((await windowVisible()) ? true : undefined), 'window shown again');
    const services = await page.evaluate(() => (globalThis as unknown as { hypha: { list(): Promise<ServiceStatus[]> } }).hypha.list());
    expect(services.map((s) => s.id)).toEqual(['web']);
  });

  it('quit stops every service and leaves no process behind', async () => {
    const electronPid = app.process().pid ?? 0;
    const exited = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
    await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('app did not exit in 20 s')), 20_000))]);
    for (const pid of [electronPid, ...pids]) {
      await until(() => (isAlive(pid) ? undefined : true), `pid ${pid} to end`, 10_000);
    }
    expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
  });
});
