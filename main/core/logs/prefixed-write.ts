// Writes a chunk of a child's output to the log file with a prefix (`<ts> <stream> `) before each
// line, without building it on the V8 heap. A flood comes in 64 KB chunks; making each into a
// latin1 string and a replaced copy (~150 KB of garbage per chunk) had the daemon's 1 MB young
// generation scavenged every few chunks. Here the bytes are laid out in one scratch buffer that
// lives as long as the process: the chunk is copied to its back, and each line is moved forward
// (memmove, `copyWithin`) behind its prefix. When the output would catch up with bytes not yet
// moved (many short lines), what is done so far is written first. The bytes are the child's,
// unchanged: no decoding, invalid UTF-8 included.
import fs from 'node:fs';

/** Never kept bigger than this between chunks (a chunk from a pipe is at most 64 KB). */
const KEEP_BYTES = 1024 * 1024;
let scratch: Buffer = Buffer.allocUnsafeSlow(160 * 1024);

/** Writes `buf` from `from` to `to` to `fd`, however many writes that takes. */
export function writeAll(fd: number, buf: Buffer, from = 0, to = buf.length): void {
  let at = from;
  while (at < to) at += fs.writeSync(fd, buf, at, to - at);
}

/**
 * Writes `head` + `body` (whole lines joined by \n, no final newline) as lines each starting with
 * `prefix` and ending in \n. Returns the bytes written and the number of lines.
 */
export function writePrefixedLines(fd: number, prefix: Buffer, head: Buffer | null, body: Buffer): { bytes: number; lines: number } {
  const headLen = head ? head.length : 0;
  const total = headLen + body.length;
  // Room in front of the source for the prefixes, so most chunks go out in one write.
  const base = Math.max(prefix.length + 1, total >> 1, 4096);
  const size = base + total;
  let buf = scratch;
  if (buf.length < size) {
    buf = Buffer.allocUnsafeSlow(size);
    if (size <= KEEP_BYTES) scratch = buf;
  }
  if (head) buf.set(head, base);
  buf.set(body, base + headLen);
  // A view that ends with the source, so the search for the last line's end stops there.
  const region = buf.subarray(0, base + total);
  const end = base + total;
  const p = prefix.length;
  let src = base;
  let dst = 0;
  let lines = 0;
  let bytes = 0;
  for (;;) {
    let nl = region.indexOf(10, src);
    if (nl === -1) nl = end;
    // The line's prefix and text must not overwrite bytes not yet moved (from src on).
    if (dst + p > src) {
      writeAll(fd, region, 0, dst);
      bytes += dst;
      dst = 0;
    }
    region.set(prefix, dst);
    dst += p;
    region.copyWithin(dst, src, nl);
    dst += nl - src;
    region[dst++] = 10;
    lines++;
    if (nl === end) break;
    src = nl + 1;
  }
  writeAll(fd, region, 0, dst);
  return { bytes: bytes + dst, lines };
}
