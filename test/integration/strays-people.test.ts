// Strays never hit the user (issue 11 item 7), with the real CLI, daemon and programs: a `less`
// of the service's file (under a pty, via `script`), a `tail -f` of it, and the shell that runs
// `hypha strays --stop` (whose own command line names the file) all survive the stop; the real
// copy of the service, `node FILE`, is still ended. /proc is the witness.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childPidsDeep, fixtureReaper, hasProgram, isProcessAlive, tempDir, waitFor } from '../helpers/index.js';
import { BIN, cleanUp, q, startDaemon, type Daemon } from '../helpers/daemon.js';

const daemons: Daemon[] = [];
const kids: ChildProcess[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  for (const k of kids.splice(0)) if (k.pid) fixtureReaper.add(k.pid, ...childPidsDeep(k.pid));
  await cleanUp();
});

function start(command: string, args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: opts.cwd });
  if (!child.pid) throw new Error(`could not start ${command}`);
  kids.push(child);
  fixtureReaper.add(child.pid);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

/** The pid of the descendant of `root` whose command line starts with `prefix`. */
async function descendant(root: number, prefix: string): Promise<number> {
  return waitFor(
    () => {
      for (const pid of childPidsDeep(root)) {
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
          if (cmd.startsWith(prefix)) return pid;
        } catch {
          // gone
        }
      }
      return null;
    },
    { message: `a process "${prefix}…" below ${root}` },
  );
}

describe('strays --stop never hits the person', () => {
  it.skipIf(!hasProgram('script') || !hasProgram('less'))('leaves less, tail -f and the CLI\'s parent shell alive and ends the real copy', async () => {
    const dir = tempDir('hypha-people-');
    const tag = `app${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    const file = join(dir, `${tag}.mjs`);
    writeFileSync(file, 'setInterval(() => {}, 1000);\n');
    const d = await startDaemon(`api: { port: 0 }
services:
  app:
    command: [${q(process.execPath)}, ${q(file)}]
    autostart: false
    match: ${q(`${tag}\\.mjs`)}
    stop: { timeout: 2s }
`);
    daemons.push(d);

    // The real copy, outside Hypha.
    const copy = start(process.execPath, [file]);
    // A person reading the file: less on a pty, tail -f in a pipe.
    const pty = start('script', ['-qc', `less ${file}`, '/dev/null'], { env: { TERM: 'xterm' } });
    const less = await descendant(pty.child.pid as number, 'less ');
    const tail = start('tail', ['-f', file]);
    // A shell whose own command line names the file, running the CLI.
    const cli = `${q(process.execPath)} ${q(BIN)}`;
    const shell = start('/bin/sh', ['-c', `true ${file}; ${cli} strays app; ${cli} strays --stop app; echo "shell alive, cli exit $?"; sleep 600`], {
      env: { HYPHA_HOME: d.home, NO_COLOR: '1' },
      cwd: dir,
    });
    await waitFor(() => /shell alive, cli exit \d+/.exec(shell.output()), { timeoutMs: 90_000, message: 'the CLI to finish' }).catch((e: Error) => {
      throw new Error(`${e.message}; shell output: ${shell.output()}`);
    });

    expect(shell.output()).toContain('shell alive, cli exit 0');
    // The list shows what a stop would end: the copy, not the shell the CLI runs in.
    const listed = [...shell.output().matchAll(/^app\s+(\d+)\s/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([copy.child.pid]);
    expect(shell.output()).toContain(`stopped 1 stray of app: ${copy.child.pid}`);
    expect(isProcessAlive(shell.child.pid as number)).toBe(true);
    expect(isProcessAlive(less)).toBe(true);
    expect(isProcessAlive(tail.child.pid as number)).toBe(true);
    await waitFor(() => !isProcessAlive(copy.child.pid as number), { message: 'the real copy to end' });
  });
});
