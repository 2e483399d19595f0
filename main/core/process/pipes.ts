// Real pipes for a child's stdout and stderr. Node's spawn hands the child one end of a Unix
// socketpair, and a socket cannot be opened by path: `echo x > /dev/stdout`, nginx's
// `access_log /dev/stdout` and every program that reopens /dev/stderr fail with ENXIO. A FIFO is a
// pipe the child can reopen through /proc/self/fd or /dev/fd, and Node can make one without a
// native addon: `mkfifo` (POSIX, on Linux and macOS), the read end opened non-blocking and read by
// libuv as a pipe, the write end handed to the child and closed here. The FIFO's name is unlinked
// once both ends are open, so nothing is left in the file system.
//
// mkfifo is an exec, a few milliseconds, so FIFOs are made ahead in batches (one exec for many)
// and taken from a pool; a crash loop never waits on it. Windows keeps Node's own pipes.
//
// Every read end reads into one buffer shared by all of them (net.Socket's `onread`), handed to
// `onChunk` and reused by the next read: libuv reads one pipe at a time and calls back at once,
// so nothing else can write it while a callback runs, and a flood costs no allocation per read.
// (A stream's own 'data' chunks are a fresh 64 KB buffer per read, which in a flood piled up
// outside the V8 heap until a GC came round.) `onChunk` must copy what it keeps.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';

export interface OutputPipe {
  /** For the child's stdio: the FIFO's write end (close it here right after spawning). */
  writeFd: number;
  /** Our read end, read by libuv without blocking a thread; its data goes to `onChunk` only. */
  reader: net.Socket;
}

const READ_BYTES = 64 * 1024;
let readBuffer: Buffer | null = null;

/**
 * FIFOs made per mkfifo exec, and the stock below which the next batch is made: a crash loop
 * takes two per run every few milliseconds, so the pool is refilled while half of it is left,
 * long before it runs dry (an empty pool makes them synchronously, a stall of a fork and exec).
 */
const BATCH = 64;
const LOW = 32;
const supported = process.platform !== 'win32';
let dir: string | null = null;
let counter = 0;
const ready: string[] = [];
let refilling = false;
let broken = false;

function fifoDir(): string {
  if (dir) return dir;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypha-fifo-'));
  fs.chmodSync(dir, 0o700);
  const made = dir;
  process.once('exit', () => {
    try {
      fs.rmSync(made, { recursive: true, force: true });
    } catch {
      // Best effort: unused FIFOs are empty files in a private temp folder.
    }
  });
  return dir;
}

function names(n: number): string[] {
  const d = fifoDir();
  return Array.from({ length: n }, () => path.join(d, `p${process.pid}-${counter++}`));
}

function fillNow(): void {
  const batch = names(BATCH);
  const r = spawnSync('mkfifo', ['-m', '600', ...batch], { stdio: 'ignore' });
  if (r.status === 0) ready.push(...batch);
  else broken = true; // no mkfifo here: Node's own pipes, as before
}

function refillSoon(): void {
  if (refilling || ready.length >= LOW) return;
  refilling = true;
  const batch = names(BATCH);
  execFile('mkfifo', ['-m', '600', ...batch], (err) => {
    refilling = false;
    if (!err) ready.push(...batch);
  });
}

/**
 * A fresh pipe for one stream of one child, its output handed to `onChunk` as it comes (in a
 * buffer reused after the call), or null where FIFOs cannot be made (Windows, no mkfifo, a full
 * temp folder): the caller then uses Node's 'pipe'.
 */
export function openOutputPipe(onChunk: (chunk: Buffer) => void): OutputPipe | null {
  if (!supported || broken) return null;
  try {
    if (ready.length === 0) fillNow();
    const name = ready.shift();
    refillSoon();
    if (!name) return null;
    // The read end first, non-blocking, so the write end's open does not wait for a reader.
    const readFd = fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    let writeFd: number;
    try {
      writeFd = fs.openSync(name, fs.constants.O_WRONLY);
    } catch (err) {
      fs.closeSync(readFd);
      throw err;
    }
    fs.unlinkSync(name);
    const buffer = (readBuffer ??= Buffer.allocUnsafeSlow(READ_BYTES));
    const onread: net.OnReadOpts = {
      buffer,
      callback: (n) => {
        onChunk(buffer.subarray(0, n));
        return true;
      },
    };
    // Node's constructor takes `onread` (lib/net.js); @types/node lists it for connect() only.
    const options: net.SocketConstructorOpts & { onread: net.OnReadOpts } = { fd: readFd, readable: true, writable: false, onread };
    const reader = new net.Socket(options);
    return { writeFd, reader };
  } catch {
    return null;
  }
}

export function closeFd(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed.
  }
}
