// Who listens on a TCP port, from /proc alone: the listening sockets' inodes from
// /proc/net/tcp{,6}, then the processes whose fds point at those inodes. Only processes we may
// read (our own user's, or all when root) can be named.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readProcessTableLinux } from './proctable-linux.js';
import type { ProcessRef } from '../types.js';

const TCP_LISTEN = '0A';

/** Inodes of LISTEN sockets on `port` in one /proc/net/tcp or tcp6 text. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  const lines = procNetTcp.split('\n');
  for (let i = 1; i < lines.length; i++) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = (lines[i] ?? '').trim().split(/\s+/);
    const local = f[1];
    if (!local || f[3] !== TCP_LISTEN) continue;
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && f[9] && f[9] !== '0') inodes.push(f[9]);
  }
  return inodes;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // no IPv6 on this host, for one
  }
}

export function findPortHoldersLinux(port: number): ProcessRef[] {
  const wanted = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => listeningInodes(readText(file), port).map((i) => `socket:[${i}]`)),
  );
  if (wanted.size === 0) return [];
  const myUid = process.getuid?.() ?? -1;
  const holders: ProcessRef[] = [];
  for (const p of readProcessTableLinux()) {
    if (myUid !== 0 && p.uid !== myUid) continue; // their fds are closed to us anyway
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${p.pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(link)) {
        holders.push({ pid: p.pid, command: p.command });
        break;
      }
    }
  }
  return holders;
}
