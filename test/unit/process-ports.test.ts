import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findPortHolders, isPortFree } from '../../main/core/process/ports.js';
import { listeningInodes } from '../../main/core/process/ports-linux.js';
import { fixtureReaper, spawnFixture } from '../helpers/fixtures.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

afterEach(() => fixtureReaper.reapAll());

async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

describe.runIf(process.platform === 'linux')('findPortHolders', () => {
  it('names the process listening on the port, then nobody once it is gone', async () => {
    const port = await freePort();
    expect(findPortHolders(port)).toEqual([]);
    const holder = spawnFixture('port-holder', { PORT: String(port) });
    await holder.waitForOutput(/listening port=\d+/);

    const holders = findPortHolders(port);
    expect(holders.map((h) => h.pid)).toEqual([holder.pid]);
    expect(holders[0]?.command).toContain('port-holder.mjs');

    holder.child.kill('SIGKILL');
    await holder.exited;
    await waitFor(() => findPortHolders(port).length === 0, { message: 'the port to be released' });
  });

  it('finds IPv6 listeners too', async (ctx) => {
    if (!(await hasIpv6Loopback())) ctx.skip();
    const port = await freePort('::1');
    const holder = spawnFixture('port-holder', { PORT: String(port), HOST: '::1' });
    await holder.waitForOutput(/listening port=\d+/);
    expect(findPortHolders(port).map((h) => h.pid)).toEqual([holder.pid]);
  });

  it('reads LISTEN sockets for the port out of /proc/net/tcp text', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:223D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0',
      '   1: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1',
      '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(text, 0x223d)).toEqual(['111']); // the established one (st 01) is not a listener
    expect(listeningInodes(text, 8080)).toEqual(['333']);
    expect(listeningInodes(text, 1234)).toEqual([]);
  });
});

describe('isPortFree', () => {
  it('is false while something listens and true once it stops', async () => {
    const port = await freePort();
    expect(await isPortFree(port)).toBe(true);
    const holder = spawnFixture('port-holder', { PORT: String(port) });
    await holder.waitForOutput(/listening port=\d+/);
    expect(await isPortFree(port)).toBe(false);
    holder.child.kill('SIGKILL');
    await holder.exited;
    await waitFor(() => isPortFree(port), { message: 'the port to be free again' });
  });

  it('sees a wildcard listener from 127.0.0.1', async () => {
    const port = await freePort();
    const holder = spawnFixture('port-holder', { PORT: String(port), HOST: '0.0.0.0' });
    await holder.waitForOutput(/listening port=\d+/);
    expect(await isPortFree(port)).toBe(false);
  });
});
