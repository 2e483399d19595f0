// @vitest-environment happy-dom
// The dashboard's Settings tab names the supervisor's active environment profile (from info), and
// says nothing of profiles when none is active.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, status, type FakeApi } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function settingsText(fake: FakeApi): Promise<string> {
  render(
    <StoreProvider value={createHyphaStore(fake.api)}>
      <App canEnterToken />
    </StoreProvider>,
  );
  await screen.findByText('1 of 1 online');
  act(() => {
    window.location.hash = '#/service/web';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  await screen.findByRole('heading', { name: 'web' });
  fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
  const panel = await screen.findByRole('tabpanel');
  await screen.findByText('Environment');
  return panel.textContent ?? '';
}

describe('Settings tab and the active profile', () => {
  it('shows the profile the supervisor runs with', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    fake.info = { ...fake.info, profile: 'prod' };
    expect(await settingsText(fake)).toContain('profile prod (env_prod merged over env)');
  });

  it('says nothing of profiles when none is active', async () => {
    const fake = fakeApi([status({ id: 'web' })]);
    fake.info = { ...fake.info, profile: null };
    expect(await settingsText(fake)).not.toContain('profile');
  });
});
