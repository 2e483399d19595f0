// `npm run bench`: Hypha against its floor and against PM2 and supervisord (where installed), every
// figure measured in this one run on the same fixtures. Prints a table and writes
// test/bench/results.md. Bounded: about 6–8 minutes on 2 cores with both others installed.
// Options: --only=<figure key>[,…] to run some figures; --quick for fewer cycles; --soak for the
// leak figure to 100 000 cycles.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as apiStatus from './figures/api-status.mjs';
import * as firstRender from './figures/first-render.mjs';
import * as idle from './figures/idle.mjs';
import * as idleRss from './figures/idle-rss.mjs';
import * as leak from './figures/leak.mjs';
import * as logCapture from './figures/log-capture.mjs';
import * as probeCpu from './figures/probe-cpu.mjs';
import * as respawn from './figures/respawn.mjs';
import * as soakRun from './figures/soak.mjs';
import * as trees from './figures/trees.mjs';
import * as thousand from './figures/thousand.mjs';
import { fmt, median, ratio } from './lib/stats.mjs';
import { availableSystems, removeRunDirs } from './lib/systems.mjs';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null;
const quick = args.includes('--quick');
const soakMinutesArg = args.find((a) => a.startsWith('--soak-minutes='));
const soak = args.includes('--soak') || Boolean(soakMinutesArg);
const soakMinutes = soakMinutesArg ? Number(soakMinutesArg.slice(15)) : 20;
const systems = availableSystems();
const others = systems.filter((s) => s.name !== 'Hypha');
const missing = ['PM2', 'supervisord'].filter((n) => !systems.some((s) => s.name === n));

/** @typedef {{figure: string, floor: string, hypha: string, vsFloor: string, pm2: string, supervisord: string, target: string, met: boolean | null, note?: string}} Row */
/** @type {Row[]} */
const rows = [];
const log = (line) => process.stdout.write(`${line}\n`);

function other(results, name, format) {
  if (!systems.some((s) => s.name === name)) return 'not installed';
  const r = results[name];
  return r instanceof Error ? `error: ${r.message.split('\n')[0].slice(0, 60)}` : format(r);
}

async function forOthers(fn) {
  const out = {};
  for (const s of others) {
    try {
      out[s.name] = await fn(s);
    } catch (err) {
      out[s.name] = err;
    }
  }
  return out;
}

const figures = {
  async respawn() {
    const cycles = quick ? 100 : 400;
    // Floor and Hypha take turns in rounds and each pools its gaps, so a noisy minute on this
    // machine weighs on both alike.
    const rounds = quick ? 1 : 4;
    const floors = [];
    const hyphas = [];
    for (let i = 0; i < rounds; i++) {
      floors.push(await respawn.floor(cycles / rounds));
      hyphas.push(await respawn.measure(systems[0], cycles / rounds));
    }
    const floor = respawn.pooled(floors);
    const hypha = respawn.pooled(hyphas);
    const o = await forOthers((s) => respawn.measure(s, s.name === 'supervisord' ? 12 : cycles));
    const f = (r) => `${fmt(r.p50)} / ${fmt(r.p99)} ms`;
    const met = hypha.p50 <= 1.3 * floor.p50 && hypha.p99 <= 10;
    rows.push({
      figure: `crash → respawn, delay 0, p50 / p99 (${hypha.n} cycles in ${rounds} rounds)`,
      floor: f(floor),
      hypha: f(hypha),
      vsFloor: `${ratio(hypha.p50, floor.p50)} / ${ratio(hypha.p99, floor.p99)}`,
      pm2: other(o, 'PM2', f),
      supervisord: other(o, 'supervisord', f),
      target: '≤ 1.3 × floor p50, p99 ≤ 10 ms',
      met,
    });
  },
  async treeStop() {
    const hypha = await trees.leftAfterStop(systems[0]);
    const o = await forOthers((s) => trees.leftAfterStop(s));
    rows.push({ figure: 'processes left of a 12-process tree with a setsid child, after stop', floor: '0', hypha: String(hypha), vsFloor: '—', pm2: other(o, 'PM2', String), supervisord: other(o, 'supervisord', String), target: '0', met: hypha === 0 });
  },
  async supervisorKill() {
    const hypha = await trees.leftAfterSupervisorKill(systems[0]);
    const o = await forOthers((s) => trees.leftAfterSupervisorKill(s));
    rows.push({ figure: 'first-generation processes left after the supervisor is SIGKILLed and started again', floor: '0', hypha: String(hypha), vsFloor: '—', pm2: other(o, 'PM2', String), supervisord: other(o, 'supervisord', String), target: '0', met: hypha === 0 });
  },
  async idle50() {
    // Two rounds, each with its own floor first: the machine's load swings these small figures.
    const rounds = quick ? 1 : 2;
    const r = [];
    for (let i = 0; i < rounds; i++) r.push({ stopFloor: await idle.stopFloor(), cpuFloor: await idle.cpuFloor(), hypha: await idle.measure(systems[0]) });
    const each = (f) => r.map(f).join(' / ');
    // One round each for PM2 and supervisord (supervisord's stop all alone takes ~20 s).
    const o = await forOthers((s) => idle.measurePeer(s));
    rows.push({
      figure: `CPU of the supervisor with ${idle.N} idle services, 30 s window (${rounds} rounds)`,
      floor: each((x) => `${fmt(x.cpuFloor, 2)} %`),
      hypha: each((x) => `${fmt(x.hypha.cpuPercent, 2)} %`),
      vsFloor: '—',
      pm2: other(o, 'PM2', (x) => `${fmt(x.cpuPercent, 2)} %`),
      supervisord: other(o, 'supervisord', (x) => `${fmt(x.cpuPercent, 2)} %`),
      target: '≤ 0.2 % of one core',
      met: r.every((x) => x.hypha.cpuPercent <= 0.2),
    });
    rows.push({
      figure: `stop all of ${idle.N} idle services: POST until every process is gone and every service says stopped (${rounds} rounds)`,
      floor: each((x) => `${fmt(x.stopFloor, 0)} ms`),
      hypha: each((x) => `${fmt(x.hypha.stopMs, 0)} ms, ${x.hypha.left} left`),
      vsFloor: each((x) => ratio(x.hypha.stopMs, x.stopFloor)),
      // Theirs only as typed: neither has an API a bench can time without its CLI.
      pm2: other(o, 'PM2', (x) => `${fmt(x.cliStopMs, 0)} ms as typed, ${x.left} left`),
      supervisord: other(o, 'supervisord', (x) => `${fmt(x.cliStopMs, 0)} ms as typed, ${x.left} left`),
      target: '≤ 500 ms, 0 left',
      met: r.every((x) => x.hypha.stopMs <= 500 && x.hypha.left === 0),
      note: `processes gone after ${each((x) => `${fmt(x.hypha.goneMs, 0)} ms`)}, the rest is the daemon's status catching up (output read to the end, the exit recorded); \`hypha stop all\` as typed: ${each((x) => `${fmt(x.hypha.cliStopMs, 0)} ms`)}, of which the CLI's own start-up (\`hypha --version\`) ${each((x) => `${fmt(x.hypha.cliStartMs, 0)} ms`)}`,
    });
  },
  async idleRss() {
    const floor = await idleRss.floor();
    const hypha = await idleRss.measure(systems[0]);
    const o = await forOthers((s) => idleRss.measure(s));
    const f = (mb) => `${fmt(mb)} MB`;
    rows.push({ figure: 'supervisor RSS with 50 idle services', floor: f(floor), hypha: f(hypha), vsFloor: ratio(hypha, floor), pm2: other(o, 'PM2', f), supervisord: other(o, 'supervisord', f), target: '≤ floor + 5 MB', met: hypha <= floor + 5 });
  },
  async thousand() {
    // Issue 18 item 9: before, `stop all` froze the API (CLI gave up after 30 s, nothing stopped),
    // RSS peaked at 1.08 GB and a SIGTERM shutdown took 118 s.
    const r = await thousand.measure();
    const s = (x) => `${fmt(x, 1)} s`;
    rows.push({
      figure: `${thousand.N} idle services: start / idle RSS / stop all (peak RSS) / SIGTERM shutdown`,
      floor: '—',
      hypha: `${s(r.startS)} / ${fmt(r.idleRssMb, 0)} MB / ${s(r.stopAllS)} (${fmt(r.stopAllPeakRssMb, 0)} MB) / ${s(r.shutdownS)}`,
      vsFloor: '—',
      pm2: '—',
      supervisord: '—',
      target: 'stop all < 30 s, shutdown < 30 s',
      met: r.stopAllS < 30 && r.shutdownS < 30,
    });
  },
  async logCapture() {
    // Disk and page-cache noise swings single runs by 2×: floor and Hypha take turns three
    // times and the median run of each counts.
    const floors = [];
    const hyphas = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      floors.push(await logCapture.floor());
      hyphas.push(await logCapture.measure(systems[0]));
    }
    const byRate = (a, b) => a.mbPerS - b.mbPerS;
    const floor = floors.sort(byRate)[Math.floor(floors.length / 2)];
    const hypha = hyphas.sort(byRate)[Math.floor(hyphas.length / 2)];
    hypha.note = `${hypha.note}; the ${hyphas.length} runs: ${hyphas.map((r) => fmt(r.mbPerS, 0)).join(', ')} MB/s`;
    const o = await forOthers((s) => logCapture.measure(s));
    const f = (r) => `${fmt(r.mbPerS, 0)} MB/s, ${r.lost} lost${Number.isFinite(r.peakMb) ? `, peak ${fmt(r.peakMb, 0)} MB` : ''}`;
    rows.push({
      figure: `log capture, one service writing as fast as it can (${(logCapture.LINES / 1e6).toFixed(0)} M lines, median of ${hyphas.length})`,
      floor: f(floor),
      hypha: f(hypha),
      vsFloor: ratio(hypha.mbPerS, floor.mbPerS),
      pm2: other(o, 'PM2', f),
      supervisord: other(o, 'supervisord', f),
      // Issue 16: ≥ 0.8 × the floor's rate with 0 lines lost, peak RSS within idle + 5 MB.
      target: '≥ 0.8 × floor, 0 lost',
      met: hypha.mbPerS >= 0.8 * floor.mbPerS && hypha.lost === 0,
      note: hypha.note,
    });
  },
  async probeCpu() {
    const floor = await probeCpu.floor();
    const hypha = await probeCpu.measure();
    const f = (r) => `${fmt(r.cpuPercent)} % CPU, ping p99 ${fmt(r.lagP99)} ms`;
    rows.push({
      figure: 'CPU with 200 services HTTP-probed every second; event-loop lag (ping round trip p99)',
      floor: f(floor),
      hypha: f(hypha),
      vsFloor: `${ratio(hypha.cpuPercent, floor.cpuPercent)} / ${ratio(hypha.lagP99, floor.lagP99)}`,
      pm2: 'no HTTP probes',
      supervisord: 'no HTTP probes',
      // Issue 16: ≤ 1.1 × the floor's CPU, event-loop lag p99 < 10 ms.
      target: '≤ 1.1 × floor CPU, lag p99 < 10 ms',
      met: hypha.cpuPercent <= 1.1 * floor.cpuPercent && hypha.lagP99 < 10,
    });
  },
  async apiStatus() {
    const { hypha, floor } = await apiStatus.measureWithFloor();
    const f = (r) => `p50 ${fmt(r.p50, 2)} / p99 ${fmt(r.p99, 2)} ms`;
    rows.push({ figure: 'API GET /api/services/status with 500 services', floor: f(floor), hypha: f(hypha), vsFloor: ratio(hypha.p99, floor.p99), pm2: '—', supervisord: '—', target: 'p99 < 20 ms', met: hypha.p99 < 20 });
  },
  async firstRender() {
    const r = await firstRender.measure({ runs: quick ? 5 : 11 });
    const figure = `dashboard first render with ${firstRender.N} services in Chromium: navigation → rows and "N of N online" in the DOM`;
    const target = `≤ ${firstRender.TARGET_MS} ms`;
    if ('skipped' in r) {
      rows.push({ figure, floor: '—', hypha: `not measured: ${r.skipped}`, vsFloor: '—', pm2: '—', supervisord: '—', target, met: null });
      return;
    }
    const f = (ms) => `${fmt(ms, 0)} ms`;
    rows.push({
      figure: `${figure} (median of ${r.hypha.runs.length})`,
      floor: f(r.floor.ms),
      hypha: f(r.hypha.ms),
      vsFloor: ratio(r.hypha.ms, r.floor.ms),
      pm2: '—',
      supervisord: '—',
      target,
      met: r.hypha.ms <= firstRender.TARGET_MS,
      note: `floor: a bare Node server whose page carries the same statuses inline and builds the rows without a framework; Hypha: ${firstRender.breakdown(r)}`,
    });
  },
  async leak() {
    const marks = soak ? leak.SOAK_MARKS : leak.MARKS;
    const r = await leak.measure(marks);
    const base = r.rss[leak.BASE_MARK];
    const last = r.rss[marks[marks.length - 1]];
    rows.push({
      figure: `daemon RSS after ${marks[marks.length - 1].toLocaleString('en')} crash/restart cycles vs after ${leak.BASE_MARK.toLocaleString('en')} (warm-up)`,
      floor: '—',
      hypha: marks.map((m) => `${m}: ${fmt(r.rss[m], 0)} MB`).join(', '),
      vsFloor: ratio(last, base),
      pm2: '—',
      supervisord: '—',
      target: 'within 5 % of the warm-up mark',
      met: last <= base * 1.05,
      note: `${fmt(r.seconds, 0)} s for ${marks[marks.length - 1]} cycles; V8 heap in use after the latest GC at each mark: ${marks.map((m) => `${m}: ${fmt(r.liveHeap[m])} MB`).join(', ')}${soak ? '' : '; `--soak` goes on to 100 000 cycles'}`,
    });
  },
  async soak() {
    // Only with --soak (or asked for by --only=soak): 20 minutes of wall-clock time.
    if (!soak && !only?.includes('soak')) return;
    const r = await soakRun.measure({ minutes: soakMinutes, onMinute: (m) => log(`  minute ${m.minute}: ${m.restarts} restarts, RSS ${fmt(m.rssMb)} MB, heap after GC ${fmt(m.heapMb)} MB`) });
    // One reading swings by 20–30 MB with where V8 is in its GC cycle, so the comparison is of
    // medians: minutes 2–6 (past the first thousand restarts, the warm-up of leak.mjs) against the
    // last five minutes.
    const span = (rs) => ({ from: rs[0].minute, to: rs[rs.length - 1].minute, rss: median(rs.map((m) => m.rssMb)), heap: median(rs.map((m) => m.heapMb ?? NaN)) });
    const base = span(r.rows.slice(1, 6));
    const end = span(r.rows.slice(-5));
    const last = r.rows[r.rows.length - 1];
    const minuteTable = [
      '| minute | restarts | RSS MB | V8 heap after GC MB |',
      '| --- | --- | --- | --- |',
      ...r.rows.map((m) => `| ${m.minute} | ${m.restarts} | ${fmt(m.rssMb)} | ${fmt(m.heapMb)} |`),
    ].join('\n');
    writeFileSync(join(import.meta.dirname, 'soak.md'), `# Hypha soak: ${r.rows.length} minutes, a service crashing ~10 times a second\n\nMeasured by \`npm run bench -- --soak\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Node ${process.version}.\n\n${minuteTable}\n`);
    rows.push({
      figure: `soak: ${r.rows.length} minutes of a service crashing at once, restart delay 100 ms; median RSS of minutes ${end.from}–${end.to} vs ${base.from}–${base.to}`,
      floor: '—',
      hypha: `${fmt(base.rss, 0)} → ${fmt(end.rss, 0)} MB (heap after GC ${fmt(base.heap)} → ${fmt(end.heap)} MB), ${last.restarts} restarts (${fmt(last.restarts / r.seconds)}/s)`,
      vsFloor: ratio(end.rss, base.rss),
      pm2: '—',
      supervisord: '—',
      target: 'within 5 % of minutes 2–6',
      met: end.rss <= base.rss * 1.05,
      note: `minute by minute in test/bench/soak.md`,
    });
  },
};

function table(rs) {
  const head = ['figure', 'floor (bare Node)', 'Hypha', 'Hypha / floor', 'PM2 here', 'supervisord here', 'Hypha target', 'met'];
  const body = rs.map((r) => [r.figure, r.floor, r.hypha, r.vsFloor, r.pm2, r.supervisord, r.target, r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n');
}

const started = Date.now();
log(`hypha bench: ${cpus().length} cores, node ${process.version}; comparing with ${others.map((s) => s.name).join(', ') || 'nothing else'}`);
for (const n of missing) log(`note: ${n} is not installed here, so its column is skipped (install it for local measurement only).`);
for (const [key, run] of Object.entries(figures)) {
  if (only && !only.includes(key)) continue;
  const t = Date.now();
  log(`… ${key}`);
  try {
    await run();
  } catch (err) {
    rows.push({ figure: key, floor: '—', hypha: `error: ${err.message.split('\n')[0]}`, vsFloor: '—', pm2: '—', supervisord: '—', target: '—', met: false });
  }
  log(`  ${key} done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
const text = table(rows);
log('');
log(text);
const notes = rows.filter((r) => r.note).map((r) => `- ${r.figure}: ${r.note}`);
if (notes.length) log(`\n${notes.join('\n')}`);
const missed = rows.filter((r) => r.met === false).length;
log(`\n${rows.length - missed} of ${rows.length} targets met; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);

if (!only) {
  const md = [
    '# Hypha bench results',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
    'Every figure in one run, on the same fixtures; "floor" is a bare Node program doing the same job without a supervisor around it.',
    ...missing.map((n) => `${n} was not installed for this run; its column says so.`),
    '',
    text,
    '',
    ...notes,
    '',
  ].join('\n');
  writeFileSync(join(import.meta.dirname, 'results.md'), md);
  log('wrote test/bench/results.md');
}

// The runs' folders (logs of hundreds of MB) go; every process in them has been ended by pid.
removeRunDirs();
