import { describe, expect, it } from 'vitest';
import { MemoryLimit } from '../../main/core/limits/memory-limit.js';

const MB = 1024 * 1024;

describe('MemoryLimit', () => {
  it('asks for a restart after 3 samples in a row above the limit, with the reason', () => {
    const m = new MemoryLimit();
    expect(m.sample('web', 10, 412 * MB, 300 * MB)).toBeNull();
    expect(m.sample('web', 10, 412 * MB, 300 * MB)).toBeNull();
    expect(m.sample('web', 10, 412 * MB, 300 * MB)).toBe('memory 412 MB above max_memory 300 MB for 3 samples');
    // It counts afresh after asking once.
    expect(m.sample('web', 10, 412 * MB, 300 * MB)).toBeNull();
  });

  it('a dip below the limit, a new run or no limit starts the count again', () => {
    const m = new MemoryLimit();
    m.sample('web', 10, 400 * MB, 300 * MB);
    m.sample('web', 10, 400 * MB, 300 * MB);
    expect(m.sample('web', 10, 300 * MB, 300 * MB)).toBeNull(); // at the limit is not above it
    m.sample('web', 10, 400 * MB, 300 * MB);
    m.sample('web', 10, 400 * MB, 300 * MB);
    expect(m.sample('web', 11, 400 * MB, 300 * MB)).toBeNull(); // new pid
    expect(m.sample('web', 11, 400 * MB, null)).toBeNull();
    expect(m.sample('web', 11, 400 * MB, 300 * MB)).toBeNull();
    m.keepOnly(new Set());
    expect(m.sample('web', 11, 400 * MB, 300 * MB)).toBeNull();
  });

  it('each service counts on its own', () => {
    const m = new MemoryLimit(2);
    m.sample('a', 1, 5, 1);
    m.sample('b', 2, 5, 1);
    expect(m.sample('a', 1, 5, 1)).toBe('memory 5 B above max_memory 1 B for 2 samples');
  });
});
