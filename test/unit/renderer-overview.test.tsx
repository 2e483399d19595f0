// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { HyphaRequestError } from '../../renderer/src/transport/errors.js';
import { deferred, fakeApi, status, type FakeApi } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function renderApp(fake: FakeApi) {
  const hypha = createHyphaStore(fake.api);
  // StrictMode as in main.tsx: effects run twice, so connect/disconnect must be repeatable.
  render(
    <StrictMode>
      <StoreProvider value={hypha}>
        <App canEnterToken />
      </StoreProvider>
    </StrictMode>,
  );
  return hypha;
}

const four = () => [
  status({ id: 'web', name: 'Web Frontend', health: 'healthy', statusCode: 200, port: 3000, pid: 4100 }),
  status({ id: 'api', pid: 4101 }),
  status({ id: 'db', pid: 4102 }),
  status({
    id: 'worker',
    status: 'failed',
    state: 'failed',
    pid: null,
    uptimeMs: null,
    restarts: 2,
    lastError: 'gave up after 2 restarts: exited with code 1',
  }),
];

function row(name: string): HTMLElement {
  return screen.getByRole('listitem', { name });
}

describe('overview', () => {
  it('shows every service with its status in words, and the summary line', async () => {
    renderApp(fakeApi(four()));
    expect(await screen.findByText('3 of 4 online')).toBeTruthy();
    const web = row('Web Frontend');
    expect(within(web).getByText('online')).toBeTruthy();
    expect(within(web).getByText('healthy · HTTP 200')).toBeTruthy();
    expect(within(web).getByText('4100')).toBeTruthy();
    const worker = row('worker');
    expect(within(worker).getByText('failed')).toBeTruthy();
    expect(within(worker).getByText(/gave up after 2 restarts/)).toBeTruthy();
    expect(within(worker).getByRole('button', { name: 'Start worker' })).toBeTruthy();
  });

  it('filters by name and by state', async () => {
    renderApp(fakeApi(four()));
    await screen.findByText('3 of 4 online');
    fireEvent.change(screen.getByLabelText('Filter by name'), { target: { value: 'front' } });
    expect(screen.getAllByRole('listitem').map((li) => li.getAttribute('data-service'))).toEqual(['web']);

    fireEvent.change(screen.getByLabelText('Filter by name'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'failed' } });
    expect(screen.getAllByRole('listitem').map((li) => li.getAttribute('data-service'))).toEqual(['worker']);

    fireEvent.change(screen.getByLabelText('Filter by name'), { target: { value: 'nothing-like-this' } });
    expect(screen.getByText('No service matches this filter.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
  });

  it('shows a pending state while an action runs', async () => {
    const fake = fakeApi(four());
    const answer = deferred<ReturnType<typeof status>[]>();
    fake.overrides.act = () => answer.promise;
    renderApp(fake);
    await screen.findByText('3 of 4 online');

    fireEvent.click(within(row('api')).getByRole('button', { name: 'Stop api' }));
    const busy = within(row('api')).getByRole('button', { name: 'Stopping… api' });
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    expect((within(row('api')).getByRole('button', { name: 'Restart api' }) as HTMLButtonElement).disabled).toBe(true);

    await act(async () => answer.resolve([status({ id: 'api', status: 'offline', state: 'stopped', pid: null })]));
    expect(within(row('api')).getByText('offline')).toBeTruthy();
    expect(within(row('api')).getByRole('button', { name: 'Start api' })).toBeTruthy();
  });

  it('says clearly why an action failed', async () => {
    const fake = fakeApi(four());
    fake.overrides.act = () => Promise.reject(new HyphaRequestError('port 3000 is held by pid 4242 (python3 -m http.server)', 409));
    renderApp(fake);
    await screen.findByText('3 of 4 online');

    fireEvent.click(within(row('worker')).getByRole('button', { name: 'Start worker' }));
    const alert = await within(row('worker')).findByRole('alert');
    expect(alert.textContent).toContain('Could not start worker: port 3000 is held by pid 4242 (python3 -m http.server)');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss message' }));
    expect(within(row('worker')).queryByRole('alert')).toBeNull();
  });

  it('starts, stops and restarts everything from the toolbar', async () => {
    const fake = fakeApi(four());
    renderApp(fake);
    await screen.findByText('3 of 4 online');
    fireEvent.click(screen.getByRole('button', { name: 'Restart all' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'act' && c.args[0] === 'restart' && c.args[1] === 'all')).toBe(true));
  });

  it('updates a row from the live stream', async () => {
    const fake = fakeApi(four());
    renderApp(fake);
    await screen.findByText('3 of 4 online');
    act(() => fake.emit({ type: 'status', data: status({ id: 'db', status: 'unhealthy', health: 'unhealthy', statusCode: 503, pid: 4102 }) }));
    await waitFor(() => expect(within(row('db')).getByText('unhealthy · HTTP 503')).toBeTruthy());
    expect(screen.getByText('2 of 4 online')).toBeTruthy();
  });

  it('warns about strays and stops them only after confirmation', async () => {
    const stray = {
      pid: 31337,
      command: 'node server.mjs --port 3000',
      startedAt: null,
      ancestry: [
        { pid: 900, command: '/bin/sh -c while true; do node server.mjs; done' },
        { pid: 1, command: '/sbin/init' },
      ],
      reason: 'port' as const,
    };
    const fake = fakeApi([status({ id: 'web', strays: [stray] })]);
    fake.overrides.stopStrays = () => Promise.resolve([31337]);
    renderApp(fake);

    const banner = await screen.findByRole('region', { name: /1 stray/ });
    expect(banner.textContent).toContain('pid 31337');
    expect(banner.textContent).toContain('/bin/sh -c while true; do node server.mjs; done (pid 900) → /sbin/init (pid 1)');

    fireEvent.click(within(banner).getByRole('button', { name: 'Stop strays' }));
    expect(fake.calls.some((c) => c.method === 'stopStrays')).toBe(false);
    const confirm = within(banner).getByRole('alertdialog');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, stop it' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: /stray/ })).toBeNull());
    expect(fake.calls.filter((c) => c.method === 'stopStrays').map((c) => c.args)).toEqual([['web']]);
    expect(within(row('web')).getByRole('status').textContent).toContain('Stopped 1 stray process (pid 31337).');
  });

  it('shows a service that never started as such', async () => {
    renderApp(fakeApi([status({ id: 'docs', status: 'offline', state: 'stopped', pid: null, autostart: false, uptimeMs: null })]));
    expect(await screen.findByText('Not started yet — autostart is off')).toBeTruthy();
  });
});

describe('whole-page states', () => {
  it('shows "Not authorised" when the daemon refuses the token', async () => {
    const fake = fakeApi(four());
    fake.overrides.list = () => Promise.reject(new HyphaRequestError('missing or wrong bearer token', 401));
    renderApp(fake);
    expect(await screen.findByRole('heading', { name: 'Not authorised' })).toBeTruthy();
    expect(screen.getByText(/hypha open/)).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('explains an empty configuration with the config path and an example', async () => {
    renderApp(fakeApi([]));
    expect(await screen.findByRole('heading', { name: 'No services configured' })).toBeTruthy();
    expect(within(screen.getByRole('main')).getByText('/home/me/hypha.yaml')).toBeTruthy();
    expect(screen.getByText(/command: node server\.mjs/)).toBeTruthy();
  });

  it('says when the daemon cannot be reached', async () => {
    const fake = fakeApi([]);
    fake.overrides.list = () => Promise.reject(new HyphaRequestError('Could not reach the Hypha daemon.', 0));
    renderApp(fake);
    expect(await screen.findByRole('heading', { name: 'Can’t reach the Hypha daemon' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try now' })).toBeTruthy();
  });

  it('shows a "disconnected — retrying" banner while the stream is down', async () => {
    const fake = fakeApi(four());
    renderApp(fake);
    await screen.findByText('3 of 4 online');
    act(() => fake.connection({ state: 'retrying', retryInMs: 1000, message: 'Lost the connection to the Hypha daemon.' }));
    expect(screen.getByText('Disconnected — retrying')).toBeTruthy();
    act(() => fake.connection({ state: 'open' }));
    expect(screen.queryByText('Disconnected — retrying')).toBeNull();
  });
});

describe('service detail', () => {
  it('opens from the overview and shows logs, timeline and settings', async () => {
    const ts = '2024-05-01T10:00:00.000Z';
    const fake = fakeApi(four(), {
      lines: [
        { ts, stream: 'stdout', text: 'listening on 3000' },
        { ts, stream: 'stderr', text: 'warning: deprecated flag' },
        { ts, stream: 'supervisor', text: 'started (pid 4100)' },
      ],
      events: [{ id: 'web', kind: 'started', message: 'started (pid 4100)', ts }],
    });
    renderApp(fake);
    await screen.findByText('3 of 4 online');
    act(() => {
      window.location.hash = '#/service/web';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(await screen.findByRole('heading', { name: 'Web Frontend' })).toBeTruthy();
    const log = await screen.findByRole('log', { name: 'Log of Web Frontend' });
    expect(within(log).getByText('listening on 3000')).toBeTruthy();
    expect(within(log).getByText('warning: deprecated flag').closest('.logline--stderr')).toBeTruthy();
    expect(within(log).getByText('started (pid 4100)').closest('.logline--supervisor')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'Timeline' }));
    expect(screen.getByRole('list', { name: /Supervisor events/ }).textContent).toContain('started (pid 4100)');

    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent).toContain('node server.mjs');
    expect(panel.textContent).toContain('http http://127.0.0.1:3000/health');
    expect(panel.textContent).toContain('on-failure');
    expect(panel.textContent).toContain('db (healthy)');
    expect(panel.textContent).not.toContain('"3000"');
  });
});
