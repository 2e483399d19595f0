// Issue 18 item 10: a log file that cannot be written (a full disk: a small tmpfs mounted over
// HYPHA_HOME/logs) is reported as an event and in status, the service keeps running under
// supervision, and writing recovers when space returns. The file system is the witness.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from '../helpers/index.js';
import { startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();
const mounts: string[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
});

function canMount(): boolean {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return false;
  const probe = tempDir('hypha-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  }
}

/** Fills the folder's file system up with one file; returns its path. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 120);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(fd);
  }
  return file;
}

describe('hardening: log write failures', () => {
  it.skipIf(!canMount())('a full disk is reported (event and status), supervision goes on, and it recovers when space returns', async () => {
    const dir = tempDir('hypha-hard-');
    const home = join(dir, 'home');
    const logs = join(home, 'logs');
    mkdirSync(logs, { recursive: true, mode: 0o700 });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', logs]);
    mounts.push(logs);
    const filler = fill(logs);
    const d = await startDaemon(
      `api: { port: 0 }
services:
  chatty:
    command: "i=0; while true; do i=$((i+1)); echo line-$i; sleep 0.05; done"
`,
      { dir, home },
    );
    daemons.push(d);
    const failing = await d.waitFor('chatty', (s) => s.lastError?.includes('cannot write log file') === true, 'log write failure in status');
    expect(failing.state).toBe('running');
    const events = await d.api<{ events: { kind: string; message: string }[] }>('GET', '/api/services/chatty/events');
    expect(events.body.events.some((e) => e.kind === 'log-file' && /cannot write log file .*ENOSPC/.test(e.message))).toBe(true);
    const pid = failing.pid;

    rmSync(filler); // space returns
    const ok = await d.waitFor('chatty', (s) => s.lastError === null, 'log write recovered');
    expect(ok.pid).toBe(pid); // the same run went on throughout
    await waitFor(() => /log file writable again; \d+ lines? missing from it/.test(d.output()), { message: 'recovery event' });
    await waitFor(() => /line-\d+/.test(readFileSync(join(logs, 'chatty.log'), 'utf8')), { message: 'lines reach the file again' });
  });
});
