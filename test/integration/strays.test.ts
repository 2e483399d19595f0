// Strays against the real daemon and real processes (issue #7): a stand-in cron loop keeps
// starting copies of a service outside Hypha. Hypha lists them with the loop as ancestor, names
// the loop as the respawning source once copies come back after a stop, ends them (trees too)
// only when asked, clears a port holder before start under `strays: stop`, and never touches
// the loop, a look-alike decoy, or another Hypha's own run unless asked.
import { afterEach, describe, expect, it } from 'vitest';
import type { Stray, SupervisorEvent, LogLine, ServiceStatus } from '../../main/contract/status.js';
import {
  aliveOf,
  childPidsDeep,
  fixturePath,
  fixtureReaper,
  freePort,
  isProcessAlive,
  spawnFixture,
  waitFor,
  type Fixture,
} from '../helpers/index.js';
import { fixtureCommand, q, startDaemon, type Daemon, cleanUp } from '../helpers/daemon.js';

const daemons: Daemon[] = [];
const loops: Fixture[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  for (const loop of loops.splice(0)) endLoop(loop);
  await cleanUp();
});

/** Ends a cron loop by its pid: frozen first so it starts no more, its copies registered for reaping. */
function endLoop(loop: Fixture): void {
  if (!isProcessAlive(loop.pid)) return;
  process.kill(loop.pid, 'SIGSTOP');
  fixtureReaper.add(...childPidsDeep(loop.pid));
  process.kill(loop.pid, 'SIGKILL');
}

function uniqueTag(): string {
  return `t${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
}

/** A copy's command line, as the loop and the decoy write it. */
function copyRegex(tag: string): string {
  return `stray-copy\\.sh --role copy --tag ${tag}$`;
}

async function startLoop(tag: string): Promise<Fixture> {
  const loop = spawnFixture('cron-loop.sh', {
    COPY_SCRIPT: fixturePath('stray-copy.sh'),
    COPY_ARGS: `--role copy --tag ${tag}`,
    INTERVAL: '0.3',
    MAX: '2',
  });
  loops.push(loop);
  await loop.waitForOutput(/spawned pid=\d+/);
  return loop;
}

/** Same script, nearly the same arguments: a match must not catch it. */
async function startDecoy(tag: string): Promise<Fixture> {
  const decoy = spawnFixture('stray-copy.sh', {}, { args: ['--role', 'decoy', '--tag', tag] });
  await decoy.ready();
  return decoy;
}

function copyService(tag: string, extra = ''): string {
  return `api: { port: 0 }
services:
  copy:
    command: ["/bin/sh", ${q(fixturePath('stray-copy.sh'))}, "--role", "hypha-run", "--tag", ${q(tag)}]
    autostart: false
    match: ${q(copyRegex(tag))}
    stop: { timeout: 2s }
${extra}`;
}

async function strays(d: Daemon, id: string): Promise<Stray[]> {
  const r = await d.api<{ services: { id: string; strays: Stray[] }[] }>('GET', `/api/strays?id=${id}`);
  if (r.status !== 200) throw new Error(`GET /api/strays: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.services.find((s) => s.id === id)?.strays ?? [];
}

/** Scans afresh until `pred` holds for the strays of `id`. */
function waitForStrays(d: Daemon, id: string, pred: (s: Stray[]) => boolean, message: string, timeoutMs = 15_000): Promise<Stray[]> {
  let last: Stray[] = [];
  return waitFor(
    async () => {
      last = await strays(d, id);
      return pred(last) ? last : null;
    },
    { timeoutMs, intervalMs: 100, message: `${id}: ${message}` },
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last strays: ${JSON.stringify(last)}`);
  });
}

async function logs(d: Daemon, id: string): Promise<string[]> {
  const r = await d.api<{ lines: LogLine[] }>('GET', `/api/services/${id}/logs?lines=500`);
  return r.body.lines.filter((l) => l.stream === 'supervisor').map((l) => l.text);
}

describe('strays', () => {
  it('lists copies a loop starts, with the loop as ancestor, ends them with their trees when asked, and names the loop once they come back', async () => {
    const tag = uniqueTag();
    const decoy = await startDecoy(tag);
    const loop = await startLoop(tag);
    const d = await startDaemon(copyService(tag));
    daemons.push(d);

    const found = await waitForStrays(d, 'copy', (s) => s.length === 2, 'both copies of the loop');
    for (const st of found) {
      expect(st.command).toMatch(new RegExp(`stray-copy\\.sh --role copy --tag ${tag}$`));
      expect(st.reason).toBe('match');
      expect(Date.parse(st.startedAt ?? '')).toBeLessThanOrEqual(Date.now());
      expect(st.ancestry[0]).toEqual({ pid: loop.pid, command: expect.stringContaining('cron-loop.sh') });
      expect(st.ancestry.at(-1)?.pid).toBe(1);
      expect(st.verdict).toBe(`spawned by cron-loop.sh (pid ${loop.pid})`);
    }
    expect(found.map((s) => s.pid)).not.toContain(decoy.pid);
    // The status carries the latest scan too.
    expect((await d.status('copy')).strays.map((s) => s.pid).sort()).toEqual(found.map((s) => s.pid).sort());

    // Each copy is a tree (a shell and its sleeping child): ending it ends both.
    const trees = await waitFor(() => {
      const t = found.flatMap((s) => [s.pid, ...childPidsDeep(s.pid)]);
      return t.length === 4 ? t : null;
    }, { message: 'each copy to have its child' });
    const r = await d.api<{ stopped: number[] }>('POST', '/api/services/copy/strays/stop');
    expect(r.status).toBe(200);
    expect(r.body.stopped).toEqual(expect.arrayContaining(found.map((s) => s.pid)));
    expect(aliveOf(trees)).toEqual([]);
    const lines = await logs(d, 'copy');
    for (const pid of r.body.stopped) expect(lines.some((l) => l.startsWith(`ended stray pid ${pid} `))).toBe(true);

    // The loop starts new copies: now it is named as what keeps starting them.
    const respawning = `respawning: new copies keep appearing, spawned by cron-loop.sh (pid ${loop.pid}) — disable that script or cron job`;
    const back = await waitForStrays(d, 'copy', (s) => s.length > 0 && s.every((x) => x.verdict === respawning), 'copies back and flagged');
    for (const st of back) expect(r.body.stopped).not.toContain(st.pid);
    await waitFor(async () => (await logs(d, 'copy')).includes(respawning), { message: 'the respawn line in the service log' });
    const events = await d.api<{ events: SupervisorEvent[] }>('GET', '/api/services/copy/events');
    expect(events.body.events.filter((e) => e.kind === 'strays' && e.message === respawning)).toHaveLength(1);

    // Neither the loop (no match) nor the decoy (a look-alike) was touched.
    expect(isProcessAlive(loop.pid)).toBe(true);
    expect(isProcessAlive(decoy.pid)).toBe(true);
    endLoop(loop);
  });

  it('hypha strays prints the table; --stop ID ends them (exit 0); an unknown id exits 2', async () => {
    const tag = uniqueTag();
    const decoy = await startDecoy(tag);
    const loop = await startLoop(tag);
    const d = await startDaemon(copyService(tag));
    daemons.push(d);

    const listed = await waitFor(
      async () => {
        const out = await d.cli(['strays']);
        return out.code === 0 && out.stdout.split('\n').filter((l) => l.startsWith('copy ')).length === 2 ? out : null;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: 'hypha strays to list two copies' },
    );
    const [head, ...rows] = listed.stdout.trim().split('\n');
    expect(head?.split(/\s{2,}/)).toEqual(['SERVICE', 'PID', 'AGE', 'COMMAND', 'SPAWNED BY']);
    for (const row of rows) expect(row).toMatch(new RegExp(`^copy\\s+\\d+\\s+\\S+\\s+(?:/bin/)?sh .*stray-copy\\.sh.*spawned by cron-loop\\.sh \\(pid ${loop.pid}\\)$`));
    const pids = rows.map((row) => Number(row.split(/\s+/)[1]));

    const one = await d.cli(['strays', 'copy', '--json']);
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as { id: string; strays: Stray[] }[])[0]?.id).toBe('copy');

    const stop = await d.cli(['strays', '--stop', 'copy']);
    expect(stop.code).toBe(0);
    const stopped = (/^stopped \d+ strays? of copy: ([\d ]+)$/m.exec(stop.stdout)?.[1] ?? '').split(' ').map(Number);
    expect(stopped).toEqual(expect.arrayContaining(pids));
    expect(aliveOf(stopped)).toEqual([]);

    expect((await d.cli(['strays', '--stop', 'nosuch'])).code).toBe(2);
    expect((await d.cli(['strays', 'nosuch'])).code).toBe(2);
    expect((await d.cli(['strays', '--stop'])).code).toBe(2);

    expect(isProcessAlive(loop.pid)).toBe(true);
    expect(isProcessAlive(decoy.pid)).toBe(true);
    endLoop(loop);
  });

  it('strays: stop ends a port holder before start, and the service then runs on its port', async () => {
    const port = await freePort();
    const holder = spawnFixture('port-holder', { PORT: String(port) });
    await holder.waitForOutput(/listening port=/);
    const decoy = await startDecoy(uniqueTag());
    const d = await startDaemon(`api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}" }
    port: ${port}
    strays: stop
`);
    daemons.push(d);
    const s = await d.waitFor('web', (x) => x.state === 'running', 'running');
    expect(isProcessAlive(holder.pid)).toBe(false);
    expect(s.pid).not.toBe(holder.pid);
    expect(await logs(d, 'web')).toContainEqual(expect.stringMatching(new RegExp(`^ended stray pid ${holder.pid}: .*port-holder\\.mjs`)));
    const hello = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).text(), { message: 'the service to answer' });
    expect(hello).toBe(`hello from ${s.pid}\n`);
    // Its own run holds the port now, and is no stray.
    expect(await strays(d, 'web')).toEqual([]);
    expect(isProcessAlive(decoy.pid)).toBe(true);
  });

  it('strays: report leaves a port holder alone, says who holds the port, and ends it only when asked', async () => {
    const port = await freePort();
    const holder = spawnFixture('port-holder', { PORT: String(port) });
    await holder.waitForOutput(/listening port=/);
    const d = await startDaemon(`api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "${port}" }
    port: ${port}
`);
    daemons.push(d);
    const failed = await d.waitFor('web', (x) => x.state === 'failed', 'failed on the taken port');
    expect(failed.lastError).toMatch(new RegExp(`^port ${port} held by pid ${holder.pid} \\(.+\\) — see strays$`));
    const listed = await waitForStrays(d, 'web', (st) => st.length === 1, 'the holder listed');
    expect(listed[0]).toMatchObject({ pid: holder.pid, reason: 'port' });
    // Scans (periodic and asked for) never end it by themselves.
    await strays(d, 'web');
    expect(isProcessAlive(holder.pid)).toBe(true);

    const r = await d.api<{ stopped: number[] }>('POST', '/api/services/web/strays/stop');
    expect(r.body.stopped).toEqual([holder.pid]);
    expect(isProcessAlive(holder.pid)).toBe(false);
    await d.api('POST', '/api/services/web/start');
    const s: ServiceStatus = await d.waitFor('web', (x) => x.state === 'running', 'running after the strays were ended');
    expect(s.strays).toEqual([]);
  });

  it.runIf(process.platform === 'linux')("tells another Hypha's run apart by its HYPHA_HOME, and never lists a run of its own", async () => {
    const tag = uniqueTag();
    const other = await startDaemon(copyService(tag).replace('autostart: false', 'autostart: true').replace(`--role", "hypha-run`, `--role", "copy`));
    daemons.push(other);
    const run = await other.waitFor('copy', (x) => x.state === 'running', 'running in the other Hypha');
    // Its own run matches its own `match`, yet is no stray of its own.
    expect(await strays(other, 'copy')).toEqual([]);

    const d = await startDaemon(copyService(tag));
    daemons.push(d);
    const seen = await waitForStrays(d, 'copy', (st) => st.length === 1, "the other Hypha's run");
    expect(seen[0]).toMatchObject({ pid: run.pid, verdict: `started by another Hypha (HYPHA_HOME ${other.home}, service copy)` });
  });
});
