// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../main/contract/status.js';
import { LogViewer, ROW_HEIGHT } from '../../renderer/src/components/LogViewer.js';

afterEach(cleanup);

const VIEWPORT = 200; // ten rows

function lines(from: number, to: number): LogLine[] {
  const out: LogLine[] = [];
  for (let i = from; i < to; i++) out.push({ ts: '2024-05-01T10:00:00.000Z', stream: i % 7 === 0 ? 'stderr' : 'stdout', text: `line ${i}` });
  return out;
}

function scroller(): HTMLElement {
  return screen.getByRole('log', { name: 'Log of web' });
}

// happy-dom does no layout: give the scroller the height a browser would.
function giveHeight(el: HTMLElement): void {
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => VIEWPORT });
}

function view(all: LogLine[], dropped = 0) {
  return <LogViewer lines={all} dropped={dropped} label="Log of web" />;
}

describe('log viewer', () => {
  it('follows the tail and keeps only the rows in view in the DOM', () => {
    const { rerender } = render(view(lines(0, 1000)));
    giveHeight(scroller());
    rerender(view(lines(0, 1001)));
    expect(scroller().scrollTop).toBe(1001 * ROW_HEIGHT - VIEWPORT);
    expect(screen.getByText('line 1000')).toBeTruthy();
    expect(screen.queryByText('line 10')).toBeNull();
    expect(scroller().querySelectorAll('.logline').length).toBeLessThan(100);
    expect(screen.getByRole('status').textContent).toBe('Following');
  });

  it('pauses when scrolled up, counts what it missed, and jumps back to the tail', () => {
    const { rerender } = render(view(lines(0, 300)));
    const el = scroller();
    giveHeight(el);
    rerender(view(lines(0, 300)));

    el.scrollTop = 40 * ROW_HEIGHT;
    fireEvent.scroll(el);
    expect(screen.getByRole('status').textContent).toBe('Paused');
    expect(screen.getByText('line 45')).toBeTruthy();

    rerender(view(lines(0, 305)));
    expect(el.scrollTop).toBe(40 * ROW_HEIGHT);
    expect(screen.getByText('line 45')).toBeTruthy();
    expect(screen.queryByText('line 304')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '5 new lines — jump to latest' }));
    expect(el.scrollTop).toBe(305 * ROW_HEIGHT - VIEWPORT);
    expect(screen.getByText('line 304')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Following');
  });

  it('keeps a paused view on the same lines when old ones roll off the buffer', () => {
    const { rerender } = render(view(lines(0, 300)));
    const el = scroller();
    giveHeight(el);
    el.scrollTop = 100 * ROW_HEIGHT;
    fireEvent.scroll(el);
    rerender(view(lines(50, 350), 50));
    expect(el.scrollTop).toBe(50 * ROW_HEIGHT);
    expect(screen.getByText('line 105')).toBeTruthy();
  });

  it('resumes following when scrolled back to the bottom', () => {
    const { rerender } = render(view(lines(0, 300)));
    const el = scroller();
    giveHeight(el);
    el.scrollTop = 0;
    fireEvent.scroll(el);
    expect(screen.getByRole('status').textContent).toBe('Paused');
    el.scrollTop = 300 * ROW_HEIGHT - VIEWPORT;
    fireEvent.scroll(el);
    expect(screen.getByRole('status').textContent).toBe('Following');
    rerender(view(lines(0, 310)));
    expect(el.scrollTop).toBe(310 * ROW_HEIGHT - VIEWPORT);
  });

  it('searches, highlighting matches, and styles stderr and supervisor lines apart', () => {
    const all: LogLine[] = [
      { ts: '2024-05-01T10:00:00.000Z', stream: 'stdout', text: 'GET /health 200' },
      { ts: '2024-05-01T10:00:01.000Z', stream: 'stderr', text: 'Error: ECONNREFUSED' },
      { ts: '2024-05-01T10:00:02.000Z', stream: 'supervisor', text: 'restarting in 1s' },
      { ts: '2024-05-01T10:00:03.000Z', stream: 'stdout', text: 'GET /health 503' },
    ];
    render(view(all));
    expect(screen.getByText('Error: ECONNREFUSED').closest('.logline')?.className).toContain('logline--stderr');
    expect(screen.getByText('restarting in 1s').closest('.logline')?.className).toContain('logline--supervisor');

    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'health' } });
    expect(screen.getByText('2 of 4 lines')).toBeTruthy();
    expect(scroller().querySelectorAll('mark')).toHaveLength(2);
    expect(screen.queryByText('Error: ECONNREFUSED')).toBeNull();

    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'zzz' } });
    expect(screen.getByText('No line matches this search.')).toBeTruthy();
  });

  it('copies the lines shown', async () => {
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => ((copied = text), Promise.resolve()) },
    });
    render(view(lines(1, 4)));
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Copied 3 lines')).toBeTruthy();
    expect(copied.split('\n')).toHaveLength(3);
    expect(copied).toContain('line 3');
  });
});
