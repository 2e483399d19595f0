import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceLog } from '../../main/core/logs/service-log.js';
import type { LogLine } from '../../main/contract/status.js';
import { removeTempDirs, tempDir } from '../helpers/index.js';

afterEach(() => removeTempDirs());

describe('service log', () => {
  it('splits chunks into lines across chunk borders and keeps the last lines in the ring', async () => {
    const live: LogLine[] = [];
    const log = new ServiceLog('svc', null, (l) => live.push(l), { ringLines: 3, maxFileBytes: 1e6, keepFiles: 3, liveLinesPerChunk: 100 });
    log.ingest('stdout', Buffer.from('one\ntw'));
    log.ingest('stdout', Buffer.from('o\r\nthree\nfour\n'));
    log.ingest('stderr', 'oops');
    log.flushPartial('stderr');
    expect(log.tail(10).map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:three', 'stdout:four', 'stderr:oops']);
    expect(live.map((l) => l.text)).toEqual(['one', 'two', 'three', 'four', 'oops']);
    await log.dispose();
  });

  it('writes every line to a file and rotates it, keeping keepFiles files', async () => {
    const dir = tempDir();
    const log = new ServiceLog('svc', dir, () => undefined, { ringLines: 10, maxFileBytes: 2000, keepFiles: 3, liveLinesPerChunk: 10 });
    for (let i = 0; i < 200; i++) {
      log.ingest('stdout', `line ${i} ${'x'.repeat(40)}\n`);
    }
    await log.dispose();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['svc.log', 'svc.log.1', 'svc.log.2']);
    const newest = readFileSync(join(dir, 'svc.log'), 'utf8').trim().split('\n');
    expect(newest.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT.* stdout line 199 x+$/);
    expect(existsSync(join(dir, 'svc.log.3'))).toBe(false);
  });

  it('summarises a flood for live viewers but keeps it all in the file', async () => {
    const dir = tempDir();
    const live: LogLine[] = [];
    const log = new ServiceLog('svc', dir, (l) => live.push(l), { ringLines: 50, maxFileBytes: 1e9, keepFiles: 2, liveLinesPerChunk: 20 });
    log.ingest('stdout', Array.from({ length: 1000 }, (_, i) => `n${i}`).join('\n') + '\n');
    await log.dispose();
    expect(live[0]?.text).toBe('… 980 lines not shown live (all are in the log file)');
    expect(live).toHaveLength(21);
    expect(log.tail(100)).toHaveLength(50);
    expect(readFileSync(join(dir, 'svc.log'), 'utf8').trim().split('\n')).toHaveLength(1000);
  });
});
