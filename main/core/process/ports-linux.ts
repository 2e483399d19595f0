// Who listens on a TCP port, from /proc alone: the listening sockets' inodes from
// /proc/net/tcp{,6}, then the processes whose fds point at those inodes. Only processes we may
// read (our own user's, or all when root) can be named.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readProcessTableLinux } from './proctable-linux.js';
import type { ProcessRef } from '../../contract/status.js';

const TCP_LISTEN = '0A';

/** LISTEN socket inodes whose local port is in `ports`, from one /proc/net/tcp or tcp6 text. */
export function listeningInodesByPort(procNetTcp: string, ports: ReadonlySet<number>): Map<string, number> {
  const out = new Map<string, number>();
  const lines = procNetTcp.split('\n');
  for (let i = 1; i < lines.length; i++) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = (lines[i] ?? '').trim().split(/\s+/);
    const local = f[1];
    const inode = f[9];
    if (!local || f[3] !== TCP_LISTEN || !inode || inode === '0') continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (ports.has(port)) out.set(inode, port);
  }
  return out;
}

/** Inodes of LISTEN sockets on `port` in one /proc/net/tcp or tcp6 text. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  return [...listeningInodesByPort(procNetTcp, new Set([port])).keys()];
}

/** Listening socket inode → port, for the ports in `ports`, over IPv4 and IPv6. */
export function listeningSockets(ports: ReadonlySet<number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 on this host, for one
    }
    for (const [inode, port] of listeningInodesByPort(text, ports)) out.set(inode, port);
  }
  return out;
}

/** Each open fd of `pid` with what it links to (`socket:[123]`, a path…); none if we may not look. */
export function* fdLinks(pid: number): Generator<{ fd: string; link: string }> {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return;
  }
  for (const fd of fds) {
    try {
      yield { fd, link: readlinkSync(`/proc/${pid}/fd/${fd}`) };
    } catch {
      // closed meanwhile
    }
  }
}

export function findPortHoldersLinux(port: number): ProcessRef[] {
  const wanted = new Set([...listeningSockets(new Set([port])).keys()].map((i) => `socket:[${i}]`));
  if (wanted.size === 0) return [];
  const myUid = process.getuid?.() ?? -1;
  const holders: ProcessRef[] = [];
  for (const p of readProcessTableLinux()) {
    if (myUid !== 0 && p.uid !== myUid) continue; // their fds are closed to us anyway
    for (const { link } of fdLinks(p.pid)) {
      if (wanted.has(link)) {
        holders.push({ pid: p.pid, command: p.command });
        break;
      }
    }
  }
  return holders;
}
