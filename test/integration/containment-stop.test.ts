// Graceful stop as systemd does it: stop.command first, the stop signal once, SIGKILL at
// stop.timeout to what is left. A service's own cleanup (a `trap cleanup TERM` running commands)
// is never killed before the timeout; what outlives the timeout is, setsid or not.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function pidsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

for (const env of [{}, { HYPHA_CGROUPS: '0' }] as Record<string, string>[]) {
  const label = Object.keys(env).length ? ' (tree fallback)' : '';
  describe.skipIf(process.platform === 'win32')(`graceful stop${label}`, () => {
    it('lets a `trap cleanup TERM` run `sleep 1` three times and write its file', async () => {
      const dir = tempDir('hypha-stop-');
      const out = join(dir, 'cleanup.txt');
      const script = join(dir, 'svc.sh');
      writeFileSync(
        script,
        `#!/bin/bash
cleanup() {
  for i in 1 2 3; do sleep 1 || { echo "sleep $i was killed" > "$OUT"; exit 1; }; done
  echo cleaned > "$OUT"
  exit 0
}
trap cleanup TERM
echo ready
while :; do sleep 0.2; done
`,
        { mode: 0o755 },
      );
      const d = await startDaemon(
        `api: { port: 0 }
services:
  trapper:
    command: [${q(script)}]
    env: { OUT: ${q(out)} }
    stop: { timeout: 60s }
`,
        { dir, env },
      );
      daemons.push(d);
      const s = await d.waitFor('trapper', (x) => x.state === 'running', 'running');
      fixtureReaper.add(s.pid ?? 0);
      await waitFor(async () => {
        const r = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/trapper/logs?lines=20');
        return r.body.lines.some((l) => l.text === 'ready') ? true : null;
      }, { message: 'the trap in place' });
      const cli = await d.cli(['stop', 'trapper']);
      expect(cli.code, cli.stdout + cli.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').trim()).toBe('cleaned');
      expect((await d.status('trapper')).lastExit).toMatchObject({ code: 0 });
    });

    it('SIGKILLs at stop.timeout what is still there: a cleanup that never ends and a setsid leftover', async () => {
      const dir = tempDir('hypha-stop-');
      const pidsFile = join(dir, 'pids');
      const script = join(dir, 'svc.sh');
      writeFileSync(
        script,
        `#!/bin/bash
setsid bash -c 'trap "" TERM; echo $$ >> "$PIDS_FILE"; exec sleep 100000' &
trap 'sleep 100000; exit 0' TERM
echo $$ >> "$PIDS_FILE"
while :; do sleep 0.2; done
`,
        { mode: 0o755 },
      );
      const d = await startDaemon(
        `api: { port: 0 }
services:
  stuck:
    command: [${q(script)}]
    env: { PIDS_FILE: ${q(pidsFile)} }
    stop: { timeout: 1500ms }
`,
        { dir, env },
      );
      daemons.push(d);
      const pids = await waitFor(() => (pidsIn(pidsFile).length >= 2 ? pidsIn(pidsFile) : null), { message: 'both processes up' });
      fixtureReaper.add(...pids);
      await d.waitFor('stuck', (x) => x.state === 'running', 'running');
      // Once the tree scan has seen the setsid one (the fallback needs that; a cgroup does not).
      await new Promise((r) => setTimeout(r, 2500));
      await d.api('POST', '/api/services/stuck/stop');
      await d.waitFor('stuck', (x) => x.state === 'stopped', 'stopped');
      expect(aliveOf(pids)).toEqual([]);
      const r = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/stuck/logs?lines=50');
      expect(r.body.lines.map((l) => l.text).join('\n')).toMatch(/stop timed out after 1\.5s: sent SIGKILL/);
    });

    it('runs stop.command first, with the service env and $MAINPID', async () => {
      const dir = tempDir('hypha-stop-');
      const out = join(dir, 'out.txt');
      const d = await startDaemon(
        `api: { port: 0 }
services:
  quitter:
    command: "trap '' TERM; trap 'echo quit-by-usr1 > \\"$OUT\\"; exit 0' USR1; while :; do sleep 0.2; done"
    env: { OUT: ${q(out)} }
    stop:
      command: ["sh", "-c", "echo stop-command-ran with $GREETING; kill -USR1 $MAINPID"]
      timeout: 60s
`.replace('env: { OUT', 'env: { GREETING: hello, OUT'),
        { dir, env },
      );
      daemons.push(d);
      const s = await d.waitFor('quitter', (x) => x.state === 'running', 'running');
      fixtureReaper.add(s.pid ?? 0);
      await new Promise((r) => setTimeout(r, 500)); // the traps in place
      const cli = await d.cli(['stop', 'quitter']);
      expect(cli.code, cli.stdout + cli.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').trim()).toBe('quit-by-usr1');
      const r = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/quitter/logs?lines=50');
      expect(r.body.lines.map((l) => l.text)).toContain('stop-command-ran with hello');
    });
  });
}
