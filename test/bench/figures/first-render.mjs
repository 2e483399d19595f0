// The dashboard's first render with N services (default 200), in Debian's Chromium against a real
// `hypha daemon`: from navigation start to the moment the summary line reads "N of N online" and
// the first rows are in the DOM, taken inside the page by a MutationObserver (no polling delay);
// the first paint (first-contentful-paint: neither page paints anything before its rows) beside it.
// Beside it, where the time went (the HTML's and the main chunk's arrival, the status request's
// start and end, the loading screen), and a floor measured in the same browser, same run: a bare
// Node server whose page carries the same statuses inline and builds the rows with no framework
// (lib/floor-render.mjs). Hypha and the floor take turns, in an order that alternates, each in a
// fresh browser context (cold cache), so a noisy second on this machine weighs on both. Without
// Chromium it says so.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../lib/hypha.mjs';
import { pollUntil, sleep } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';

export const N = 200;
export const TARGET_MS = 300;
export const CHROMIUM = '/usr/bin/chromium';
const SETTLE_MS = 300;
// As test/helpers/browser.ts launches it for the e2e tests.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Why this figure cannot be measured here, or null. */
export function unavailable(root = ROOT) {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed (${CHROMIUM}); apt-get install chromium to measure`;
  if (!existsSync(path.join(root, 'renderer', 'dist', 'index.html'))) return 'the dashboard is not built (npm run build)';
  return null;
}

/** Sizes in bytes of the dashboard's JavaScript: the chunk the page loads first, and all chunks. */
export function bundleSizes(root = ROOT) {
  const dist = path.join(root, 'renderer', 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\.?\/?([^"]+)"/.exec(html)?.[1];
  const assets = path.join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  return {
    entry: entry ? statSync(path.join(dist, entry)).size : NaN,
    all: js.reduce((sum, f) => sum + statSync(path.join(assets, f)).size, 0),
    chunks: js.length,
  };
}

/** Marks "rendered" once the summary says every service is online and a row is in the DOM. */
function watchForRows(page, n) {
  return page.addInitScript((count) => {
    const want = `${count} of ${count} online`;
    const check = () => {
      if (window.__rendered === undefined && document.querySelector('.summary strong')?.textContent === want && document.querySelector('li[data-service]')) {
        window.__rendered = performance.now();
      }
      if (window.__loadingShown === undefined && document.querySelector('#root > .screen')) window.__loadingShown = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  }, n);
}

async function once(browser, url, n) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await watchForRows(page, n);
    await page.goto(url);
    await page.waitForFunction(() => window.__rendered !== undefined, null, { timeout: 60_000 });
    // The first paint with content: neither page paints anything before its rows are in.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 60_000 });
    return await page.evaluate(() => {
      const res = performance.getEntriesByType('resource');
      const nav = performance.getEntriesByType('navigation')[0];
      const js = res.find((e) => /\/assets\/index-[^/]*\.js$/.test(e.name));
      const status = res.find((e) => e.name.endsWith('/api/services/status'));
      return {
        ms: window.__rendered,
        painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        html: nav?.responseEnd ?? NaN,
        bundle: js?.responseEnd ?? NaN,
        statusStart: status?.startTime ?? NaN,
        statusEnd: status?.responseEnd ?? NaN,
        loading: window.__loadingShown ?? NaN,
        rows: document.querySelectorAll('li[data-service]').length,
      };
    });
  } finally {
    await page.close();
  }
}

function startDaemon(root, dir, n) {
  mkdirSync(dir, { recursive: true });
  const home = path.join(dir, 'home');
  const lines = ['api: { port: 0 }', 'services:'];
  for (let i = 0; i < n; i++) lines.push(`  svc-${i}:`, `    command: ["sleep", "3600"]`);
  writeFileSync(path.join(dir, 'hypha.yaml'), `${lines.join('\n')}\n`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'hypha'), 'daemon', '-c', path.join(dir, 'hypha.yaml')], {
    env: { ...process.env, HYPHA_HOME: home },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    info: () => {
      try {
        return JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8'));
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function startFloor(statusFile) {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'lib', 'floor-render.mjs')], {
    env: { ...process.env, STATUS_FILE: statusFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url: () => /url=(\S+)/.exec(out)?.[1],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * `vs`: another checkout's build (e.g. the code before a change), measured in the same rounds.
 * @param {{n?: number, runs?: number, root?: string, vs?: string, floor?: boolean}} [o]
 * @returns {Promise<{skipped: string} | {n: number, hypha: Record<string, number> & {runs: number[], rows: number}, floor: {ms: number, runs: number[]} | null, sizes: ReturnType<typeof bundleSizes>}>}
 */
export async function measure(o = {}) {
  const n = o.n ?? N;
  const runs = o.runs ?? 9;
  const root = o.root ?? ROOT;
  const why = unavailable(root);
  if (why) return { skipped: why };
  const { chromium } = await import('playwright-core');
  const roots = [root, ...(o.vs ? [o.vs] : [])];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-bench-render-'));
  const daemons = roots.map((r, i) => startDaemon(r, path.join(dir, String(i)), n));
  let floor = null;
  let browser = null;
  try {
    const urls = [];
    let statuses = null;
    for (const daemon of daemons) {
      const info = await pollUntil(() => daemon.info() ?? daemon.child.exitCode !== null, 60_000, 50);
      if (!info || info === true) throw new Error(info ? 'the daemon exited at start' : 'the daemon did not start within 60 s');
      // Every service running first, so the page shows the steady state.
      const allRunning = await pollUntil(async () => {
        const res = await fetch(`${info.url}/api/services/status`, { headers: { authorization: `Bearer ${info.token}` } });
        statuses = (await res.json()).services;
        return statuses.length === n && statuses.every((s) => s.state === 'running');
      }, 120_000, 100);
      if (!allRunning) throw new Error(`not all ${n} services were running within 120 s`);
      urls.push(`${info.url}/#token=${info.token}`);
    }
    if (o.floor !== false) {
      const statusFile = path.join(dir, 'status.json');
      writeFileSync(statusFile, JSON.stringify(statuses));
      floor = startFloor(statusFile);
      if (!(await pollUntil(() => floor.url(), 20_000))) throw new Error('the floor server did not start');
      urls.push(`${floor.url()}/`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // One unmeasured page each first: the browser's own start-up work is not the page's.
    for (const url of urls) await once(browser, url, n);
    const results = urls.map(() => []);
    for (let i = 0; i < runs; i++) {
      // The order turns each round, and each page starts after the last one's teardown has
      // settled: the page after another pays for its predecessor's close otherwise (~30–60 ms).
      const order = urls.map((_, u) => u);
      if (i % 2 === 1) order.reverse();
      for (const u of order) {
        await sleep(SETTLE_MS);
        results[u].push(await once(browser, urls[u], n));
      }
    }
    const summary = (rs, r) => {
      const pick = (k) => median(rs.map((x) => x[k]).filter(Number.isFinite));
      return {
        ms: pick('ms'),
        painted: pick('painted'),
        html: pick('html'),
        bundle: pick('bundle'),
        statusStart: pick('statusStart'),
        statusEnd: pick('statusEnd'),
        loading: pick('loading'),
        rows: rs[0].rows,
        runs: rs.map((x) => x.ms),
        sizes: bundleSizes(r),
      };
    };
    const floorResults = floor ? results[results.length - 1] : null;
    const floorRuns = floorResults ? floorResults.map((x) => x.ms) : null;
    return {
      n,
      hypha: summary(results[0], roots[0]),
      vs: o.vs ? summary(results[1], roots[1]) : null,
      floor: floorRuns ? { ms: median(floorRuns), painted: median(floorResults.map((x) => x.painted).filter(Number.isFinite)), runs: floorRuns } : null,
      sizes: bundleSizes(root),
    };
  } finally {
    await browser?.close();
    await floor?.stop();
    for (const daemon of daemons) await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line saying where the time went, for the bench's notes and the standalone script. */
export function breakdown(r, h = r.hypha) {
  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');
  return (
    `HTML in at ${ms(h.html)}, main chunk (${(h.sizes.entry / 1000).toFixed(0)} kB of ${(h.sizes.all / 1000).toFixed(0)} kB JS in ${h.sizes.chunks} chunks) in at ${ms(h.bundle)}, ` +
    `status asked at ${ms(h.statusStart)}, answered at ${ms(h.statusEnd)}, loading screen at ${ms(h.loading)}, rows at ${ms(h.ms)} (${h.rows} rows in the DOM), first paint at ${ms(h.painted)}${r.floor && h === r.hypha ? ` (floor: ${ms(r.floor.painted)})` : ''}; ` +
    `runs: ${h.runs.map((x) => x.toFixed(0)).join(', ')}${r.floor && h === r.hypha ? `; floor ${r.floor.runs.map((x) => x.toFixed(0)).join(', ')}` : ''}`
  );
}
