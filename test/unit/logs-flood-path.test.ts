// The flood path of a service log (issue 16): chunks are borrowed (the pipe's read buffer is reused
// right after the call), the file's prefixed lines are laid out in a reused scratch buffer, and the
// ring keeps its copies in pooled slabs. The witnesses: the file's exact bytes and the ring's tail
// after the caller has overwritten every buffer it handed over.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceLog } from '../../main/core/logs/service-log.js';
import { writePrefixedLines } from '../../main/core/logs/prefixed-write.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterEach(() => removeTempDirs());

/** What the file must hold for `lines` (each without its newline) behind `prefix`. */
const expected = (prefix: string, lines: Buffer[]): Buffer => Buffer.concat(lines.flatMap((l) => [Buffer.from(prefix, 'latin1'), l, Buffer.from('\n')]));

function writeTo(file: string, prefix: string, head: Buffer | null, body: Buffer): { bytes: number; lines: number } {
  const fd = openSync(file, 'w');
  try {
    return writePrefixedLines(fd, Buffer.from(prefix, 'latin1'), head, body);
  } finally {
    closeSync(fd);
  }
}

describe('prefixed lines', () => {
  it('puts the prefix before every line, the held head before the first, bytes unchanged', () => {
    const file = join(tempDir(), 'out.log');
    const lines = [Buffer.from('héllo'), Buffer.from([0xff, 0x00, 0x61]), Buffer.alloc(0), Buffer.from('last')];
    const body = Buffer.concat([Buffer.from('lo'), Buffer.from('\n'), ...lines.slice(1).flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l]))]);
    const head = Buffer.from('hél');
    const done = writeTo(file, 'T stdout ', head, body);
    expect(done.lines).toBe(4);
    const want = expected('T stdout ', lines);
    expect(readFileSync(file).equals(want)).toBe(true);
    expect(done.bytes).toBe(want.length);
  });

  it('many empty lines (more prefix than text) come out whole, in order', () => {
    const file = join(tempDir(), 'out.log');
    const body = Buffer.from('\n'.repeat(20_000) + 'end');
    const prefix = '2026-11-30T12:00:00.000Z stderr ';
    const done = writeTo(file, prefix, null, body);
    expect(done.lines).toBe(20_001);
    const want = expected(prefix, [...Array.from({ length: 20_000 }, () => Buffer.alloc(0)), Buffer.from('end')]);
    expect(readFileSync(file).equals(want)).toBe(true);
  });

  it('a chunk bigger than the kept scratch buffer still comes out whole', () => {
    const file = join(tempDir(), 'out.log');
    const lines = Array.from({ length: 30_000 }, (_, i) => Buffer.from(`line ${i} ${'x'.repeat(60)}`));
    const body = Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l])));
    expect(body.length).toBeGreaterThan(1024 * 1024);
    writeTo(file, 'p ', null, body);
    expect(readFileSync(file).equals(expected('p ', lines))).toBe(true);
  });
});

describe('borrowed chunks', () => {
  it('keeps nothing of a chunk the caller reuses: ring and file hold what was written, in order', async () => {
    const dir = tempDir();
    const log = new ServiceLog('svc', dir, () => undefined, { ringLines: 5000, maxFileBytes: 1e9, keepFiles: 2, liveLinesPerChunk: 10, timestamps: false }, () => false);
    const shared = Buffer.alloc(64 * 1024);
    const all: string[] = [];
    let pending = '';
    for (let n = 0; n < 3000; n++) pending += `line ${n} ${'y'.repeat(n % 97)}\n`;
    // Hand the text over in uneven pieces through one reused buffer, as the pipe reader does.
    let at = 0;
    const text = Buffer.from(pending);
    for (let size = 1; at < text.length; size = (size * 7 + 13) % 40_000 || 1) {
      const n = Math.min(size, text.length - at);
      text.copy(shared, 0, at, at + n);
      log.ingest('stdout', shared.subarray(0, n));
      shared.fill(0x7a); // the next read overwrites it
      at += n;
    }
    for (let n = 0; n < 3000; n++) all.push(`line ${n} ${'y'.repeat(n % 97)}`);
    expect(log.tail(5000).map((l) => l.text)).toEqual(all);
    await log.dispose();
    expect(readFileSync(join(dir, 'svc.log'), 'utf8')).toBe(all.map((l) => `stdout ${l}\n`).join(''));
  });

  it('the ring stays right while its slabs are recycled through a long flood', () => {
    const log = new ServiceLog('svc', null, () => undefined, { ringLines: 100, maxFileBytes: 1e9, keepFiles: 2, liveLinesPerChunk: 10 }, () => false);
    const shared = Buffer.alloc(64 * 1024);
    let n = 0;
    for (let chunk = 0; chunk < 200; chunk++) {
      let s = '';
      while (s.length < 60_000) s += `n${n++} ${'z'.repeat(40)}\n`;
      const len = shared.write(s);
      log.ingest('stdout', shared.subarray(0, len));
      shared.fill(0);
      if (chunk % 37 === 0) expect(log.tail(1)[0]?.text).toBe(`n${n - 1} ${'z'.repeat(40)}`);
    }
    const tail = log.tail(100);
    expect(tail).toHaveLength(100);
    expect(tail.map((l) => l.text)).toEqual(Array.from({ length: 100 }, (_, i) => `n${n - 100 + i} ${'z'.repeat(40)}`));
  });
});
