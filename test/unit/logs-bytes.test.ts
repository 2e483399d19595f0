// Issue 18 item 7: a service's output is cut into lines as bytes, so valid UTF-8 split across
// reads at any byte decodes whole (no U+FFFD), and the log file keeps the child's bytes exactly,
// invalid ones included. The file on disk is the witness.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceLog, completeUtf8Length } from '../../main/core/logs/service-log.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterEach(() => removeTempDirs());

/** The file's lines without their `<ts> <stream> ` prefix, as bytes. */
function fileBodies(file: string): Buffer[] {
  const raw = readFileSync(file);
  const out: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(10); i !== -1; start = i + 1, i = raw.indexOf(10, start)) {
    const line = raw.subarray(start, i);
    const sp1 = line.indexOf(32);
    const sp2 = line.indexOf(32, sp1 + 1);
    out.push(line.subarray(sp2 + 1));
  }
  return out;
}

describe('log bytes', () => {
  it('valid UTF-8 split at every byte position decodes without U+FFFD, in the ring and the file', async () => {
    const dir = tempDir();
    const log = new ServiceLog('svc', dir, () => undefined);
    const text = 'héllo wörld — 日本語 🍄 ok';
    const bytes = Buffer.from(`${text}\n`);
    for (let cut = 1; cut < bytes.length; cut++) {
      log.ingest('stdout', bytes.subarray(0, cut));
      log.ingest('stdout', bytes.subarray(cut));
    }
    const lines = log.tail(1000);
    expect(lines).toHaveLength(bytes.length - 1);
    expect(lines.filter((l) => l.text !== text)).toEqual([]);
    await log.dispose();
    const bodies = fileBodies(join(dir, 'svc.log'));
    expect(bodies).toHaveLength(bytes.length - 1);
    expect(bodies.filter((b) => !b.equals(Buffer.from(text)))).toEqual([]);
  });

  it('keeps invalid bytes unchanged in the file (the ring shows them as U+FFFD)', async () => {
    const dir = tempDir();
    const log = new ServiceLog('svc', dir, () => undefined);
    const bad = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3]); // a, two invalid bytes, b, a cut-off sequence
    log.ingest('stderr', Buffer.concat([bad, Buffer.from('\n')]));
    expect(log.tail(1)[0]?.text).toBe('a\uFFFD\uFFFDb\uFFFD');
    await log.dispose();
    expect(fileBodies(join(dir, 'svc.log'))[0]?.equals(bad)).toBe(true);
  });

  it('a line with no end is cut between characters, never inside one', () => {
    const euro = Buffer.from('€'); // 3 bytes
    expect(completeUtf8Length(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 2)]))).toBe(2);
    expect(completeUtf8Length(Buffer.concat([Buffer.from('ab'), euro]))).toBe(5);
    const log = new ServiceLog('svc', null, () => undefined);
    const long = Buffer.from('€'.repeat(30_000)); // 90 000 bytes, no newline
    for (let i = 0; i < long.length; i += 4093) log.ingest('stdout', long.subarray(i, i + 4093));
    log.flushPartial('stdout');
    const joined = log.tail(10).map((l) => l.text).join('');
    expect(joined).toBe('€'.repeat(30_000));
  });
});
