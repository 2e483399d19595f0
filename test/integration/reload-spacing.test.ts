// A reload that changes a service replaces its run, and the new copy keeps the restart spacing of
// the old one (SPEC §4: nothing spawns faster than the policy allows). The chaos run once saw a
// changed service respawn 176 ms after the previous spawn with restart.delay 200ms. The fixture
// stamps its own start time (bash's $EPOCHREALTIME), so the gap is measured by the processes (300 ms
// of slack for a slow exec under load; without the spacing the gap is the stop time, near 0).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();
const DELAY_MS = 1500;

function starts(file: string): number[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.split(' ')[0]) * 1000);
  } catch {
    return [];
  }
}

function config(stamps: string, generation: number): string {
  return `api: { port: 0 }
services:
  web:
    command: [${q('/bin/bash')}, ${q(join(FIXTURES, 'bench-stamp.sh'))}]
    env: { STAMP_FILE: ${q(stamps)}, AFTER_S: "3600", GENERATION: "${generation}" }
    restart: { delay: ${DELAY_MS}ms }
    stop: { timeout: 2s }
`;
}

describe('reload replacing a changed service', () => {
  it('spawns the new copy no sooner than restart.delay after the previous spawn', async () => {
    const dir = tempDir('hypha-reload-spacing-');
    const stamps = join(dir, 'stamps');
    const d = await startDaemon(config(stamps, 1), { dir });
    daemons.push(d);
    await waitFor(() => starts(stamps).length === 1, { message: 'the first spawn' });
    // Change the service right after its spawn, twice in a row.
    for (const generation of [2, 3]) {
      writeFileSync(d.configFile, config(stamps, generation));
      const r = await d.api<{ changed: string[] }>('POST', '/api/reload');
      expect(r.status).toBe(200);
      await waitFor(() => starts(stamps).length === generation, { timeoutMs: 60_000, message: `spawn ${generation}` });
    }
    const t = starts(stamps);
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeGreaterThanOrEqual(DELAY_MS - 300);
    await d.waitFor('web', (s) => s.state === 'running', 'running');
  });
});
