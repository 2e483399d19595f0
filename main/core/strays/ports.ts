// Who listens on any of a set of ports, for the stray scan: one look for every service's port at
// once instead of one findPortHolders per port. On Linux the expensive part (reading every
// process's fds to find a socket's owner) is remembered per socket, so a scan where no new
// listener appeared costs two /proc/net reads and one readlink per listening socket.
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import type { ProcessInfo } from '../process/proctable.js';
import { fdLinks, listeningSockets } from '../process/ports-linux.js';

const run = promisify(execFile);

/** `lsof -nP -iTCP -sTCP:LISTEN -Fpn` output → port → pids (macOS, the BSDs). */
export function parseLsofListeners(text: string, ports: ReadonlySet<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let pid = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    else if (line.startsWith('n') && pid > 0) {
      const port = Number(line.slice(line.lastIndexOf(':') + 1));
      if (ports.has(port)) addHolder(out, port, pid);
    }
  }
  return out;
}

/** `netstat -ano -p TCP` (and TCPv6) output → port → pids (Windows). */
export function parseNetstatListeners(text: string, ports: ReadonlySet<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const line of text.split(/\r?\n/)) {
    // TCP    127.0.0.1:8765    0.0.0.0:0    LISTENING    1234
    const f = line.trim().split(/\s+/);
    if (f[3] !== 'LISTENING' || !f[1]) continue;
    const port = Number(f[1].slice(f[1].lastIndexOf(':') + 1));
    if (ports.has(port)) addHolder(out, port, Number(f[4]));
  }
  return out;
}

function addHolder(map: Map<number, number[]>, port: number, pid: number): void {
  const list = map.get(port);
  if (!list) map.set(port, [pid]);
  else if (!list.includes(pid)) list.push(pid);
}

interface Holder {
  pid: number;
  startTime: string;
  fd: string;
}

export class PortListeners {
  /** socket inode → the processes seen holding it, with the fd, to check again with one readlink. */
  private readonly owners = new Map<string, Holder[]>();

  /**
   * port → pids of the processes of user `uid` (null: any we may read) listening on it, for the
   * ports in `ports`. Never throws: a port whose holder cannot be learnt is left out.
   */
  async find(ports: ReadonlySet<number>, table: readonly ProcessInfo[], uid: number | null): Promise<Map<number, number[]>> {
    if (ports.size === 0) return new Map();
    try {
      if (process.platform === 'linux') return this.findLinux(ports, table, uid);
      if (process.platform === 'win32') {
        const v4 = await run('netstat', ['-ano', '-p', 'TCP'], { windowsHide: true });
        const v6 = await run('netstat', ['-ano', '-p', 'TCPv6'], { windowsHide: true });
        return parseNetstatListeners(`${v4.stdout}\n${v6.stdout}`, ports);
      }
      const { stdout } = await run('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-Fpn'], { maxBuffer: 16 * 1024 * 1024 });
      return parseLsofListeners(stdout, ports);
    } catch {
      return new Map(); // lsof exits 1 when nothing listens; a missing tool means no port facts
    }
  }

  private findLinux(ports: ReadonlySet<number>, table: readonly ProcessInfo[], uid: number | null): Map<number, number[]> {
    const inodes = listeningSockets(ports);
    for (const inode of this.owners.keys()) if (!inodes.has(inode)) this.owners.delete(inode);
    if (inodes.size === 0) return new Map();

    const byPid = new Map(table.map((p) => [p.pid, p]));
    const unresolved = new Set<string>();
    for (const inode of inodes.keys()) {
      const still = (this.owners.get(inode) ?? []).filter((h) => byPid.get(h.pid)?.startTime === h.startTime && fdIs(h, inode));
      if (still.length > 0) this.owners.set(inode, still);
      else {
        this.owners.delete(inode);
        unresolved.add(inode);
      }
    }
    if (unresolved.size > 0) this.scanFds(unresolved, table, uid);

    const out = new Map<number, number[]>();
    for (const [inode, port] of inodes) for (const h of this.owners.get(inode) ?? []) addHolder(out, port, h.pid);
    return out;
  }

  /** The costly pass: every fd of every process of ours, for sockets not seen before. */
  private scanFds(wanted: Set<string>, table: readonly ProcessInfo[], uid: number | null): void {
    const links = new Map([...wanted].map((inode) => [`socket:[${inode}]`, inode]));
    for (const p of table) {
      if (p.state === 'Z' || p.pid === 2 || p.ppid === 2) continue; // zombies and kernel threads hold no fds
      if (uid !== null && uid !== 0 && p.uid !== uid) continue; // their fds are closed to us anyway
      for (const { fd, link } of fdLinks(p.pid)) {
        const inode = links.get(link);
        if (inode === undefined) continue;
        const list = this.owners.get(inode) ?? [];
        list.push({ pid: p.pid, startTime: p.startTime, fd });
        this.owners.set(inode, list);
      }
    }
  }
}

function fdIs(h: Holder, inode: string): boolean {
  try {
    return readlinkSync(`/proc/${h.pid}/fd/${h.fd}`) === `socket:[${inode}]`;
  } catch {
    return false;
  }
}
