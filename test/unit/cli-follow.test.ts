// `hypha logs -f` subscribes before it reads the tail; linesAfter joins the two so that no line is
// lost in between and none is printed twice or out of order.
import { describe, expect, it } from 'vitest';
import { linesAfter } from '../../main/cli/follow.js';
import type { LogLine } from '../../main/contract/status.js';

const line = (n: number, text = `line ${n}`): LogLine => ({ ts: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`, stream: 'stdout', text });

describe('linesAfter', () => {
  it('keeps every streamed line when the tail has none of them', () => {
    expect(linesAfter([line(1), line(2)], [line(3), line(4)])).toEqual([line(3), line(4)]);
    expect(linesAfter([], [line(3)])).toEqual([line(3)]);
    expect(linesAfter([line(1)], [])).toEqual([]);
  });

  it('drops what the tail already printed', () => {
    expect(linesAfter([line(1), line(2), line(3)], [line(2), line(3), line(4)])).toEqual([line(4)]);
    expect(linesAfter([line(1), line(2), line(3)], [line(2), line(3)])).toEqual([]);
  });

  it('prints nothing older than the tail when the tail window is shorter than the gap', () => {
    // -n 1: the tail is only line 3, though lines 2..4 came on the stream meanwhile.
    expect(linesAfter([line(3)], [line(2), line(3), line(4)])).toEqual([line(4)]);
  });

  it('tells lines apart by time, stream and text', () => {
    const err: LogLine = { ...line(2), stream: 'stderr' };
    expect(linesAfter([line(2)], [err])).toEqual([err]);
    expect(linesAfter([line(2)], [line(2, 'other')])).toEqual([line(2, 'other')]);
  });
});
