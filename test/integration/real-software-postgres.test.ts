// Real software: PostgreSQL 15 from the distribution. After the supervisor is SIGKILLed, the next
// start stops the postmaster it left as a `hypha stop` would (its own log says it received a
// shutdown request, not that it crashed), then starts it clean: the data survives and postgres
// comes back. Postgres refuses to run as root, so it runs as the `postgres` user (setpriv execs
// it directly, without a process in between). Skipped, saying so, where it is not installed.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, freePort, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { childPidsDeep } from '../helpers/processes.js';
import { q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();
const BIN = '/usr/lib/postgresql/15/bin';

function pgUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

const user = process.platform === 'linux' ? pgUser() : null;
const hasPostgres = user !== null && existsSync(join(BIN, 'postgres')) && process.getuid?.() === 0;
if (!hasPostgres) console.warn('real-software-postgres: postgresql 15 (and root, to run it as user postgres) is not available here, so this test is skipped');

describe.skipIf(!hasPostgres)('real software: postgres', () => {
  it('after a SIGKILLed supervisor, the next start stops the postmaster gracefully and postgres comes back', async () => {
    const dir = tempDir('hypha-pg-');
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    const sock = join(dir, 'sock');
    mkdirSync(sock);
    mkdirSync(data, { mode: 0o700 });
    const pgLog = join(dir, 'postgres.log');
    if (!user) return;
    for (const p of [sock, data]) chownSync(p, user.uid, user.gid);
    execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
    execFileSync('sh', ['-c', `: > ${q(pgLog)} && chown postgres ${q(pgLog)}`]);
    const port = await freePort();
    // stderr to a file of its own: the supervisor that held its pipes is about to be killed.
    const postgres = `exec setpriv --reuid=postgres --regid=postgres --init-groups ${BIN}/postgres -D ${q(data)} -p ${port} -k ${q(sock)} -c listen_addresses=127.0.0.1 2>>${q(pgLog)}`;
    const yaml = `api: { port: 0 }
services:
  db:
    command: ${q(postgres)}
    port: ${port}
    stop: { signal: SIGINT, timeout: 30s }
`;
    const home = join(dir, 'home');
    const d = await startDaemon(yaml, { dir, home });
    daemons.push(d);
    const log = (): string => (existsSync(pgLog) ? readFileSync(pgLog, 'utf8') : '');
    const readyCount = (): number => log().split('database system is ready to accept connections').length - 1;
    await waitFor(() => (readyCount() >= 1 ? true : null), { timeoutMs: 60_000, message: 'postgres ready' });
    const s = await d.waitFor('db', (x) => x.state === 'running', 'running');
    const postmaster = s.pid as number;
    const backends = childPidsDeep(postmaster);
    fixtureReaper.add(postmaster, ...backends);

    process.kill(d.pid, 'SIGKILL');
    await d.exited;
    expect(aliveOf([postmaster])).toEqual([postmaster]); // left running by the crash

    const d2 = await startDaemon(yaml, { dir, home });
    daemons.push(d2);
    expect(aliveOf([postmaster, ...backends])).toEqual([]);
    expect(log()).toMatch(/received (fast|smart) shutdown request/);
    expect(log()).not.toMatch(/terminated by signal 9|was interrupted/);
    // The line is printed after the banner, which may lag the reaping by a moment.
    const reaped = new RegExp(`reaped orphan pid ${postmaster} \\(db\\): stopped gracefully`);
    await waitFor(() => reaped.test(d2.output()), { message: `the reaped-orphan line in: ${d2.output()}` });
    // …and postgres comes back, clean.
    await waitFor(() => (readyCount() >= 2 ? true : null), { timeoutMs: 60_000, message: 'postgres ready again' });
    const again = await d2.waitFor('db', (x) => x.state === 'running', 'running again');
    fixtureReaper.add(again.pid ?? 0);
    expect(log()).not.toMatch(/database system was not properly shut down/);
  });
});
