// @vitest-environment happy-dom
// A oneshot's run history in its detail view: newest first, with start, duration, exit and the
// first line of why a run failed; fetched again when a run ends.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OneshotRun } from '../../main/contract/status.js';
import { App } from '../../renderer/src/App.js';
import { RunHistory } from '../../renderer/src/components/RunHistory.js';
import { StoreProvider } from '../../renderer/src/store/context.js';
import { createHyphaStore } from '../../renderer/src/store/store.js';
import { fakeApi, manualFrames, status } from './renderer-fake-api.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const RUNS: OneshotRun[] = [
  { startedAt: '2024-05-01T10:00:00.000Z', endedAt: '2024-05-01T10:00:00.250Z', exit: { code: 0, signal: null }, error: null },
  { startedAt: '2024-05-01T11:00:00.000Z', endedAt: '2024-05-01T11:01:05.000Z', exit: { code: 3, signal: null }, error: 'exited with code 3\nError: disk full\n    at main' },
  { startedAt: '2024-05-01T12:00:00.000Z', endedAt: '2024-05-01T12:00:30.000Z', exit: { code: null, signal: 'SIGKILL' }, error: 'timed out after 30s' },
];

describe('run history', () => {
  it('lists runs newest first: start, duration, exit, first error line', () => {
    render(<RunHistory runs={RUNS} />);
    const rows = within(screen.getByRole('table', { name: 'Last runs, newest first' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).slice(1).map((c) => c.textContent))).toEqual([
      ['30s', 'SIGKILL', 'timed out after 30s'],
      ['1m 05s', 'code 3', 'exited with code 3'],
      ['250 ms', 'code 0', '—'],
    ]);
    expect(rows.map((r) => r.dataset.runOutcome)).toEqual(['failed', 'failed', 'ok']);
  });

  it('keeps the last 20 and says so when there are none', () => {
    const many = Array.from({ length: 25 }, (_, i): OneshotRun => ({ startedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), endedAt: null, exit: null, error: null }));
    const { unmount } = render(<RunHistory runs={many} />);
    expect(screen.getAllByRole('row')).toHaveLength(21);
    expect(screen.getAllByText('running')).toHaveLength(20);
    unmount();
    render(<RunHistory runs={[]} />);
    expect(screen.getByText(/No runs recorded yet/)).toBeTruthy();
  });

  it('shows in a oneshot’s detail view, and is fetched again when a run ends', async () => {
    const frames = manualFrames();
    const job = status({ id: 'backup', type: 'oneshot', status: 'online', state: 'running' });
    const fake = fakeApi([job], { runs: RUNS.slice(0, 1) });
    const hypha = createHyphaStore(fake.api, { schedule: frames.schedule });
    render(
      <StoreProvider value={hypha}>
        <App />
      </StoreProvider>,
    );
    await screen.findByText('1 job running');
    act(() => {
      window.location.hash = '#/service/backup';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    fireEvent.click(await screen.findByRole('tab', { name: 'Runs' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(fake.calls.filter((c) => c.method === 'runs')).toHaveLength(1);

    fake.overrides.runs = () => Promise.resolve(RUNS);
    act(() => {
      fake.emit({ type: 'status', data: { ...job, status: 'failed', state: 'failed', pid: null } });
      frames.run();
    });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    expect(screen.getByText('timed out after 30s')).toBeTruthy();
  });
});
