// Time to first render of the dashboard with N services (default 200), in Debian's Chromium,
// against a real `hypha daemon`: from navigation start to the moment the summary line and every
// row are in the DOM. Run: `npm run build && node test/bench/dashboard-first-render.mjs [N]`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const N = Number(process.argv[2] ?? 200);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-render-'));
const home = path.join(dir, 'home');
const lines = ['api: { port: 0 }', 'services:'];
for (let i = 0; i < N; i++) lines.push(`  svc-${i}:`, `    command: ["sleep", "3600"]`);
writeFileSync(path.join(dir, 'hypha.yaml'), lines.join('\n') + '\n');

const daemon = spawn(process.execPath, [path.join(ROOT, 'bin/hypha'), 'daemon', '-c', path.join(dir, 'hypha.yaml')], {
  env: { ...process.env, HYPHA_HOME: home },
  stdio: 'ignore',
});
let browser;
try {
  const infoFile = path.join(home, 'daemon.json');
  const deadline = Date.now() + 30_000;
  while (!existsSync(infoFile)) {
    if (Date.now() > deadline) throw new Error('daemon did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  // Let every service reach running, so the page shows the steady state.
  for (;;) {
    const res = await fetch(`${info.url}/api/services/status`, { headers: { authorization: `Bearer ${info.token}` } });
    const body = await res.json();
    if (body.services.every((s) => s.state === 'running')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const results = [];
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${info.url}/#token=${info.token}`);
    await page.waitForFunction((n) => document.querySelector('.summary strong')?.textContent === `${n} of ${n} online`, N, { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.now());
    const rows = await page.locator('li[data-service]').count();
    results.push({ ms, rows });
    await page.close();
  }
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  console.log(`dashboard first render, ${N} services: median ${sorted[2].toFixed(0)} ms (runs: ${sorted.map((m) => m.toFixed(0)).join(', ')}); rows in DOM: ${results[0].rows}`);
} finally {
  await browser?.close();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
