// @vitest-environment happy-dom
// Stopping a service that live services depend on asks first; the API call goes out only on
// "Stop <name>". A service nobody live needs stops at once, as before.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { listNames } from '../../renderer/src/components/StopConfirm.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, status, type FakeApi } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function renderApp(fake: FakeApi): void {
  render(
    <StrictMode>
      <StoreProvider value={createHyphaStore(fake.api)}>
        <App canEnterToken />
      </StoreProvider>
    </StrictMode>,
  );
}

const stack = () => [
  status({ id: 'db', pid: 4102 }),
  status({ id: 'api', pid: 4101, dependsOn: ['db'] }),
  status({ id: 'worker', pid: 4103, state: 'backoff', status: 'backoff', dependsOn: ['db', 'cache'] }),
  status({ id: 'cache', pid: 4104 }),
  status({ id: 'report', type: 'oneshot', state: 'completed', status: 'completed', pid: null, dependsOn: ['cache'] }),
  status({ id: 'loner', pid: 4105 }),
];

function row(name: string): HTMLElement {
  return screen.getByRole('listitem', { name });
}

const stops = (fake: FakeApi) => fake.calls.filter((c) => c.method === 'act').map((c) => c.args);

async function ready(fake: FakeApi): Promise<void> {
  renderApp(fake);
  await screen.findByRole('listitem', { name: 'db' });
}

describe('stopping a service others need', () => {
  it('asks first, names the live dependents, and stops only on confirm', async () => {
    const fake = fakeApi(stack());
    await ready(fake);

    const stop = within(row('db')).getByRole('button', { name: 'Stop db' });
    expect(stop.getAttribute('aria-haspopup')).toBe('dialog');
    fireEvent.click(stop);
    const confirm = within(row('db')).getByRole('alertdialog', { name: 'Stop db?' });
    expect(confirm.textContent).toContain('api and worker need db. Stop db anyway? They keep running but may fail.');
    expect(stop.getAttribute('aria-expanded')).toBe('true');
    // Focus starts on the safe choice.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(stops(fake)).toEqual([]);

    fireEvent.click(within(confirm).getByRole('button', { name: 'Stop db' }));
    await waitFor(() => expect(stops(fake)).toEqual([['stop', 'db']]));
    expect(within(row('db')).queryByRole('alertdialog')).toBeNull();
  });

  it('Cancel and Escape send nothing and give focus back to Stop', async () => {
    const fake = fakeApi(stack());
    await ready(fake);
    const stop = within(row('db')).getByRole('button', { name: 'Stop db' });

    fireEvent.click(stop);
    fireEvent.click(within(row('db')).getByRole('button', { name: 'Cancel' }));
    expect(within(row('db')).queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(stop);

    fireEvent.click(stop);
    fireEvent.keyDown(within(row('db')).getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(within(row('db')).queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(stop);

    // Let any stray promise settle before checking nothing went out.
    await act(async () => {});
    expect(stops(fake)).toEqual([]);
  });

  it('stops a service nobody needs at once', async () => {
    const fake = fakeApi(stack());
    await ready(fake);
    const stop = within(row('loner')).getByRole('button', { name: 'Stop loner' });
    expect(stop.getAttribute('aria-haspopup')).toBeNull();
    fireEvent.click(stop);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(stops(fake)).toEqual([['stop', 'loner']]));
  });

  it('does not ask when the only dependents are not live', async () => {
    const fake = fakeApi([
      status({ id: 'db', pid: 4102 }),
      status({ id: 'api', status: 'offline', state: 'stopped', pid: null, dependsOn: ['db'] }),
      status({ id: 'batch', status: 'failed', state: 'failed', pid: null, dependsOn: ['db'] }),
    ]);
    await ready(fake);
    fireEvent.click(within(row('db')).getByRole('button', { name: 'Stop db' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(stops(fake)).toEqual([['stop', 'db']]));
  });

  it('counts only live dependents, and follows them as they change', async () => {
    const fake = fakeApi(stack());
    await ready(fake);
    // cache is needed by worker (backoff: live) and report (completed: not live).
    fireEvent.click(within(row('cache')).getByRole('button', { name: 'Stop cache' }));
    const confirm = within(row('cache')).getByRole('alertdialog');
    expect(confirm.textContent).toContain('worker needs cache. Stop cache anyway? It keeps running but may fail.');

    // worker stops meanwhile: nothing left to protect, so the question goes away and Stop acts at once.
    act(() => fake.emit({ type: 'status', data: status({ id: 'worker', status: 'offline', state: 'stopped', pid: null, dependsOn: ['db', 'cache'] }) }));
    await waitFor(() => expect(within(row('cache')).queryByRole('alertdialog')).toBeNull());
    expect(stops(fake)).toEqual([]);
    fireEvent.click(within(row('cache')).getByRole('button', { name: 'Stop cache' }));
    await waitFor(() => expect(stops(fake)).toEqual([['stop', 'cache']]));
  });

  it('leaves Restart alone', async () => {
    const fake = fakeApi(stack());
    await ready(fake);
    fireEvent.click(within(row('db')).getByRole('button', { name: 'Restart db' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(stops(fake)).toEqual([['restart', 'db']]));
  });

  it('asks in the service detail too, where Escape cancels without leaving the page', async () => {
    const fake = fakeApi(stack());
    await ready(fake);
    act(() => {
      window.location.hash = '#/service/db';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await screen.findByRole('heading', { name: 'db' });
    fireEvent.click(screen.getByRole('button', { name: 'Stop db' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Stop db?' });
    fireEvent.keyDown(within(confirm).getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(window.location.hash).toBe('#/service/db');
    expect(screen.getByRole('heading', { name: 'db' })).toBeTruthy();
    expect(stops(fake)).toEqual([]);
  });
});

describe('listNames', () => {
  it('reads as a sentence', () => {
    expect(listNames(['api'])).toBe('api');
    expect(listNames(['api', 'worker'])).toBe('api and worker');
    expect(listNames(['a', 'b', 'c', 'd'])).toBe('a, b, c and d');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 others');
  });
});
