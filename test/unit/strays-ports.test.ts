// Port holders for every service at once: the listener tables of each platform read right, and on
// Linux a real listener found, remembered, and forgotten once it is gone.
import { afterEach, describe, expect, it } from 'vitest';
import { readProcessTable } from '../../main/core/process/proctable.js';
import { PortListeners, parseLsofListeners, parseNetstatListeners } from '../../main/core/strays/ports.js';
import { listeningInodesByPort } from '../../main/core/process/ports-linux.js';
import { fixtureReaper, freePort, spawnFixture, waitFor } from '../helpers/index.js';

afterEach(() => fixtureReaper.reapAll());

describe('listener tables', () => {
  it('reads LISTEN inodes for several ports from /proc/net/tcp text', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:223D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0',
      '   1: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1',
      '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0',
      '   3: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1 0 100 0 0 10 0',
    ].join('\n');
    expect([...listeningInodesByPort(text, new Set([0x223d, 8080]))]).toEqual([
      ['111', 0x223d],
      ['333', 8080],
    ]);
  });

  it('reads lsof -Fpn and netstat -ano output', () => {
    const lsof = ['p812', 'f5', 'n*:8080', 'p900', 'f7', 'n127.0.0.1:5432', 'n[::1]:8080', ''].join('\n');
    expect([...parseLsofListeners(lsof, new Set([8080, 9999]))]).toEqual([[8080, [812, 900]]]);
    const netstat = [
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    0.0.0.0:8080           0.0.0.0:0              LISTENING       4321',
      '  TCP    127.0.0.1:8080         127.0.0.1:50000        ESTABLISHED     4321',
      '  TCP    [::]:8765              [::]:0                 LISTENING       77',
    ].join('\r\n');
    expect([...parseNetstatListeners(netstat, new Set([8080, 8765]))]).toEqual([
      [8080, [4321]],
      [8765, [77]],
    ]);
  });
});

describe.runIf(process.platform === 'linux')('PortListeners on Linux', () => {
  it('finds a real listener, again from memory, and not once it is gone', async () => {
    const port = await freePort();
    const idle = await freePort();
    const listeners = new PortListeners();
    const uid = process.getuid?.() ?? null;
    expect(await listeners.find(new Set([port, idle]), readProcessTable(), uid)).toEqual(new Map());

    const holder = spawnFixture('port-holder', { PORT: String(port) });
    await holder.waitForOutput(/listening port=/);
    expect(await listeners.find(new Set([port, idle]), readProcessTable(), uid)).toEqual(new Map([[port, [holder.pid]]]));
    // Second look: the remembered (pid, fd) is checked with one readlink.
    expect(await listeners.find(new Set([port]), readProcessTable(), uid)).toEqual(new Map([[port, [holder.pid]]]));

    holder.child.kill('SIGKILL');
    await holder.exited;
    await waitFor(async () => (await listeners.find(new Set([port]), readProcessTable(), uid)).size === 0, { message: 'the listener to be forgotten' });
  });
});
