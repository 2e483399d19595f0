// @vitest-environment happy-dom
// Keyboard shortcuts: `/` to filter, j/k to move, s/r on the selected row (asked first), `?` for
// the list. Keys typed into a field are text, not shortcuts.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { shortcutAction } from '../../renderer/src/components/ShortcutActions.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, status } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function renderApp() {
  const fake = fakeApi([
    status({ id: 'web', name: 'Web Frontend' }),
    status({ id: 'api' }),
    status({ id: 'docs', status: 'offline', state: 'stopped', pid: null, uptimeMs: null }),
  ]);
  render(
    <StoreProvider value={createHyphaStore(fake.api)}>
      <App />
    </StoreProvider>,
  );
  await screen.findByText('2 of 3 online');
  return fake;
}

const press = (key: string, target: Element | Window = window): void => {
  act(() => {
    fireEvent.keyDown(target, { key });
  });
};
const acts = (fake: Awaited<ReturnType<typeof renderApp>>) => fake.calls.filter((c) => c.method === 'act').map((c) => c.args);

describe('keyboard shortcuts', () => {
  it('/ focuses the filter, and letters typed there stay text', async () => {
    const fake = await renderApp();
    press('/');
    const filter = screen.getByRole('searchbox', { name: 'Filter by name' });
    expect(document.activeElement).toBe(filter);
    press('s', filter);
    press('j', filter);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(acts(fake)).toEqual([]);
  });

  it('j and k move the selection and focus with it', async () => {
    await renderApp();
    press('j');
    expect(document.activeElement?.id).toBe('svc-name-web');
    press('j');
    press('j');
    expect(document.activeElement?.id).toBe('svc-name-docs');
    expect(screen.getByRole('listitem', { name: 'docs' }).className).toContain('svc--selected');
    press('j');
    expect(document.activeElement?.id).toBe('svc-name-docs');
    press('k');
    expect(document.activeElement?.id).toBe('svc-name-api');
  });

  it('s stops the selected service only after a confirmation; Escape leaves it alone', async () => {
    const fake = await renderApp();
    press('j');
    press('j');
    press('s');
    const question = screen.getByRole('alertdialog', { name: 'Stop api?' });
    press('Escape', question);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(acts(fake)).toEqual([]);

    press('s');
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(acts(fake)).toEqual([['stop', 'api']]));
  });

  it('r restarts, and s starts a stopped service, each asked first', async () => {
    const fake = await renderApp();
    press('j');
    press('r');
    press('y', screen.getByRole('alertdialog', { name: 'Restart Web Frontend?' }));
    await waitFor(() => expect(acts(fake)).toEqual([['restart', 'web']]));
    press('j');
    press('j');
    press('s');
    expect(screen.getByRole('alertdialog', { name: 'Start docs?' })).toBeTruthy();
  });

  it('? lists the shortcuts; Escape closes the list', async () => {
    await renderApp();
    press('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const what of ['Filter services by name', 'Select the next / previous service', 'Start or stop the selected service (asks first)']) {
      expect(dialog.textContent).toContain(what);
    }
    press('Escape', dialog);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('maps s and r to the action that fits the state', () => {
    expect(shortcutAction('s', { type: 'daemon', state: 'running' })).toBe('stop');
    expect(shortcutAction('s', { type: 'daemon', state: 'failed' })).toBe('start');
    expect(shortcutAction('r', { type: 'daemon', state: 'running' })).toBe('restart');
    expect(shortcutAction('r', { type: 'oneshot', state: 'completed' })).toBe('run');
    expect(shortcutAction('s', { type: 'oneshot', state: 'running' })).toBe('stop');
  });
});
