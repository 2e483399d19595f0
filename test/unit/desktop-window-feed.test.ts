// A tray app at rest feeds no window: the status window's subscription (with log lines) exists
// only while a window does (window-feed.ts), and the tray's own subscription asks for no log
// lines, so a service that logs constantly reaches nobody while the window is closed. Real
// supervisor, real chatty child process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupervisorMessage } from '../../main/contract/status.js';
import { WindowFeed } from '../../main/desktop/window-feed.js';
import { startHypha, type HyphaRuntime } from '../../main/host/runtime.js';

let dir: string;
let runtime: HyphaRuntime;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lines the service has written so far (the log file's ring, which needs no watcher). */
const written = (): number => runtime.supervisor.logs('chatty', 1000).filter((l) => l.text.startsWith('tick')).length;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-window-feed-'));
  const config = path.join(dir, 'hypha.yaml');
  writeFileSync(
    config,
    `api: { port: 0 }
services:
  chatty:
    command: [${JSON.stringify(process.execPath)}, "-e", "let n = 0; setInterval(() => console.log('tick ' + n++), 5)"]
    stop: { timeout: 3s }
`,
  );
  runtime = await startHypha({ configPath: config, home: path.join(dir, 'home'), log: () => undefined });
});

afterAll(async () => {
  await runtime?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the window feed', () => {
  it('carries log lines only while a window exists; the tray never gets them', async () => {
    const tray: SupervisorMessage[] = [];
    const window: SupervisorMessage[] = [];
    const traySub = runtime.supervisor.subscribe((m) => tray.push(m), { logs: false });
    const feed = new WindowFeed(runtime.supervisor, (m) => window.push(m));
    try {
      // Closed window: the service chatters, nobody is fed a line.
      await until('the service to log', () => written() >= 20);
      expect(feed.feeding).toBe(false);
      expect(window).toEqual([]);
      expect(tray.filter((m) => m.type === 'log')).toEqual([]);

      // A window opens: it is fed everything, log lines included.
      feed.open();
      feed.open(); // a second open is the same feed, not a second subscription
      await until('log lines in the window', () => window.filter((m) => m.type === 'log').length >= 10);
      const first = window.find((m) => m.type === 'log');
      expect(first).toMatchObject({ type: 'log', data: { id: 'chatty', line: { stream: 'stdout' } } });
      const texts = window.flatMap((m) => (m.type === 'log' ? [m.data.line.text] : []));
      expect(new Set(texts).size).toBe(texts.length);

      // Closed again: nothing more reaches it while the service goes on logging.
      feed.close();
      const fed = window.length;
      const before = written();
      await until('more lines written', () => written() >= before + 20);
      expect(window.length).toBe(fed);
      expect(tray.filter((m) => m.type === 'log')).toEqual([]);
      // The tray still hears about status changes.
      await runtime.supervisor.act('restart', 'chatty');
      await until('a status message for the tray', () => tray.some((m) => m.type === 'status'));
    } finally {
      feed.dispose();
      traySub.dispose();
    }
  });
});
