// Issue 13 item 3: replicas: N runs N real copies, each with its index (HYPHA_REPLICA) and its own
// port (port + index); the written id addresses them all, and stop leaves none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/index.js';
import { fixtureCommand, startDaemon, useDaemons } from '../helpers/daemon.js';
import { isPortFree } from '../../main/core/process/ports.js';

const daemons = useDaemons();

function envOf(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter((e) => e.includes('='))
      .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

/** Three free ports in a row. */
async function freeRun(n: number): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base + n > 65535) continue;
    let ok = true;
    for (let i = 1; i < n && ok; i++) ok = await isPortFree(base + i);
    if (ok) return base;
  }
}

describe.skipIf(process.platform !== 'linux')('replicas:', () => {
  it('3 copies: 3 pids, indices 0..2, ports port+index, healthy each; stop web leaves 0', async () => {
    const port = await freeRun(3);
    const d = await startDaemon(
      `api: { port: 0 }
services:
  web:
    command: ${fixtureCommand('http-server.mjs')}
    env: { PORT: "\${HYPHA_PORT}" }
    port: ${port}
    replicas: 3
    health: { http: "http://127.0.0.1:${port}/health", interval: 200ms }
`,
    );
    daemons.push(d);
    const copies = [];
    for (let i = 0; i < 3; i++) copies.push(await d.waitFor(`web-${i}`, (x) => x.status === 'online', 'online'));
    const pids = copies.map((c) => c.pid as number);
    expect(new Set(pids).size).toBe(3);
    expect(copies.map((c) => c.port)).toEqual([port, port + 1, port + 2]);
    expect(copies.map((c) => c.replica)).toEqual([0, 1, 2].map((index) => ({ of: 'web', index, count: 3 })));
    expect(pids.map((pid) => envOf(pid).HYPHA_REPLICA)).toEqual(['0', '1', '2']);
    expect(pids.map((pid) => envOf(pid).PORT)).toEqual([port, port + 1, port + 2].map(String));
    // Each copy really serves its own port.
    for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port + i}/health`)).status).toBe(200);

    const stop = await d.cli(['stop', 'web']);
    expect(stop.code, stop.stderr).toBe(0);
    const list = await d.list();
    expect(list.filter((s) => s.replica?.of === 'web').map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    await waitFor(() => pids.every((pid) => !existsProc(pid)), { message: 'every copy gone' });

    // The API takes the written id too.
    const started = await d.api<{ ok: boolean; services: unknown[] }>('POST', '/api/services/web/start');
    expect(started.status).toBe(200);
    for (let i = 0; i < 3; i++) await d.waitFor(`web-${i}`, (x) => x.state === 'running', 'running again');
  });
});

function existsProc(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
