// Oneshot run history and success_exit_codes with real processes, through an in-process
// Supervisor (the API route that serves the history is another part's work): each run is
// recorded with its start, end, exit and the first stderr line of a failure; an exit code listed
// in success_exit_codes completes the run, and `completed_successfully` starts its dependent.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/core/config/load.js';
import { Supervisor } from '../../main/core/supervisor.js';
import { tempDir, waitFor } from '../helpers/index.js';
import { cleanUp } from '../helpers/daemon.js';

let sup: Supervisor | null = null;
afterEach(async () => {
  await sup?.dispose();
  sup = null;
  await cleanUp();
});

function supervisor(yaml: string): Supervisor {
  const dir = tempDir('hypha-runs-');
  const loaded = parseConfigText(yaml, `${dir}/hypha.yaml`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  sup = new Supervisor(loaded.config, { home: null, logsDir: null, version: 'test', loadConfig: () => loaded, strayScanMs: 3_600_000 });
  return sup;
}

describe('oneshot runs', () => {
  it('records each run (oldest first) with its exit and the first stderr line of a failure', async () => {
    const s = supervisor(`services:
  job:
    type: oneshot
    command: "if [ -e flag ]; then exit 0; fi; touch flag; echo 'disk full' >&2; sleep 0.2; exit 2"
    retries: 1
    restart: { delay: 100ms }
`);
    s.start();
    await waitFor(() => s.get('job').state === 'completed', { message: 'completed after one retry' });
    const runs = s.runs('job');
    expect(runs.length).toBe(2);
    expect(runs[0]).toMatchObject({ exit: { code: 2, signal: null }, error: 'exited with code 2: disk full' });
    expect(runs[1]).toMatchObject({ exit: { code: 0, signal: null }, error: null });
    expect(Date.parse(runs[0]!.startedAt)).toBeLessThanOrEqual(Date.parse(runs[0]!.endedAt!));
    expect(Date.parse(runs[0]!.endedAt!)).toBeLessThanOrEqual(Date.parse(runs[1]!.startedAt));
  });

  it('success_exit_codes: exit 3 completes, and completed_successfully starts the dependent', async () => {
    const s = supervisor(`services:
  migrate: { type: oneshot, command: "exit 3", success_exit_codes: [0, 3] }
  app: { command: "sleep 600", depends_on: { migrate: { condition: completed_successfully } } }
`);
    s.start();
    await waitFor(() => s.get('app').state === 'running', { message: 'app running' });
    expect(s.get('migrate')).toMatchObject({ state: 'completed', lastExit: { code: 3 } });
  });
});
