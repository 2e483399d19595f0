// Issue 18, files in HYPHA_HOME: a start that cannot write daemon.json fails cleanly (item 4); a
// home that others could write in is refused and planted links capture nothing (item 8); a
// state.json or lock of the wrong shape is set aside and starts go on (item 11); the lock has one
// holder when separate processes race for it (item 12). The file system and /proc are the witness.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, tempDir, waitFor } from '../helpers/index.js';
import { ROOT, startDaemon, useDaemons, daemonReaper } from '../helpers/daemon.js';
import { killAll, processesOfHome } from '../helpers/home-procs.js';

const daemons = useDaemons();

const sleeper = `api: { port: 0 }
services:
  web:
    command: "echo hello-from-web; exec sleep 300"
`;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('hardening: files in HYPHA_HOME', () => {
  it('a daemon.json that cannot be written fails the start: exit 1, port, lock and services released (item 4)', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    mkdirSync(join(home, 'daemon.json', 'blocker'), { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700);
    const port = await freePort();
    const d = await startDaemon(sleeper.replace('port: 0', `port: ${port}`), { dir, home, waitReady: false });
    const exit = await Promise.race([d.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    const left = processesOfHome(home);
    killAll(left);
    expect(exit, `daemon still running after a failed start:\n${d.output()}`).not.toBeNull();
    expect(exit?.code).toBe(1);
    expect(d.output()).toMatch(/cannot write .*daemon\.json/);
    expect(await canBind(port)).toBe(true);
    expect(existsSync(join(home, 'hypha.lock'))).toBe(false);
    expect(left).toEqual([]);
  });

  it('a daemon.json.tmp that is a folder does not matter: temp names are fresh (item 4)', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    mkdirSync(join(home, 'daemon.json.tmp'), { recursive: true });
    chmodSync(home, 0o700);
    const d = await startDaemon(sleeper, { dir, home });
    daemons.push(d);
    expect((await d.api<{ ok: boolean }>('GET', '/api/ping')).body.ok).toBe(true);
  });

  it('refuses a HYPHA_HOME writable by others, or owned by someone else, with a clear message (item 8)', async () => {
    const dir = tempDir('hypha-hard-');
    const open = join(dir, 'open-home');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const a = await startDaemon(sleeper, { dir, home: open, waitReady: false });
    expect((await a.exited).code).toBe(1);
    expect(a.output()).toContain('is writable by others');
    expect(existsSync(join(open, 'daemon.json'))).toBe(false);

    const foreign = join(dir, 'foreign-home');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534);
    const b = await startDaemon(sleeper, { dir, home: foreign, waitReady: false });
    expect((await b.exited).code).toBe(1);
    expect(b.output()).toMatch(/belongs to uid 65534/);
  });

  it('planted links (daemon.json.tmp, logs/web.log) capture nothing (item 8)', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    mkdirSync(join(home, 'logs'), { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700);
    const victimToken = join(dir, 'victim-token.txt');
    const victimLog = join(dir, 'victim-log.txt');
    writeFileSync(victimToken, 'victim\n');
    writeFileSync(victimLog, 'victim\n');
    symlinkSync(victimToken, join(home, 'daemon.json.tmp'));
    symlinkSync(victimLog, join(home, 'logs', 'web.log'));
    const d = await startDaemon(sleeper, { dir, home });
    daemons.push(d);
    await d.waitFor('web', (s) => s.state === 'running', 'running');
    await waitFor(() => d.output().includes('cannot write log file'), { timeoutMs: 30_000, message: 'log write failure reported' });
    expect(readFileSync(victimToken, 'utf8')).toBe('victim\n');
    expect(readFileSync(victimLog, 'utf8')).toBe('victim\n');
  });

  it('a state.json of the wrong shape is set aside with one line, and the start goes on (item 11)', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(home, 'state.json'), '{"runs":[null]}');
    const d = await startDaemon(sleeper, { dir, home });
    daemons.push(d);
    await d.waitFor('web', (s) => s.state === 'running', 'running');
    const aside = readdirSync(home).filter((f) => f.startsWith('state.json.bad-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(home, aside[0] as string), 'utf8')).toBe('{"runs":[null]}');
    expect(d.output().split('\n').filter((l) => l.includes('state.json is not valid'))).toHaveLength(1);
  });

  it('a hand-made lock {"pid":1,"startTime":null} is set aside, and the start goes on (item 11)', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(home, 'hypha.lock'), '{"pid":1,"startTime":null}');
    const d = await startDaemon(sleeper, { dir, home });
    daemons.push(d);
    await d.waitFor('web', (s) => s.state === 'running', 'running');
    expect(d.output()).toContain('hypha.lock was not a valid lock');
    expect(readdirSync(home).filter((f) => f.startsWith('hypha.lock.bad-'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(home, 'hypha.lock'), 'utf8')).pid).toBe(d.pid);
  });

  it('the instance lock has exactly one holder when 4 processes race for a stale lock, 40 rounds (item 12)', async () => {
    const dir = tempDir('hypha-hard-');
    const lockUrl = pathToFileURL(join(ROOT, 'dist', 'main', 'core', 'instance', 'lock.js')).href;
    const script = join(dir, 'taker.mjs');
    writeFileSync(
      script,
      `import { acquireLock } from ${JSON.stringify(lockUrl)};
const home = process.argv[2];
process.stdout.write('ready\\n');
process.stdin.once('data', () => {
  const r = acquireLock(home);
  process.stdout.write(r.ok ? 'held\\n' : 'refused\\n');
  // Hold it (without releasing) until the test closes stdin, after every taker has answered.
  process.stdin.once('end', () => process.exit(0));
  process.stdin.resume();
});
`,
    );
    const results: number[] = [];
    for (let round = 0; round < 40; round++) {
      const home = join(dir, `home-${round}`);
      mkdirSync(home, { mode: 0o700 });
      // A stale lock: a pid that is gone, with a start time.
      writeFileSync(join(home, 'hypha.lock'), JSON.stringify({ pid: 999_999_0, startTime: '12345' }));
      const takers = Array.from({ length: 4 }, () => {
        const child = spawn(process.execPath, [script, home], { stdio: ['pipe', 'pipe', 'pipe'] });
        if (child.pid) daemonReaper.add(child.pid);
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        return { child, out: () => out, exited };
      });
      await waitFor(() => takers.every((t) => t.out().includes('ready')), { timeoutMs: 60_000, message: 'takers ready' });
      for (const t of takers) t.child.stdin.write('go\n'); // all at once: they race
      await waitFor(() => takers.every((t) => /held|refused/.test(t.out())), { timeoutMs: 60_000, message: 'takers answered' });
      for (const t of takers) t.child.stdin.end();
      await Promise.all(takers.map((t) => t.exited));
      const outs = takers.map((t) => t.out().replace('ready\n', ''));
      results.push(outs.filter((o) => o.includes('held')).length);
      expect(outs.every((o) => o === 'held\n' || o === 'refused\n'), outs.join('|')).toBe(true);
    }
    expect(results.filter((n) => n !== 1)).toEqual([]);
  }, 300_000);
});
