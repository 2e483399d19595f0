// Every habit of the field in the CLI (issue 15), with the real `hypha` and a real daemon:
// `--help` for every command, errors in one line, -V, NO_COLOR and --no-color, completion loaded
// by bash, `hypha init` in several kinds of folder, which config is in use, a daemon that is alive
// but not answering, progress while waiting, a reload the file watcher already applied, the
// banner before the first events, and the NEXT RUN column.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasProgram, isProcessAlive, tempDir, waitFor } from '../helpers/index.js';
import { BIN, cleanUp, daemonReaper, q, runCli, startDaemon, type Daemon } from '../helpers/daemon.js';
import { COMMANDS } from '../../main/cli/commands.js';

const daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) {
    if (isProcessAlive(d.pid)) process.kill(d.pid, 'SIGCONT');
    await d.stop();
  }
  await cleanUp();
});

const TICKER = `[${[process.execPath, '-e', 'setInterval(() => {}, 1000)'].map(q).join(', ')}]`;
const noHome = (): Record<string, string> => ({ HYPHA_HOME: tempDir('hypha-nohome-') });

/** Runs a shell command line; resolves with its output and exit code. */
function sh(shell: string, script: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(shell, ['-c', script], { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: String(stdout) + String(stderr) });
    });
  });
}

describe('help, errors, version', () => {
  it('`hypha CMD --help` and `hypha help CMD` print that command\'s usage and exit 0, for every command', async () => {
    const env = noHome();
    for (const c of COMMANDS.filter((x) => !x.hidden)) {
      const r = await runCli([c.name, '--help'], env);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout, c.name).toMatch(new RegExp(`^usage: hypha ${c.name}\\b`));
      expect(r.stderr, c.name).toBe('');
    }
    const h = await runCli(['help', 'logs'], env);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^usage: hypha logs ID \[-n N\] \[-f\]/);
    expect(h.stdout).toContain('-n, --lines N');
  });

  it('usage errors are one line, exit 2, no raw parser text and no whole usage', async () => {
    const env = noHome();
    const cases: [string[], RegExp][] = [
      [['logs', 'web', '-n', '-5'], /^hypha: -n must be a whole number ≥ 0, not "-5"$/],
      [['validate', '-c'], /^hypha: validate: -c\/--config needs a value: -c FILE \(see hypha validate --help\)$/],
      [['status', '--json=yes'], /^hypha: status: --json takes no value/],
      [['frobnicate'], /^hypha: unknown command: frobnicate \(hypha --help lists the commands\)$/],
      [['completion', 'tcsh'], /^hypha: completion takes one shell: bash, zsh, fish \(not "tcsh"\)$/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trimEnd(), args.join(' ')).toMatch(pattern);
      expect(r.stderr).not.toMatch(/usage:|ERR_PARSE_ARGS|Option '/);
    }
  });

  it('-V and --version print the version, and the help lists them', async () => {
    const env = noHome();
    const version = (JSON.parse(readFileSync(join(BIN, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['-V', '--version']) expect(await runCli([flag], env)).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect((await runCli(['--help'], env)).stdout).toContain('-V, --version');
  });
});

describe('colour', () => {
  it.skipIf(!hasProgram('script'))('colours a TTY, and not with NO_COLOR or --no-color', async () => {
    const d = await startDaemon(`api: { port: 0 }\nservices:\n  tick:\n    command: ${TICKER}\n`);
    daemons.push(d);
    await d.waitFor('tick', (s) => s.state === 'running', 'running');
    const onTty = (args: string, env: Record<string, string>): Promise<{ code: number; out: string }> => {
      const base = { HYPHA_HOME: d.home, TERM: 'xterm', NO_COLOR: '', FORCE_COLOR: '' };
      return sh('/bin/sh', `script -qec ${q(`${process.execPath} ${BIN} ${args}`)} /dev/null`, { ...base, ...env });
    };
    const plain = /\x1b\[/;
    expect((await onTty('status', {})).out).toMatch(plain);
    expect((await onTty('status', { NO_COLOR: '1' })).out).not.toMatch(plain);
    expect((await onTty('status --no-color', {})).out).not.toMatch(plain);
    expect((await onTty('--no-color status', {})).out).not.toMatch(plain);
  });
});

describe('completion', () => {
  it('the bash script loads in bash, registers `complete -F _hypha hypha` and completes command names', async () => {
    const env = noHome();
    const script = `
      source <(${q(process.execPath)} ${q(BIN)} completion bash) || exit 9
      complete -p hypha
      COMP_WORDS=(hypha sta); COMP_CWORD=1; _hypha; echo "names: \${COMPREPLY[*]}"
      COMP_WORDS=(hypha logs --fo); COMP_CWORD=2; _hypha; echo "options: \${COMPREPLY[*]}"
      COMP_WORDS=(hypha completion z); COMP_CWORD=2; _hypha; echo "shells: \${COMPREPLY[*]}"
    `;
    const r = await sh('bash', script, env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('complete -F _hypha hypha');
    expect(r.out).toContain('names: status start');
    expect(r.out).toContain('options: --follow');
    expect(r.out).toContain('shells: zsh');
    for (const shell of ['zsh', 'fish']) {
      const s = await runCli(['completion', shell], env);
      expect(s.code).toBe(0);
      expect(s.stdout).toContain('hypha');
    }
  });

  it.skipIf(!hasProgram('zsh'))('the zsh script parses', async () => {
    const r = await sh('zsh', `${q(process.execPath)} ${q(BIN)} completion zsh > "$T/_hypha" && zsh -n "$T/_hypha"`, { T: tempDir('hypha-zsh-') });
    expect(r.code, r.out).toBe(0);
  });

  it.skipIf(!hasProgram('fish'))('the fish script parses', async () => {
    const r = await sh('fish', `${q(process.execPath)} ${q(BIN)} completion fish | fish -n`);
    expect(r.code, r.out).toBe(0);
  });
});

describe('hypha init', () => {
  async function initIn(files: Record<string, string>): Promise<{ dir: string; text: string; out: string }> {
    const dir = tempDir('hypha-init-');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = await runCli(['init'], noHome(), 30_000, dir);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'hypha.yaml'), 'utf8');
    // What it wrote validates, and is what the folder uses now.
    const v = await runCli(['validate'], noHome(), 30_000, dir);
    expect(v, text).toMatchObject({ code: 0, stderr: '' });
    expect(v.stdout).toContain(`ok: ${join(dir, 'hypha.yaml')}`);
    return { dir, text, out: r.stdout };
  }

  it('turns a package.json start script into a service', async () => {
    const { text, out } = await initIn({ 'package.json': JSON.stringify({ name: '@acme/Web App', scripts: { start: 'node server.js' } }) });
    expect(text).toMatch(/^ {2}web-app:\n {4}# from package\.json "start": node server\.js\n {4}command: "npm start"$/m);
    expect(text).toMatch(/^# /);
    expect(out).toContain('web-app (from package.json)');
  });

  it('turns each Procfile line into a service', async () => {
    const { text } = await initIn({ Procfile: 'web: node server.js --port $PORT\nworker: python worker.py\n# a comment\n', 'package.json': '{"scripts":{"start":"x"}}' });
    expect(text).toContain('  web:\n    # from Procfile\n    command: "node server.js --port $PORT"');
    expect(text).toContain('  worker:\n    # from Procfile\n    command: "python worker.py"');
    expect(text).not.toContain('npm start');
  });

  it('turns process-compose processes into services, with their dependencies', async () => {
    const { text } = await initIn({
      'process-compose.yaml': 'version: "0.5"\nprocesses:\n  db:\n    command: "redis-server --port 7001"\n  api:\n    command: "node api.js"\n    depends_on:\n      db:\n        condition: process_started\n',
    });
    expect(text).toContain('  db:\n    # from process-compose.yaml\n    command: "redis-server --port 7001"');
    expect(text).toContain('  api:\n    # from process-compose.yaml\n    command: "node api.js"\n    depends_on: [db]');
  });

  it('writes an example to edit in an empty folder, and never overwrites', async () => {
    const { dir, text } = await initIn({});
    expect(text).toContain('command: "python3 -m http.server 8000"');
    const again = await runCli(['init'], noHome(), 30_000, dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`hypha: ${join(dir, 'hypha.yaml')} already exists: not overwritten (hypha validate checks it)\n`);
    expect(readFileSync(join(dir, 'hypha.yaml'), 'utf8')).toBe(text);
    const yml = tempDir('hypha-init-');
    writeFileSync(join(yml, 'hypha.yml'), 'services: {}\n');
    expect((await runCli(['init'], noHome(), 30_000, yml)).code).toBe(1);
  });
});

describe('which config is in use', () => {
  it('validate names hypha.yml, warns on zero services, and names the built-in demo', async () => {
    const env = { ...noHome(), XDG_CONFIG_HOME: tempDir('hypha-xdg-') };
    const dir = tempDir('hypha-yml-');
    writeFileSync(join(dir, 'hypha.yml'), `services:\n  a:\n    command: ${TICKER}\n`);
    expect(await runCli(['validate'], env, 30_000, dir)).toMatchObject({ code: 0, stdout: `ok: ${join(dir, 'hypha.yml')} (1 service)\n`, stderr: '' });

    const empty = tempDir('hypha-empty-');
    writeFileSync(join(empty, 'hypha.yaml'), '');
    const e = await runCli(['validate'], env, 30_000, empty);
    expect(e.code).toBe(0);
    expect(e.stdout).toBe(`ok: ${join(empty, 'hypha.yaml')} (0 services)\n`);
    expect(e.stderr).toMatch(/^warning: .*hypha\.yaml has no services/);

    const none = tempDir('hypha-none-');
    const demo = await runCli(['validate'], env, 30_000, none);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(new RegExp(`^ok: built-in demo: no hypha\\.yaml found in ${none.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `));
  });

  it('a daemon started in a folder with only hypha.yml runs it, and status names it', async () => {
    const dir = tempDir('hypha-yml-daemon-');
    writeFileSync(join(dir, 'hypha.yml'), `api: { port: 0 }\nservices:\n  from-yml:\n    command: ${TICKER}\n`);
    // Started without -c in that folder, the daemon must find hypha.yml.
    const home = join(dir, 'home');
    const child = execFile(process.execPath, [BIN, 'daemon'], { cwd: dir, env: { ...process.env, HYPHA_HOME: home } });
    const pid = child.pid as number;
    daemonReaper.add(pid);
    try {
      await waitFor(() => existsSync(join(home, 'daemon.json')), { timeoutMs: 60_000, message: 'daemon.json' });
      const r = await runCli(['status'], { HYPHA_HOME: home }, 30_000, dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^from-yml\s/m);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`config: ${join(dir, 'hypha.yml')}`);
    } finally {
      child.kill('SIGTERM');
      await waitFor(() => !isProcessAlive(pid), { timeoutMs: 60_000, message: 'daemon to exit' });
    }
  });
});

describe('a daemon that is alive but does not answer', () => {
  it('says `daemon not answering (pid N)` with exit 3, and works again once it answers', async () => {
    const d = await startDaemon(`api: { port: 0 }\nservices:\n  tick:\n    command: ${TICKER}\n`);
    daemons.push(d);
    process.kill(d.pid, 'SIGSTOP');
    try {
      const r = await d.cli(['status']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`^hypha: daemon not answering \\(pid ${d.pid}\\)`));
      expect(r.stderr).not.toContain('no daemon running');
    } finally {
      process.kill(d.pid, 'SIGCONT');
    }
    expect((await d.cli(['status'])).code).toBe(0);
  });
});

describe('waiting, reload, banner, NEXT RUN', () => {
  it('start prints progress while it waits and says the health state when it gives up', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  slow:
    command: ${TICKER}
    autostart: false
    health: { exec: ["false"], interval: 1h, start_period: 1h }
`);
    daemons.push(d);
    const r = await d.cli(['start', 'slow', '--timeout', '6']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^waiting for slow \(state (starting|running), health unknown\) \d+s of 6s$/);
    expect(lines.at(-1)).toBe('slow: not up after 6s (state running, health unknown)');
  });

  it('reload right after the file watcher applied a change says so, with the time', async () => {
    const good = `api: { port: 0 }\nservices:\n  one:\n    command: ${TICKER}\n`;
    const d = await startDaemon(good);
    daemons.push(d);
    await d.waitFor('one', (s) => s.state === 'running', 'running');
    writeFileSync(d.configFile, `${good}  two:\n    command: ${TICKER}\n`);
    await waitFor(async () => (await d.list()).some((s) => s.id === 'two'), { message: 'the watcher to add two' });
    const r = await d.cli(['reload']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^already applied at \d\d:\d\d:\d\d by the file watcher: 1 added, 0 removed, 0 changed\n$/);
    // A second reload has nothing of its own to report either, and says the same.
    expect((await d.cli(['reload'])).stdout).toBe(r.stdout);
  });

  it('no word twice: a timed-out job says "timed out" once in its log', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  slowjob:
    type: oneshot
    command: [${q(process.execPath)}, "-e", "setTimeout(() => {}, 60000)"]
    autostart: false
    timeout: 1s
`);
    daemons.push(d);
    const r = await d.cli(['run', 'slowjob']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('slowjob: failed — timed out after 1s\n');
    const log = (await d.cli(['logs', 'slowjob'])).stdout;
    expect(log.match(/timed out after 1s/g), log).toHaveLength(1);
  });

  it('the daemon prints its banner before the first events; status shows NEXT RUN', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  tick:
    command: ${TICKER}
  nightly:
    type: oneshot
    command: ["true"]
    autostart: false
    schedule: "0 3 * * *"
`);
    daemons.push(d);
    await d.waitFor('tick', (s) => s.state === 'running', 'running');
    await waitFor(() => /tick: /.test(d.output()), { message: 'an event line' });
    expect(d.output()).toMatch(/^hypha \S+ supervising 2 services from /);
    const nightly = await d.status('nightly');
    expect(nightly.nextRunAt).not.toBeNull();
    const r = await d.cli(['status']);
    const [head, ...rows] = (r.stdout.split('\n\n')[0] as string).split('\n');
    const col = (head as string).indexOf('NEXT RUN');
    expect(col).toBeGreaterThan(0);
    const row = rows.find((l) => l.startsWith('nightly')) as string;
    expect(row.slice(col).split(/\s+/)[0]).toMatch(/^(03:00:00|\d{4}-\d\d-\d\dT03:00)$/);
  });
});
