// @vitest-environment happy-dom
// With hundreds of services only the rows near the viewport re-render on a status update; a
// row scrolled out of view holds still and catches up when it comes back.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Overview } from '../../renderer/src/components/Overview.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, manualFrames, status } from './renderer-fake-api.js';

// A controllable stand-in for the browser's IntersectionObserver (happy-dom does no layout).
const observed = new Map<Element, IntersectionObserverCallback>();
class ScriptedObserver {
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe(element: Element): void {
    observed.set(element, this.callback);
  }
  unobserve(element: Element): void {
    observed.delete(element);
  }
  disconnect(): void {}
}
Object.defineProperty(globalThis, 'IntersectionObserver', { configurable: true, value: ScriptedObserver });

function setVisible(element: Element, isIntersecting: boolean): void {
  const callback = observed.get(element);
  if (!callback) throw new Error('element is not observed');
  act(() => callback([{ target: element, isIntersecting } as IntersectionObserverEntry], {} as IntersectionObserver));
}

afterEach(cleanup);

describe('overview rows off screen', () => {
  it('freeze while hidden and catch up when scrolled back into view', async () => {
    const frames = manualFrames();
    const fake = fakeApi(Array.from({ length: 50 }, (_, i) => status({ id: `svc-${i}`, pid: 100 + i })));
    const hypha = createHyphaStore(fake.api, { schedule: frames.schedule });
    const disconnect = hypha.actions.connect();
    try {
      render(
        <StoreProvider value={hypha}>
          <Overview />
        </StoreProvider>,
      );
      const far = await screen.findByRole('listitem', { name: 'svc-49' });
      const near = screen.getByRole('listitem', { name: 'svc-0' });
      setVisible(far, false);
      setVisible(near, true);

      act(() => {
        fake.emit({ type: 'status', data: status({ id: 'svc-49', status: 'failed', state: 'failed', pid: null }) });
        fake.emit({ type: 'status', data: status({ id: 'svc-0', status: 'failed', state: 'failed', pid: null }) });
        frames.run();
      });
      expect(within(near).getByText('failed')).toBeTruthy();
      expect(within(far).getByText('online')).toBeTruthy();
      // The summary counts every service, seen or not.
      expect(screen.getByText('48 of 50 online')).toBeTruthy();

      setVisible(far, true);
      expect(within(far).getByText('failed')).toBeTruthy();
    } finally {
      disconnect();
    }
  });
});
