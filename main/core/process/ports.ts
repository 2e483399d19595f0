// Is a port taken, and by whom: checked before a service with `port` starts (SPEC §4), so a
// taken port fails the start at once with a name and pid instead of a crash loop.
import { createServer } from 'node:net';
import { findPortHoldersDarwin } from './ports-darwin.js';
import { findPortHoldersLinux } from './ports-linux.js';
import { findPortHoldersWin32 } from './ports-win32.js';
import type { ProcessRef } from '../../contract/status.js';

/**
 * Processes with a listening TCP socket (IPv4 or IPv6) on `port`, ordered by pid. Only processes
 * this user may inspect are found: a port held by another user's process gives [].
 */
export function findPortHolders(port: number): ProcessRef[] {
  const holders =
    process.platform === 'linux'
      ? findPortHoldersLinux(port)
      : process.platform === 'win32'
        ? findPortHoldersWin32(port)
        : findPortHoldersDarwin(port);
  return holders.sort((a, b) => a.pid - b.pid);
}

/**
 * True if `port` can be bound on `host` right now. Only "address in use" counts as taken: other
 * failures (no such address, a privileged port) say nothing about another process holding it.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
