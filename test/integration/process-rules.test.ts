// SPEC §4 process rules, proven against the real daemon: nothing a service started survives stop,
// restart, crash, daemon SIGTERM, or daemon SIGKILL followed by a new daemon.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { aliveOf, readForkerPids, tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, fixtureCommand, q, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';

const daemons: Daemon[] = [];
const allPids: number[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  // Whatever a failing test left behind goes too, by pid.
  for (const pid of aliveOf(allPids.splice(0))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await cleanUp();
});

function forkerConfig(pidsFile: string, extra = ''): string {
  return `api: { port: 0 }
services:
  tree:
    command: ${fixtureCommand('forker.mjs')}
    env: { PIDS_FILE: ${q(pidsFile)} }
    restart: { policy: always, delay: 100ms }
    stop: { timeout: 1s }
${extra}`;
}

async function forkerDaemon(): Promise<{ d: Daemon; pidsFile: string }> {
  const dir = tempDir('hypha-it-');
  const pidsFile = join(dir, 'pids.json');
  const d = await startDaemon(forkerConfig(pidsFile), { dir });
  daemons.push(d);
  return { d, pidsFile };
}

describe('process rules', () => {
  it('stop leaves none of a 12-process tree, setsid child included', async () => {
    const { d, pidsFile } = await forkerDaemon();
    const pids = await readForkerPids(pidsFile);
    allPids.push(...pids.all);
    expect(pids.all).toHaveLength(12);
    expect(aliveOf(pids.all)).toHaveLength(12);
    const s = await d.waitFor('tree', (x) => x.state === 'running', 'running');
    expect(s.pid).toBe(pids.root);

    const r = await d.api('POST', '/api/services/tree/stop');
    expect(r.status).toBe(200);
    await d.waitFor('tree', (x) => x.state === 'stopped', 'stopped');
    // The stop is done only once none is left.
    expect(aliveOf(pids.all)).toEqual([]);
  });

  it('restart and crash leave none of the old tree', async () => {
    const { d, pidsFile } = await forkerDaemon();
    const first = await readForkerPids(pidsFile);
    allPids.push(...first.all);
    await d.api('POST', '/api/services/tree/restart');
    await d.waitFor('tree', (x) => x.state === 'running' && x.pid !== first.root, 'a new run');
    await waitFor(() => aliveOf(first.all).length === 0, { message: 'old tree gone after restart' });

    const second = await waitFor(async () => {
      const p = await readForkerPids(pidsFile);
      return p.root !== first.root ? p : null;
    });
    allPids.push(...second.all);
    // A crash: the leader dies of SIGKILL; its children and the setsid grandchild must go with it.
    process.kill(second.root, 'SIGKILL');
    await d.waitFor('tree', (x) => x.restarts >= 1 && x.state === 'running' && x.pid !== second.root, 'respawned after crash');
    await waitFor(() => aliveOf(second.all).length === 0, { message: `crashed tree gone: ${aliveOf(second.all)}` });
  });

  it('daemon SIGTERM stops every service, removes daemon.json and exits 0', async () => {
    const { d, pidsFile } = await forkerDaemon();
    const pids = await readForkerPids(pidsFile);
    allPids.push(...pids.all);
    const exit = await d.stop();
    expect(exit.code).toBe(0);
    expect(aliveOf(pids.all)).toEqual([]);
    expect(existsSync(join(d.home, 'daemon.json'))).toBe(false);
    expect(existsSync(join(d.home, 'hypha.lock'))).toBe(false);
  });

  it('an uncaught error in the daemon still kills every child before it exits', async () => {
    const dir = tempDir('hypha-it-');
    const pidsFile = join(dir, 'pids.json');
    const faultFile = join(dir, 'fault');
    const d = await startDaemon(forkerConfig(pidsFile), {
      dir,
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(FIXTURES, 'inject-fault.mjs')).href}`, HYPHA_FAULT_FILE: faultFile },
    });
    daemons.push(d);
    const pids = await readForkerPids(pidsFile);
    allPids.push(...pids.all);
    await d.waitFor('tree', (x) => x.state === 'running', 'running');
    expect(aliveOf(pids.all)).toHaveLength(12);

    writeFileSync(faultFile, '');
    const exit = await d.exited;
    expect(exit.code).toBe(1);
    expect(d.output()).toContain('hypha: internal error: Error: injected fault');
    // killAllNow is synchronous SIGKILL; the kernel may take a moment to reap what it killed.
    await waitFor(() => aliveOf(pids.all).length === 0, { message: `children left: ${aliveOf(pids.all)}` });
  });

  it('after a SIGKILLed daemon, the next one reaps every orphan and starts clean', async () => {
    const { d, pidsFile } = await forkerDaemon();
    const pids = await readForkerPids(pidsFile);
    allPids.push(...pids.all);
    // Let one sampling pass record the setsid grandchild in state.json.
    await waitFor(
      () => {
        const st = JSON.parse(readFileSync(join(d.home, 'state.json'), 'utf8')) as { runs: { members: { pid: number }[] }[] };
        return st.runs[0]?.members.some((m) => m.pid === pids.setsidChild);
      },
      { message: 'state.json to list the setsid grandchild' },
    );
    d.child.kill('SIGKILL');
    await d.exited;
    expect(aliveOf(pids.all)).toHaveLength(12);

    const next = await startDaemon(forkerConfig(pidsFile), { dir: d.dir, home: d.home });
    daemons.push(next);
    await waitFor(() => aliveOf(pids.all).length === 0, { message: `orphans reaped: ${aliveOf(pids.all)}` });
    for (const pid of [pids.root, pids.setsid, pids.setsidChild]) {
      // The daemon prints them right after its banner, which may follow daemon.json by a moment.
      await waitFor(() => next.output().includes(`reaped orphan pid ${pid} (tree)`), { message: `reaped orphan pid ${pid} in the output: ${next.output()}` });
    }
    const logs = await next.api<{ lines: { stream: string; text: string }[] }>('GET', '/api/services/tree/logs?lines=200');
    expect(logs.body.lines.some((l) => l.stream === 'supervisor' && /^reaped orphan pid \d+ \(tree\): (stopped gracefully|killed after [\d.]+s)$/.test(l.text) && l.text.startsWith(`reaped orphan pid ${pids.root} (tree)`))).toBe(true);
    const fresh = await next.waitFor('tree', (x) => x.state === 'running', 'running again');
    expect(pids.all).not.toContain(fresh.pid);
  });

  it('a crash loop ends failed after exactly max_restarts', async () => {
    const dir = tempDir('hypha-it-');
    const stamps = join(dir, 'stamps');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  crashy:
    command: ${fixtureCommand('crasher.mjs')}
    env: { STAMP_FILE: ${q(stamps)}, EXIT_CODE: "3" }
    restart: { policy: on-failure, delay: 50ms, max_delay: 200ms, max_restarts: 3, window: 1m }
`,
      { dir },
    );
    daemons.push(d);
    const s = await d.waitFor('crashy', (x) => x.state === 'failed', 'failed');
    expect(s.restarts).toBe(3);
    expect(s.status).toBe('failed');
    expect(s.lastError).toMatch(/gave up after 3 restarts/);
    expect(s.lastExit?.code).toBe(3);
    // 1 + max_restarts spawns, and no more.
    expect(readFileSync(stamps, 'utf8').trim().split('\n')).toHaveLength(4);
    const again = await d.api('POST', '/api/services/crashy/start');
    expect(again.status).toBe(200);
    const s2 = await d.waitFor('crashy', (x) => x.state === 'failed' && x.lastExit?.at !== s.lastExit?.at, 'failed again after a manual start');
    expect(s2.restarts).toBe(3);
    expect(readFileSync(stamps, 'utf8').trim().split('\n')).toHaveLength(8);
  });
});
