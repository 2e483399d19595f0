// Issue 13 item 5: `hypha signal ID SIGNAL` and `reload.command` (systemd ExecReload=) against a
// real process that records the signals it receives; the service is never restarted by either.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

const received = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

describe.skipIf(process.platform === 'win32')('signal and reload.command', () => {
  it('signal sends to the main pid; reload runs reload.command with MAINPID; neither restarts', async () => {
    const dir = tempDir('hypha-signal-');
    const sigs = join(dir, 'signals');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  app:
    command: ${fixtureCommand('signal-counter.mjs')}
    env: { SIGNAL_FILE: ${q(sigs)} }
    reload: { command: "kill -USR2 $MAINPID" }
  broken:
    command: ${fixtureCommand('signal-counter.mjs')}
    reload: { command: "echo cannot reload >&2; exit 3" }
  plain:
    command: ["sleep", "1000"]
  idle:
    command: ["sleep", "1000"]
    autostart: false
`,
      { dir },
    );
    daemons.push(d);
    const app = await d.waitFor('app', (x) => x.state === 'running' && x.pid !== null, 'running');
    await waitFor(async () => (await d.api<{ lines: { text: string }[] }>('GET', '/api/services/app/logs')).body.lines.some((l) => l.text.startsWith('ready')), {
      message: 'handlers installed',
    });

    const hup = await d.cli(['signal', 'app', 'HUP']);
    expect(hup.code, hup.stderr).toBe(0);
    expect(hup.stdout).toContain(`app: sent SIGHUP to pid ${app.pid}`);
    await waitFor(() => received(sigs).includes(`SIGHUP ${app.pid}`), { message: 'SIGHUP received' });

    const api = await d.api<{ ok: boolean }>('POST', '/api/services/app/signal', { body: JSON.stringify({ signal: 'sigusr1' }), headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(200);
    await waitFor(() => received(sigs).includes(`SIGUSR1 ${app.pid}`), { message: 'SIGUSR1 received' });

    const reload = await d.cli(['reload', 'app']);
    expect(reload.code, reload.stderr).toBe(0);
    expect(reload.stdout).toContain('app: reloaded');
    await waitFor(() => received(sigs).includes(`SIGUSR2 ${app.pid}`), { message: 'SIGUSR2 from reload.command' });

    const after = await d.status('app');
    expect(after.pid).toBe(app.pid);
    expect(after.restarts).toBe(0);

    // Failures say why, with the usual exit codes.
    await d.waitFor('broken', (x) => x.state === 'running', 'running');
    const failed = await d.cli(['reload', 'broken']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('broken: reload.command exited with code 3: cannot reload');
    const none = await d.cli(['reload', 'plain']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('plain has no reload.command (use hypha signal plain HUP, or restart it)');
    const bad = await d.cli(['signal', 'app', 'NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown signal "NOPE"');
    const stopped = await d.cli(['signal', 'idle', 'HUP']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('idle is not running (state stopped)');
    const body = await d.api<{ error: string }>('POST', '/api/services/app/signal');
    expect(body.status).toBe(400);
  });
});
