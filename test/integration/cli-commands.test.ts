// SPEC §5 and §6 "CLI waiting", proven with the real `hypha` CLI against a real daemon: what each
// command prints and its exit code (0 ok · 1 action failed · 2 usage or config error · 3 no daemon).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnFixture, tempDir, waitFor } from '../helpers/index.js';
import { BIN, daemonReaper, fixtureCommand, q, runCli, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';
import type { ServiceStatus } from '../../main/contract/status.js';

const TICKER = `[${[process.execPath, '-e', "setInterval(() => console.log('tick ' + Date.now()), 50)"].map(q).join(', ')}]`;

let d: Daemon;
let webPort: number;
let heldPort: number;
let holderPid: number;

beforeAll(async () => {
  webPort = await freePort();
  heldPort = await freePort();
  const holder = spawnFixture('port-holder', { PORT: String(heldPort) });
  await holder.waitForOutput(/listening port=\d+/);
  holderPid = holder.pid;
  d = await startDaemon(`api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${webPort}" }
    port: ${webPort}
    health:
      http: http://127.0.0.1:${webPort}/health
      interval: 200ms
  ticker:
    command: ${TICKER}
  held:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${heldPort}" }
    port: ${heldPort}
    autostart: false
  job:
    type: oneshot
    command: ${fixtureCommand('oneshot.mjs')}
    autostart: false
  sick:
    command: ${TICKER}
    autostart: false
    health:
      exec: ["false"]
      interval: 200ms
      restart_on_unhealthy: false
`);
  await d.waitFor('web', (s) => s.status === 'online', 'online');
  await d.waitFor('ticker', (s) => s.status === 'online', 'online');
});

afterAll(async () => {
  await d?.stop();
  await cleanUp();
});

describe('status', () => {
  it('prints a table, or the API JSON with --json', async () => {
    const web = await d.status('web');
    const r = await d.cli(['status']);
    expect(r.code).toBe(0);
    const [tableText, footer] = r.stdout.trimEnd().split('\n\n');
    // Which config is in use (issue 15).
    expect(footer).toBe(`config: ${d.configFile}`);
    const [head, ...rows] = (tableText as string).split('\n');
    expect(head?.split(/\s+/).slice(0, 7)).toEqual(['ID', 'STATUS', 'HEALTH', 'PID', 'PORT', 'UPTIME', 'RESTARTS']);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['web', 'ticker', 'held', 'job', 'sick']);
    expect(rows[0]?.split(/\s+/).slice(0, 5)).toEqual(['web', 'online', 'healthy(200)', String(web.pid), String(webPort)]);
    expect(rows[2]?.split(/\s+/).slice(0, 2)).toEqual(['held', 'offline']);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour into a pipe

    const j = await d.cli(['status', '--json']);
    expect(j.code).toBe(0);
    const body = JSON.parse(j.stdout) as { services: ServiceStatus[]; timestamp: string };
    expect(Object.keys(body).sort()).toEqual(['services', 'timestamp']);
    expect(body.services.map((s) => s.id)).toEqual(['web', 'ticker', 'held', 'job', 'sick']);
    expect(body.services[0]).toMatchObject({ id: 'web', pid: web.pid, status: 'online' });
  });

  it('a wrong option is a usage error (2)', async () => {
    const r = await d.cli(['status', '--bogus']);
    expect(r.code).toBe(2);
    // One line naming the option and where help is, not the whole usage (issue 15).
    expect(r.stderr).toBe('hypha: status: unknown option --bogus (see hypha status --help)\n');
  });
});

describe('start, stop, restart, run', () => {
  it('wait for the target state and exit 0', async () => {
    const first = await d.status('web');
    const stop = await d.cli(['stop', 'web']);
    expect(stop).toMatchObject({ code: 0, stdout: 'web: offline\n' });
    // Waited: it is stopped by the time the command returns.
    expect(await d.status('web')).toMatchObject({ state: 'stopped', pid: null });

    const start = await d.cli(['start', 'web']);
    expect(start.code).toBe(0);
    const started = await d.status('web');
    // A probe is set, so start waited for healthy too.
    expect(started).toMatchObject({ state: 'running', health: 'healthy', status: 'online' });
    expect(start.stdout).toBe(`web: online (pid ${started.pid})\n`);
    expect(started.pid).not.toBe(first.pid);

    const restart = await d.cli(['restart', 'web']);
    expect(restart.code).toBe(0);
    const restarted = await d.status('web');
    expect(restarted.pid).not.toBe(started.pid);
    expect(restarted).toMatchObject({ state: 'running', health: 'healthy' });
    expect(restart.stdout).toBe(`web: online (pid ${restarted.pid})\n`);

    // Several ids at once.
    const both = await d.cli(['restart', 'web', 'ticker']);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^web: online \(pid \d+\)$/m);
    // No probe: said as what it is (issue 15).
    expect(both.stdout).toMatch(/^ticker: running \(no health check; watched for 1s\), pid \d+$/m);
    expect((await d.status('web')).pid).not.toBe(restarted.pid);
  });

  it('start exits 1 with the reason when the service fails (its port is held)', async () => {
    const r = await d.cli(['start', 'held']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`held: failed — port ${heldPort} held by pid ${holderPid} (`);
    expect(r.stderr).toContain('port-holder.mjs');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await d.status('held')).toMatchObject({ state: 'failed', pid: null });
  });

  it('--no-wait answers at once; a bad --timeout is a usage error', async () => {
    const r = await d.cli(['stop', 'ticker', '--no-wait']);
    expect(r).toMatchObject({ code: 0, stdout: 'stop: ticker accepted\n' });
    await d.waitFor('ticker', (s) => s.state === 'stopped', 'stopped');
    expect((await d.cli(['start', 'ticker'])).code).toBe(0);
    const bad = await d.cli(['start', 'web', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
  });

  it('run runs a oneshot to completion', async () => {
    const r = await d.cli(['run', 'job']);
    expect(r).toMatchObject({ code: 0, stdout: 'job: completed\n' });
    expect((await d.status('job')).lastExit).toMatchObject({ code: 0 });
    const again = await d.cli(['run', 'job']);
    expect(again.code).toBe(0);
  });

  it('--timeout: a service that never gets healthy exits 1 once it runs out', async () => {
    const t0 = Date.now();
    const r = await d.cli(['start', 'sick', '--timeout', '1.5']);
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(r.stderr).toMatch(/^sick: not up after 1\.5s \(state running, unhealthy: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await d.cli(['stop', 'sick'])).code).toBe(0);
  });

  it('all: stop waits for every service; start says which ones failed (exit 1)', async () => {
    const stop = await d.cli(['stop', 'all']);
    expect(stop.code).toBe(0);
    expect((await d.list()).every((s) => s.pid === null && ['stopped', 'completed'].includes(s.state))).toBe(true);
    const start = await d.cli(['start', 'all', '--timeout', '8']);
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`held: failed — port ${heldPort} held by pid ${holderPid}`);
    expect(start.stdout).toMatch(/^web: online \(pid \d+\)$/m);
    expect(start.stdout).toMatch(/^ticker: running \(no health check; watched for 1s\), pid \d+$/m);
    expect(start.stdout).toMatch(/^job: completed$/m);
    expect(start.stderr).toMatch(/^sick: not up after 8s/m);
    await d.cli(['stop', 'sick']);
  }, 60_000);

  it('an unknown id exits 2 and acts on nothing', async () => {
    const pid = (await d.status('web')).pid;
    for (const args of [['start', 'nope'], ['stop', 'nope'], ['restart', 'web', 'nope'], ['run', 'nope'], ['logs', 'nope'], ['logs', 'nope', '-f']]) {
      const r = await d.cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('hypha: unknown service: nope\n');
    }
    expect((await d.status('web')).pid).toBe(pid);
    for (const args of [['start'], ['run', 'a', 'b'], ['logs'], ['logs', 'web', '-n', 'x'], ['frobnicate']]) {
      expect((await d.cli(args)).code, args.join(' ')).toBe(2);
    }
  });
});

describe('logs', () => {
  it('logs ID -n N prints the last N lines', async () => {
    const api = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/web/logs?lines=3');
    const r = await d.cli(['logs', 'web', '-n', '3']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    // `HH:MM:SS.mmm text`, with supervisor lines marked.
    lines.forEach((l, i) => {
      const text = api.body.lines[i]?.text as string;
      expect(l).toMatch(/^\d\d:\d\d:\d\d\.\d{3} /);
      expect(l.endsWith(text)).toBe(true);
    });
    expect((await d.cli(['logs', 'web', '-n', '0'])).stdout).toBe('');
  });

  it('logs -f prints new lines as they come', async () => {
    const follower = spawn(process.execPath, [BIN, 'logs', 'ticker', '-f', '-n', '0'], {
      env: { ...process.env, HYPHA_HOME: d.home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = follower.pid as number;
    daemonReaper.add(pid);
    let out = '';
    follower.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    follower.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<void>((r) => follower.once('exit', () => r()));
    try {
      // -n 0 prints nothing of the past, so any tick line came through the stream.
      const line = await waitFor(() => /^\d\d:\d\d:\d\d\.\d{3} tick (\d+)$/m.exec(out), { timeoutMs: 15_000, message: `a followed tick line; got ${JSON.stringify(out)}` });
      const tickMs = Number(line[1]);
      expect(tickMs).toBeGreaterThan(0);
      const count = (): number => out.split('\n').filter((l) => / tick \d+$/.test(l)).length;
      const seen = count();
      await waitFor(() => count() > seen, { message: 'more followed lines' });
      expect(out).not.toMatch(/\[hypha\]|web/); // only ticker's lines
    } finally {
      process.kill(pid, 'SIGTERM');
      await exited;
    }
  });
});

describe('a reader that goes away', () => {
  it('`hypha logs | head` ends quietly with 0, no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', 'web', '-n', '1000'], { env: { ...process.env, HYPHA_HOME: d.home }, stdio: ['ignore', 'pipe', 'pipe'] });
    daemonReaper.add(child.pid as number);
    child.stdout.destroy(); // closes our end: its first write meets EPIPE
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('a daemon whose output is closed keeps supervising', async () => {
    const home = join(tempDir('hypha-epipe-'), 'home');
    const dir = tempDir('hypha-epipe-');
    const file = join(dir, 'hypha.yaml');
    writeFileSync(file, `api: { port: 0 }\nservices:\n  tick:\n    command: ${TICKER}\n`);
    const child = spawn(process.execPath, [BIN, 'daemon', '-c', file], { env: { ...process.env, HYPHA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid as number;
    daemonReaper.add(pid);
    child.stdout.destroy();
    child.stderr.destroy();
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const info = await waitFor(() => {
      const i = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')) as { pid: number; url: string; token: string };
      return i.pid === pid ? i : null;
    }, { timeoutMs: 20_000, message: 'daemon.json' });
    for (let i = 0; i < 3; i++) expect((await runCli(['restart', 'tick'], { HYPHA_HOME: home })).code).toBe(0);
    const r = await fetch(`${info.url}/api/services/tick`, { headers: { authorization: `Bearer ${info.token}` } });
    expect(((await r.json()) as ServiceStatus).state).toBe('running');
    process.kill(pid, 'SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('open', () => {
  it('prints the dashboard URL with #token=', async () => {
    const r = await runCli(['open'], { HYPHA_HOME: d.home, DISPLAY: '', WAYLAND_DISPLAY: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${d.info.url}/#token=${d.info.token}\n`);
  });
});

describe('no daemon running', () => {
  it('exits 3 for status, start, stop, logs, reload, open, strays', async () => {
    const empty = tempDir('hypha-empty-');
    for (const args of [['status'], ['status', '--json'], ['start', 'web'], ['stop', 'all'], ['logs', 'web'], ['logs', 'web', '-f'], ['reload'], ['open'], ['strays']]) {
      const r = await runCli(args, { HYPHA_HOME: empty });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toMatch(/^hypha: no daemon running/);
      expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    }
  });

  it('exits 3 when daemon.json names a daemon that is gone', async () => {
    const home = tempDir('hypha-stale-');
    const port = await freePort();
    writeFileSync(join(home, 'daemon.json'), JSON.stringify({ pid: 999_999, url: `http://127.0.0.1:${port}`, token: 'x', version: '0', startedAt: new Date().toISOString() }));
    const r = await runCli(['status'], { HYPHA_HOME: home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^hypha: no daemon running \(pid 999999 in .* is gone\)/);
  });
});

describe('validate', () => {
  it('prints ok for a good file', async () => {
    const r = await d.cli(['validate', '-c', d.configFile]);
    expect(r).toMatchObject({ code: 0, stdout: `ok: ${d.configFile} (5 services)\n`, stderr: '' });
  });

  it('prints one file:line:col: message per error and exits 2', async () => {
    const dir = tempDir('hypha-validate-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      ['api: { port: 0 }', 'services:', '  a:', '    command: x', '    port: 5000', '    colour: red', '  b:', '    command: y', '    port: 5000', '    depends_on: [zz]', ''].join('\n'),
    );
    const r = await runCli(['validate', '-c', file], {}, 30_000, dir);
    expect(r.code).toBe(2);
    const lines = (r.stdout + r.stderr).trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: \\S`));
    expect(lines.some((l) => l.startsWith(`${file}:6:5: `) && l.includes('colour'))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${file}:9:11: `) && l.includes('5000'))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${file}:10:18: `) && l.includes('zz'))).toBe(true);
    expect(r.stdout).not.toContain('ok');

    const missing = await runCli(['validate', '-c', join(dir, 'nothere.yaml')], {}, 30_000, dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nothere\.yaml:1:1: /);
  });
});

describe('reload', () => {
  const daemons: Daemon[] = [];
  afterEach(async () => {
    for (const x of daemons.splice(0)) await x.stop();
  });

  it('a broken file exits 2 with file:line:col and changes nothing; a good one applies', async () => {
    const good = `api: { port: 0 }
services:
  one:
    command: ${TICKER}
  two:
    command: ${TICKER}
`;
    const r0 = await startDaemon(good);
    daemons.push(r0);
    const one = await r0.waitFor('one', (s) => s.state === 'running', 'running');
    const two = await r0.waitFor('two', (s) => s.state === 'running', 'running');

    writeFileSync(r0.configFile, `${good}  three:\n    command: [x\n`);
    const broken = await r0.cli(['reload']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^${r0.configFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    writeFileSync(r0.configFile, good.replace('  two:\n', '  two:\n    colour: red\n'));
    const unknownKey = await r0.cli(['reload']);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toContain(`${r0.configFile}:6:5: `);

    // Nothing changed: same services, same pids.
    const after = await r0.list();
    expect(after.map((s) => [s.id, s.pid, s.state])).toEqual([
      ['one', one.pid, 'running'],
      ['two', two.pid, 'running'],
    ]);

    writeFileSync(r0.configFile, `${good}  three:\n    command: ${TICKER}\n`);
    const ok = await r0.cli(['reload']);
    expect(ok.code).toBe(0);
    // The daemon also reloads on save, so this reload may find the change applied already, and says so.
    expect(ok.stdout).toMatch(/^(reloaded: added three; removed -; changed -|already applied at \d\d:\d\d:\d\d by the file watcher: 1 added, 0 removed, 0 changed)\n$/);
    await r0.waitFor('three', (s) => s.state === 'running', 'running');
    expect((await r0.status('one')).pid).toBe(one.pid);
  });
});

describe('one daemon per HYPHA_HOME', () => {
  const daemons: Daemon[] = [];
  afterEach(async () => {
    for (const x of daemons.splice(0)) await x.stop();
  });

  it('a second `hypha daemon` exits 1 with `already running (pid N)`', async () => {
    const second = await startDaemon('api: { port: 0 }\nservices: {}\n', { home: d.home, waitReady: false });
    daemons.push(second);
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.output()).toContain(`already running (pid ${d.pid})`);
    // `npm start` while a daemon runs: the running dashboard's URL, not "dashboard below" and nothing.
    expect(second.output()).toContain(`already running (pid ${d.pid}); its dashboard: ${d.info.url}/#token=${d.info.token}\n`);
    // The first one is untouched: same daemon.json, still answering.
    expect(JSON.parse(readFileSync(join(d.home, 'daemon.json'), 'utf8'))).toMatchObject({ pid: d.pid, token: d.info.token });
    expect((await d.api('GET', '/api/ping')).status).toBe(200);
  });

  it('a stale lock (its pid is gone, or is another process now) is taken over', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid as number;
    await new Promise((r) => dead.once('exit', r));
    // Our own pid with another start time: a recycled pid, not the lock's owner.
    for (const lock of [{ pid: deadPid, startTime: '12345' }, { pid: deadPid, startTime: null }, { pid: process.pid, startTime: '1' }]) {
      const home = join(tempDir('hypha-lock-'), 'home');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'hypha.lock'), JSON.stringify(lock));
      const x = await startDaemon('api: { port: 0 }\nservices: {}\n', { home });
      daemons.push(x);
      expect((JSON.parse(readFileSync(join(home, 'hypha.lock'), 'utf8')) as { pid: number }).pid).toBe(x.pid);
      expect((await x.api('GET', '/api/ping')).status).toBe(200);
      expect((await x.stop()).code).toBe(0);
    }
  });
});
