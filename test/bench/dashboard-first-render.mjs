// Time to first render of the dashboard with N services (default 200), in Debian's Chromium,
// against a real `hypha daemon`: from navigation start to the moment the summary line reads
// "N of N online" and the first rows are in the DOM, taken inside the page by a
// MutationObserver (no polling delay). Beside the total it prints where the time went: the
// bundle's arrival, the start and end of the status request, and the rows in the DOM.
// Run: `npm run build && node test/bench/dashboard-first-render.mjs [N] [--root DIR] [--runs R]`
// (`--root` measures another checkout's build, e.g. the code before a change, on the same machine).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { root: { type: 'string' }, runs: { type: 'string', default: '7' } } });
const N = Number(positionals[0] ?? 200);
const RUNS = Number(values.runs);
const ROOT = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-render-'));
const home = path.join(dir, 'home');
const lines = ['api: { port: 0 }', 'services:'];
for (let i = 0; i < N; i++) lines.push(`  svc-${i}:`, `    command: ["sleep", "3600"]`);
writeFileSync(path.join(dir, 'hypha.yaml'), lines.join('\n') + '\n');

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const daemon = spawn(process.execPath, [path.join(ROOT, 'bin/hypha'), 'daemon', '-c', path.join(dir, 'hypha.yaml')], {
  env: { ...process.env, HYPHA_HOME: home },
  stdio: 'ignore',
});
let browser;
try {
  const infoFile = path.join(home, 'daemon.json');
  const deadline = Date.now() + 30_000;
  let info = null;
  while (!info) {
    if (Date.now() > deadline) throw new Error('daemon did not start');
    try {
      info = JSON.parse(readFileSync(infoFile, 'utf8'));
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
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
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript((n) => {
      const want = `${n} of ${n} online`;
      const check = () => {
        if (window.__rendered !== undefined) return;
        if (document.querySelector('.summary strong')?.textContent === want && document.querySelector('li[data-service]')) {
          window.__rendered = performance.now();
        }
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    }, N);
    await page.goto(`${info.url}/#token=${info.token}`);
    await page.waitForFunction(() => window.__rendered !== undefined, null, { timeout: 30_000 });
    const r = await page.evaluate(() => {
      const res = performance.getEntriesByType('resource');
      const js = res.find((e) => /\/assets\/index-[^/]*\.js$/.test(e.name));
      const status = res.find((e) => e.name.endsWith('/api/services/status'));
      return {
        ms: window.__rendered,
        bundle: js?.responseEnd ?? NaN,
        statusStart: status?.startTime ?? NaN,
        statusEnd: status?.responseEnd ?? NaN,
        rows: document.querySelectorAll('li[data-service]').length,
      };
    });
    results.push(r);
    await page.close();
  }
  const pick = (k) => median(results.map((r) => r[k])).toFixed(0);
  console.log(
    `dashboard first render, ${N} services: median ${pick('ms')} ms (runs: ${results.map((r) => r.ms.toFixed(0)).join(', ')}); ` +
      `bundle in at ${pick('bundle')} ms, status asked at ${pick('statusStart')} ms, answered at ${pick('statusEnd')} ms; rows in DOM: ${results[0].rows}` +
      (values.root ? ` [root ${ROOT}]` : ''),
  );
} finally {
  await browser?.close();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
