// @vitest-environment happy-dom
// Hundreds of services: only the rows near the viewport are in the DOM, and the summary still
// counts every one. Log lines wrap, so a row's measured height moves the rows after it.
import { cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../main/contract/status.js';
import { LogViewer, ROW_HEIGHT } from '../../renderer/src/components/LogViewer.js';
import { Overview } from '../../renderer/src/components/Overview.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, status } from './renderer-fake-api.js';

afterEach(cleanup);

// happy-dom does no layout: give elements the heights a browser would.
const ROW_PX = 60;
const LONG = 'x'.repeat(300);
let restore: (() => void) | null = null;
beforeAll(() => {
  const rect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect');
  const offset = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const height = this.matches('li[data-service]') ? ROW_PX : 0;
    return { x: 0, y: 0, top: 0, left: 0, bottom: height, right: 1000, width: 1000, height, toJSON: () => ({}) } as DOMRect;
  };
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      if (this.matches('li[data-service]')) return ROW_PX;
      if (!this.classList.contains('logline')) return 0;
      return this.textContent?.includes(LONG) ? 3 * ROW_HEIGHT : ROW_HEIGHT;
    },
  });
  // happy-dom's ResizeObserver reports 0×0 boxes; without one, rows are measured by their rect.
  const observer = Object.getOwnPropertyDescriptor(globalThis, 'ResizeObserver');
  Object.defineProperty(globalThis, 'ResizeObserver', { configurable: true, writable: true, value: undefined });
  restore = () => {
    if (observer) Object.defineProperty(globalThis, 'ResizeObserver', observer);
    if (rect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', rect);
    if (offset) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offset);
  };
});
afterAll(() => restore?.());

describe('a long service list', () => {
  it('renders only the rows near the viewport, and counts every service', async () => {
    const fake = fakeApi(Array.from({ length: 200 }, (_, i) => status({ id: `svc-${i}`, pid: 100 + i })));
    const hypha = createHyphaStore(fake.api);
    const disconnect = hypha.actions.connect();
    try {
      render(
        <StoreProvider value={hypha}>
          <Overview />
        </StoreProvider>,
      );
      expect(await screen.findByText('200 of 200 online')).toBeTruthy();
      const rows = document.querySelectorAll('li[data-service]');
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.length).toBeLessThan(40);
      expect(screen.getByRole('list').getAttribute('aria-label')).toBe('Services (200 shown)');
      expect(rows[0]?.getAttribute('aria-setsize')).toBe('200');
    } finally {
      disconnect();
    }
  });
});

describe('log lines that wrap', () => {
  it('take the height they are measured at, moving the lines after them', () => {
    const ts = '2024-05-01T10:00:00.000Z';
    const lines: LogLine[] = [
      { ts, stream: 'stdout', text: 'short' },
      { ts, stream: 'stderr', text: LONG },
      { ts, stream: 'stdout', text: 'after' },
    ];
    render(<LogViewer lines={lines} dropped={0} label="Log of web" />);
    const content = document.querySelector('.logs__content') as HTMLElement;
    expect(content.style.height).toBe(`${5 * ROW_HEIGHT}px`);
    expect(screen.getByText(LONG).closest('.logline')).toBeTruthy();
  });
});
