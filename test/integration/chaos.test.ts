// The short chaos run in `npm test` (the full one is `npm run chaos`): 20 services of mixed kinds
// under a real daemon, 20 random acts (seeded; the seed is printed so a failure can be replayed
// with `npm run chaos -- --seed=N --cycles=20`), every invariant checked after every act, and
// nothing of the daemon's home left alive at the end.
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module shared with `npm run chaos`; its shapes are checked by use below.
import { runChaos } from '../chaos/engine.mjs';
// @ts-expect-error -- the same, for the invariant checks.
import { spawnProblems, statusProblems, strays } from '../chaos/invariants.mjs';

interface ChaosReport {
  seed: number;
  cycles: number;
  acts: Record<string, number>;
  checks: number;
  violations: { cycle: number; act: string; message: string }[];
  seconds: number;
}

const CYCLES = Number(process.env.CHAOS_CYCLES ?? 20);

describe('chaos invariants', () => {
  // The checks must be able to fail, or a green chaos run proves nothing.
  it('flag a process whose run is not current, an illegal status, and spawns beyond the policy', () => {
    const snap = {
      statuses: [{ id: 'a', type: 'daemon', state: 'stopped', health: 'none', status: 'online', pid: 7, uptimeMs: null, restarts: 4 }],
      procs: [{ pid: 9, startTime: '1', service: 'a', run: 'old', ppid: 1, pgid: 9 }],
      current: new Map([['a', new Set(['new'])]]),
    };
    expect(strays(snap)).toHaveLength(1);
    const problems = statusProblems(snap, new Map([['a', { id: 'a', kind: 'crash', maxRestarts: 3 }]])) as string[];
    expect(problems.join('\n')).toMatch(/does not follow/);
    expect(problems.join('\n')).toMatch(/with pid 7/);
    expect(problems.join('\n')).toMatch(/4 restarts, max_restarts is 3/);
    const spawns = (...ts: number[]) => ts.map((t, i) => ({ t, pid: 100 + i }));
    expect(spawnProblems('a', spawns(0, 1000, 2000, 3000, 4000), [], 3, 200)).toEqual(['a: 5 spawns in one epoch, policy allows 4']);
    expect(spawnProblems('a', spawns(0, 1000, 2000, 3000, 4000), [{ t: 2500, pids: [102] }], 3, 200)).toEqual([]);
    expect(spawnProblems('a', spawns(0, 100), [], 3, 200)).toEqual(['a: respawned 100 ms after the previous spawn, delay is 200 ms']);
    // A run spawned before an act but stamped just after it counts before it (by its pid)…
    expect(spawnProblems('a', spawns(0, 1010, 2000, 3000, 4000), [{ t: 1000, pids: [101] }], 3, 200)).toEqual([]);
    // …and without that pid it counts after, where it is one too many.
    expect(spawnProblems('a', spawns(0, 1010, 2000, 3000, 4000, 5000), [{ t: 1000, pids: [] }], 3, 200)).toEqual(['a: 5 spawns in one epoch, policy allows 4']);
  });
});

describe('chaos', () => {
  it(`${CYCLES} random acts keep every invariant and leave no process behind`, { timeout: 240_000 }, async () => {
    const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Date.now() % 2 ** 31;
    const lines: string[] = [];
    const report = (await runChaos({ cycles: CYCLES, seed, maxSeconds: 150, log: (l: string) => lines.push(l) })) as ChaosReport;
    const summary = `chaos seed ${report.seed}: ${report.cycles} cycles in ${report.seconds.toFixed(0)} s; acts ${JSON.stringify(report.acts)}; ${report.checks} checks; ${report.violations.length} violations`;
    console.log(summary);
    if (report.violations.length > 0) console.log(lines.join('\n'));
    expect(report.violations, summary).toEqual([]);
    expect(report.cycles).toBeGreaterThan(0);
    expect(report.checks).toBeGreaterThan(0);
  });
});
