import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../main/core/config/size.js';
import { parseConfigText } from '../../main/core/config/load.js';

const errors = (text: string): string[] => {
  const r = parseConfigText(text, '/cfg/hypha.yaml');
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
};

describe('sizes', () => {
  it('reads bytes and K/M/G in powers of 1024', () => {
    expect(parseSize(1000)).toBe(1000);
    expect(parseSize('512')).toBe(512);
    expect(parseSize('512K')).toBe(512 * 1024);
    expect(parseSize('10M')).toBe(10 * 1024 ** 2);
    expect(parseSize('10MB')).toBe(10 * 1024 ** 2);
    expect(parseSize('300MiB')).toBe(300 * 1024 ** 2);
    expect(parseSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('10 parsecs')).toBeNull();
    expect(parseSize('-1M')).toBeNull();
  });

  it('formats for messages', () => {
    expect(formatSize(412 * 1024 ** 2)).toBe('412 MB');
    expect(formatSize(300 * 1024 ** 2)).toBe('300 MB');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(12)).toBe('12 B');
  });
});

describe('log:', () => {
  it('normalizes max_size, keep, timestamps and file', () => {
    const r = parseConfigText('services:\n  web:\n    command: x\n    log: { max_size: 1M, keep: 5, timestamps: false, file: logs/web.txt }\n', '/cfg/hypha.yaml');
    expect(r.ok && r.config.services[0]?.log).toEqual({ maxSizeBytes: 1024 ** 2, keep: 5, timestamps: false, file: '/cfg/logs/web.txt' });
  });

  it('reports bad values at file:line:col', () => {
    expect(errors('services:\n  web:\n    command: x\n    log:\n      max_size: 10 parsecs\n      keep: 0\n      timestamp: true\n')).toEqual([
      '5:17: services.web.log.max_size: invalid size "10 parsecs" (use bytes, or 512K, 10M, 1G)',
      '6:13: services.web.log.keep: must be at least 1',
      '7:7: services.web.log.timestamp: unknown key (did you mean "timestamps"?)',
    ]);
  });
});

describe('max_memory:', () => {
  it('reads a size, and reports a bad one at file:line:col', () => {
    const r = parseConfigText('services:\n  web:\n    command: x\n    max_memory: 300M\n', '/cfg/hypha.yaml');
    expect(r.ok && r.config.services[0]?.maxMemoryBytes).toBe(300 * 1024 ** 2);
    expect(errors('services:\n  web:\n    command: x\n    max_memory: lots\n')).toEqual([
      '4:17: services.web.max_memory: invalid size "lots" (use bytes, or 512K, 10M, 1G)',
    ]);
    expect(errors('services:\n  web:\n    command: x\n    max_memory: 0\n')).toEqual([
      '4:17: services.web.max_memory: invalid size 0 (use bytes, or 512K, 10M, 1G)',
    ]);
  });
});
