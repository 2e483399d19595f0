// Real software: nginx from the distribution. `daemon on` with `pidfile:` is supervised (the
// master's pid is the service's; kill -9 of it restarts the service; a stop leaves no worker),
// and the common container setup, `access_log /dev/stdout`, serves and its requests reach the
// service log (a real pipe; Node's socketpair made nginx fail with ENXIO). /proc is the witness.
// Skipped, saying so, where nginx is not installed (CI installs nginx-light).
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, freePort, pidIn, requireProgram, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { childPidsDeep } from '../helpers/processes.js';
import { q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

const hasNginx = requireProgram('nginx', 'real-software-nginx');

function nginxConf(dir: string, port: number, top: string, http: string): string {
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const file = join(dir, 'nginx.conf');
  writeFileSync(
    file,
    `${top}
worker_processes 2;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 64; }
http {
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  ${http}
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "hello from nginx\\n"; }
  }
}
`,
  );
  return file;
}

describe.skipIf(!hasNginx)('real software: nginx', () => {
  it('daemon on + pidfile: supervised; kill -9 of the master restarts it; stop leaves no worker', async () => {
    const dir = tempDir('hypha-nginx-');
    const port = await freePort();
    const pidFile = join(dir, 'nginx.pid');
    const conf = nginxConf(dir, port, `daemon on;\npid ${pidFile};\nerror_log ${join(dir, 'error.log')};`, `access_log ${join(dir, 'access.log')};`);
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: [nginx, -c, ${q(conf)}, -p, ${q(dir)}]
    pidfile: ${q(pidFile)}
    port: ${port}
    restart: { policy: on-failure, delay: 200ms }
    stop: { command: [nginx, -c, ${q(conf)}, -p, ${q(dir)}, -s, quit], timeout: 10s }
`,
      { dir },
    );
    daemons.push(d);
    const master = await waitFor(() => pidIn(pidFile), { message: 'nginx.pid written' });
    fixtureReaper.add(master);
    await d.waitFor('web', (x) => x.state === 'running' && x.pid === master, `running as the master, pid ${master}`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    const workers = await waitFor(() => (childPidsDeep(master).length >= 2 ? childPidsDeep(master) : null), { message: 'two workers' });
    fixtureReaper.add(...workers);

    process.kill(master, 'SIGKILL');
    const again = await d.waitFor(
      'web',
      (x) => x.state === 'running' && x.pid !== null && x.pid !== master && x.pid === pidIn(pidFile),
      'restarted after kill -9 of the master',
    );
    const master2 = again.pid as number;
    fixtureReaper.add(master2, ...childPidsDeep(master2));
    // The old master's workers did not survive it (they were ended with the crashed run).
    await waitFor(() => (aliveOf([master, ...workers]).length === 0 ? true : null), { message: `old nginx gone: ${aliveOf([master, ...workers])}` });
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);

    const workers2 = childPidsDeep(master2);
    const stop = await d.cli(['stop', 'web']);
    expect(stop.code, stop.stdout + stop.stderr).toBe(0);
    expect(aliveOf([master2, ...workers2])).toEqual([]);
  });

  for (const env of [{}, { HYPHA_CGROUPS: '0' }] as Record<string, string>[]) {
    it(`a wrapper \`nginx && exec tail -F log\`: nginx is held with the wrapper, and a stop ends it${env.HYPHA_CGROUPS ? ' (tree fallback)' : ''}`, async () => {
      const dir = tempDir('hypha-nginx-');
      const port = await freePort();
      const pidFile = join(dir, 'nginx.pid');
      const errorLog = join(dir, 'error.log');
      const conf = nginxConf(dir, port, `daemon on;\npid ${pidFile};\nerror_log ${errorLog};`, `access_log ${join(dir, 'access.log')};`);
      const d = await startDaemon(
        `api: { port: 0 }
services:
  web:
    shell: /bin/sh
    command: ${q(`nginx -c ${conf} -p ${dir} && exec tail -F ${errorLog}`)}
    port: ${port}
`,
        { dir, env },
      );
      daemons.push(d);
      const master = await waitFor(() => pidIn(pidFile), { message: 'nginx.pid written' });
      const workers = await waitFor(() => (childPidsDeep(master).length >= 2 ? childPidsDeep(master) : null), { message: 'two workers' });
      fixtureReaper.add(master, ...workers);
      const s = await d.waitFor('web', (x) => x.state === 'running' && x.pid !== null, 'running (the tail)');
      fixtureReaper.add(s.pid as number);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      const stop = await d.cli(['stop', 'web']);
      expect(stop.code, stop.stdout + stop.stderr).toBe(0);
      // The master went into the background out of the wrapper's tree; it is ended all the same.
      expect(aliveOf([s.pid as number, master, ...workers])).toEqual([]);
    });
  }

  it('access_log /dev/stdout (daemon off): serves, and each request is in the service log', async () => {
    const dir = tempDir('hypha-nginx-');
    const port = await freePort();
    const conf = nginxConf(dir, port, `daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log /dev/stderr;`, 'access_log /dev/stdout;');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: [nginx, -c, ${q(conf)}, -p, ${q(dir)}]
    port: ${port}
    health: { http: "http://127.0.0.1:${port}/health-probe", interval: 500ms }
`,
      { dir },
    );
    daemons.push(d);
    const s = await d.waitFor('web', (x) => x.status === 'online', 'online (serving)');
    fixtureReaper.add(s.pid ?? 0);
    const res = await fetch(`http://127.0.0.1:${port}/from-the-test`);
    expect(res.status).toBe(200);
    await waitFor(async () => {
      const r = await d.api<{ lines: { stream: string; text: string }[] }>('GET', '/api/services/web/logs?lines=200');
      return r.body.lines.some((l) => l.stream === 'stdout' && l.text.includes('"GET /from-the-test HTTP/1.1" 200')) ? true : null;
    }, { message: 'the request in the service log' });
    expect((await d.status('web')).restarts).toBe(0);
  });
});
