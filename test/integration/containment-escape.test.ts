// Containment against a program that tries every way out (test/fixtures/escaper.sh: double fork,
// setsid, new argv, empty environment, one of them ignoring SIGTERM): after stop, restart and a
// SIGKILLed supervisor followed by a new one, none of its processes is left, with /proc as the
// witness. Run twice: with cgroups (where this machine lets Hypha make them) and with the tree
// fallback (HYPHA_CGROUPS=0), which must see a process once to hold it, so there the escapers
// linger a few seconds before they cut loose. The immediate escape (`setsid -f env -i`) only a
// cgroup can hold; the fallback must at least not hang the daemon's exit on it.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { FIXTURES, q, startDaemon, useDaemons, type Daemon } from '../helpers/daemon.js';
import { cgroupsEnabled } from '../../main/core/process/cgroup.js';

const daemons = useDaemons();
// Every run's processes are reaped by pid, the later runs' too (a daemon started again after a
// SIGKILL runs the escaper once more). Registered after useDaemons, so it runs before the daemons
// are stopped: the pids it records are ended by the same cleanUp, whatever the daemons left.
const pidFiles: string[] = [];
afterEach(() => {
  for (const f of pidFiles.splice(0)) fixtureReaper.add(...pidsIn(f));
});
const linux = process.platform === 'linux';
const canCgroup = linux && cgroupsEnabled({});

function pidsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** `runs` runs' middle parents have all exited: their escaped processes are on their own. */
async function cutLoose(pidsFile: string, runs = 1): Promise<void> {
  const cut = `${pidsFile}.cut`;
  const lines = (): number => (existsSync(cut) ? readFileSync(cut, 'utf8').split('\n').filter(Boolean).length : 0);
  await waitFor(() => (lines() >= 2 * runs ? true : null), { message: `escapers of ${runs} run(s) cut loose` });
}

function config(pidsFile: string, escape: 'fast' | 'linger'): string {
  pidFiles.push(pidsFile);
  return `api: { port: 0 }
services:
  escaper:
    command: [${q(join(FIXTURES, 'escaper.sh'))}]
    env: { PIDS_FILE: ${q(pidsFile)}, ESCAPE: ${escape} }
    restart: { policy: always, delay: 100ms }
    stop: { timeout: 2s }
`;
}

async function escaperUp(d: Daemon, pidsFile: string): Promise<number[]> {
  const pids = await waitFor(() => (pidsIn(pidsFile).length >= 3 ? pidsIn(pidsFile) : null), { message: 'the escaper and both escaped processes' });
  fixtureReaper.add(...pids);
  await d.waitFor('escaper', (s) => s.state === 'running', 'running');
  return pids;
}

const modes = [
  { name: 'cgroup', env: {} as Record<string, string>, escape: 'fast' as const, run: canCgroup },
  { name: 'tree fallback (HYPHA_CGROUPS=0)', env: { HYPHA_CGROUPS: '0' }, escape: 'linger' as const, run: linux },
];

for (const mode of modes) {
  describe.skipIf(!mode.run)(`containment (${mode.name})`, () => {
    const expected = mode.name === 'cgroup' ? 'cgroup' : 'tree';

    it('stop leaves none of the escaped processes', async () => {
      const dir = tempDir('hypha-esc-');
      const pidsFile = join(dir, 'pids');
      const d = await startDaemon(config(pidsFile, mode.escape), { dir, env: mode.env });
      daemons.push(d);
      const pids = await escaperUp(d, pidsFile);
      expect((await d.status('escaper')).containment).toBe(expected);
      // Let the lingering middle parents go, so the escapers are cut loose before the stop.
      if (mode.escape === 'linger') await cutLoose(pidsFile);
      const r = await d.api('POST', '/api/services/escaper/stop');
      expect(r.status).toBe(200);
      await d.waitFor('escaper', (s) => s.state === 'stopped', 'stopped');
      expect(aliveOf(pids)).toEqual([]);
    });

    it('restart leaves none of the old run, and a SIGKILLed supervisor’s next start leaves none either', async () => {
      const dir = tempDir('hypha-esc-');
      const pidsFile = join(dir, 'pids');
      const home = join(dir, 'home');
      const d = await startDaemon(config(pidsFile, mode.escape), { dir, home, env: mode.env });
      daemons.push(d);
      const first = await escaperUp(d, pidsFile);
      if (mode.escape === 'linger') await cutLoose(pidsFile);
      await d.api('POST', '/api/services/escaper/restart');
      await waitFor(() => (aliveOf(first).length === 0 ? true : null), { message: `old run gone after restart: ${aliveOf(first)}` });
      const second = await waitFor(() => {
        const now = pidsIn(pidsFile).filter((p) => !first.includes(p));
        return now.length >= 3 ? now : null;
      }, { message: 'the second run up' });
      fixtureReaper.add(...second);
      await d.waitFor('escaper', (s) => s.state === 'running', 'running again');
      if (mode.escape === 'linger') await cutLoose(pidsFile, 2);

      process.kill(d.pid, 'SIGKILL');
      await d.exited;
      expect(aliveOf(second).length).toBe(3); // the orphans, left by the crash

      const d2 = await startDaemon(config(pidsFile, mode.escape), { dir, home, env: mode.env });
      daemons.push(d2);
      await waitFor(() => (aliveOf(second).length === 0 ? true : null), { message: `orphans reaped: ${aliveOf(second)}` });
      // The line is printed after the banner, which may lag the reaping by a moment.
      await waitFor(() => /reaped orphan pid \d+ \(escaper\)/.test(d2.output()), { message: `the reaped-orphan line in: ${d2.output()}` });
    });
  });
}

describe.skipIf(!linux)('containment: an immediate escape without cgroups', () => {
  it('does not keep the daemon from exiting (the escaped process holds its stdout)', async () => {
    const dir = tempDir('hypha-esc-');
    const pidsFile = join(dir, 'pids');
    const d = await startDaemon(config(pidsFile, 'fast'), { dir, env: { HYPHA_CGROUPS: '0' } });
    daemons.push(d);
    const pids = await escaperUp(d, pidsFile);
    const exit = await d.stop();
    expect(exit.code).toBe(0);
    for (const pid of aliveOf(pids)) process.kill(pid, 'SIGKILL');
  });
});
