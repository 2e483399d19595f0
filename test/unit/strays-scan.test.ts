// The stray rules on made-up process tables: what counts (same user, matches or holds the port,
// not Hypha's), what never does (the supervisor, its ancestors and children, runs by pid or by
// mark, the hypha CLI, another user), nesting, and what one scan of 200 services × 1000 costs.
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../main/core/process/proctable.js';
import { MatchCache, findStrays, hyphaCliTest, type StrayScanInput, type StrayTarget } from '../../main/core/strays/scan.js';
import type { HyphaEnv } from '../../main/core/strays/verdict.js';

const ME = 1000;
const SELF = 500;
const HOME = '/home/u/.local/state/hypha';
const OLD = Date.parse('2024-01-01T00:00:00Z');

function proc(pid: number, ppid: number, command: string, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    pgid: pid,
    sid: 1,
    uid: ME,
    state: 'S',
    startTime: String(pid * 7),
    startedAtMs: OLD,
    command,
    rssBytes: 0,
    cpuTicks: 0,
    ...over,
  };
}

/** init → bash(100) → node hypha daemon (SELF) → run web (600) → child (601); plus whatever a test adds. */
function baseTable(): ProcessInfo[] {
  return [
    proc(1, 0, '/sbin/init', { uid: 0 }),
    proc(100, 1, 'bash'),
    proc(SELF, 100, 'node /opt/hypha/bin/hypha daemon'),
    proc(600, SELF, 'node web-server.mjs --port 8080'),
    proc(601, 600, 'node web-server.mjs --worker'),
  ];
}

function input(table: ProcessInfo[], over: Partial<StrayScanInput> = {}, envs: Record<number, HyphaEnv> = {}): StrayScanInput {
  const targets: StrayTarget[] = [{ id: 'web', match: /web-server\.mjs/, port: 8080 }];
  return {
    table,
    targets,
    ours: new Set(['600:4200', '601:4207']),
    marks: new Set(['run-web-1']),
    listeners: new Map(),
    selfPid: SELF,
    uid: ME,
    home: HOME,
    platform: 'linux',
    envOf: (pid) => envs[pid] ?? null,
    unitOf: () => null,
    isHyphaCli: hyphaCliTest('/opt/hypha'),
    now: OLD + 3_600_000,
    ...over,
  };
}

function strayPids(out: Map<string, { pid: number }[]>, id = 'web'): number[] {
  return (out.get(id) ?? []).map((s) => s.pid);
}

describe('findStrays', () => {
  it('lists a copy started from a terminal, with its ancestry up to init and a verdict', () => {
    const table = [...baseTable(), proc(700, 100, 'node web-server.mjs --port 8081')];
    const out = findStrays(input(table));
    expect(out.get('web')).toEqual([
      expect.objectContaining({
        pid: 700,
        command: 'node web-server.mjs --port 8081',
        startedAt: new Date(OLD).toISOString(),
        ancestry: [
          { pid: 100, command: 'bash' },
          { pid: 1, command: '/sbin/init' },
        ],
        verdict: 'spawned by bash (pid 100)',
        reason: 'match',
        key: '700:4900',
      }),
    ]);
  });

  it('never counts the supervisor, its ancestors, its children, runs (by pid or mark), our own leftovers, the CLI, another user', () => {
    const table = [
      ...baseTable(),
      proc(602, SELF, 'sh -c curl web-server.mjs/health'), // a probe: a child of the supervisor
      proc(603, 1, 'node web-server.mjs --setsid'), // a run's child that left the tree, known by its mark
      proc(604, 1, 'node web-server.mjs --leftover'), // a leftover of an earlier run of this Hypha
      proc(605, 100, 'node /opt/hypha/bin/hypha logs web-server.mjs'),
      proc(606, 100, 'hypha strays web-server.mjs'),
      proc(607, 1, 'node web-server.mjs', { uid: 2000 }),
      proc(608, 100, 'node web-server.mjs --zombie', { state: 'Z' }),
    ];
    const envs: Record<number, HyphaEnv> = {
      603: { service: 'web', home: HOME, run: 'run-web-1' },
      604: { service: 'web', home: HOME, run: 'run-web-0' },
    };
    const self = proc(SELF, 100, 'node web-server.mjs as the supervisor, oddly');
    const ours = new Set(['600:4200', '601:4207', `609:${609 * 7}`]);
    table.push(proc(609, 1, 'node web-server.mjs --reparented')); // a run member known by pid and start time
    const out = findStrays(input(table.map((p) => (p.pid === SELF ? self : p)), { ours }, envs));
    expect(strayPids(out)).toEqual([]);
  });

  it('tells a copy another Hypha started by its environment', () => {
    const table = [...baseTable(), proc(700, 1, 'node web-server.mjs')];
    const out = findStrays(input(table, {}, { 700: { service: 'web', home: '/tmp/other', run: 'zzz' } }));
    expect(out.get('web')?.[0]?.verdict).toBe('started by another Hypha (HYPHA_HOME /tmp/other, service web)');
  });

  it('lists a port holder, and one that also matches once, as match+port', () => {
    const table = [...baseTable(), proc(700, 100, 'python -m http.server 8080'), proc(701, 100, 'node web-server.mjs')];
    const listeners = new Map([
      [8080, [600, 700, 701]], // the run holds it too (SO_REUSEPORT): not a stray
    ]);
    const out = findStrays(input(table, { listeners }));
    expect(out.get('web')?.map((s) => [s.pid, s.reason])).toEqual([
      [700, 'port'],
      [701, 'match+port'],
    ]);
  });

  it('lists a tree of matching processes once, as its topmost, carrying the reasons of those below', () => {
    const table = [
      ...baseTable(),
      proc(700, 100, 'sh -c node web-server.mjs'),
      proc(701, 700, 'node web-server.mjs'),
      proc(702, 701, 'node web-server.mjs --worker'),
    ];
    const out = findStrays(input(table, { listeners: new Map([[8080, [702]]]) }));
    expect(out.get('web')?.map((s) => [s.pid, s.reason])).toEqual([[700, 'match+port']]);
  });

  it('answers every target, with [] for those without strays, from one pass', () => {
    const table = [...baseTable(), proc(700, 1, 'redis-server *:6379')];
    const targets: StrayTarget[] = [
      { id: 'web', match: /web-server\.mjs/, port: null },
      { id: 'cache', match: /redis-server/, port: 6379 },
    ];
    const out = findStrays(input(table, { targets }));
    expect(strayPids(out, 'web')).toEqual([]);
    expect(out.get('cache')?.[0]).toMatchObject({ pid: 700, verdict: 'parent gone (orphaned)' });
  });

  it('asks for the systemd unit only of strays whose parent is a reaper', () => {
    const asked: number[] = [];
    const table = [...baseTable(), proc(700, 1, 'node web-server.mjs'), proc(701, 100, 'node web-server.mjs')];
    const out = findStrays(input(table, { unitOf: (pid) => (asked.push(pid), 'web-copy.service') }));
    expect(asked).toEqual([700]);
    expect(out.get('web')?.map((s) => s.verdict)).toEqual(['started by systemd unit web-copy.service', 'spawned by bash (pid 100)']);
  });
});

describe('MatchCache', () => {
  it('reads a settled process once, yet looks at a young one again after it execs', () => {
    const reads = new Map<number, number>();
    const counted = (p: ProcessInfo, command: () => string): ProcessInfo =>
      Object.defineProperty({ ...p }, 'command', {
        get: () => {
          reads.set(p.pid, (reads.get(p.pid) ?? 0) + 1);
          return command();
        },
        enumerable: true,
      });
    const now = OLD + 3_600_000;
    let youngCommand = 'bash'; // just forked by bash, not yet exec'd
    const table = (): ProcessInfo[] => [
      ...baseTable(),
      proc(700, 100, 'node web-server.mjs'),
      counted(proc(701, 100, '', { startedAtMs: now - 100 }), () => youngCommand),
      counted(proc(702, 100, ''), () => 'node other.mjs'),
    ];
    const cache = new MatchCache();
    expect(strayPids(findStrays(input(table(), { cache, now })))).toEqual([700]);
    expect(reads.get(702)).toBe(1);
    youngCommand = 'node web-server.mjs';
    expect(strayPids(findStrays(input(table(), { cache, now: now + 10 })))).toEqual([700, 701]);
    expect(strayPids(findStrays(input(table(), { cache, now: now + 20 })))).toEqual([700, 701]);
    expect(reads.get(702)).toBe(1); // settled and no match: never read again
  });
});

describe('hyphaCliTest', () => {
  it('knows the CLI by its name or path, and nothing else', () => {
    const isCli = hyphaCliTest('/opt/hypha');
    expect(isCli('hypha strays web')).toBe(true);
    expect(isCli('/usr/local/bin/hypha logs -f web')).toBe(true);
    expect(isCli('node /opt/hypha/dist/main/cli/index.js status')).toBe(true);
    expect(isCli('node /opt/hypha/assets/demo/mycobrain.mjs')).toBe(false);
    expect(isCli('node server.js --root /home/u/src/hypha')).toBe(false);
  });
});

describe('cost', () => {
  it('one scan of 1000 processes for 200 services stays in the low milliseconds', () => {
    const table = baseTable();
    for (let i = 0; i < 1000; i++) table.push(proc(1000 + i, 100, `/usr/lib/app/worker-${i} --flag value --other ${i}`));
    const targets: StrayTarget[] = Array.from({ length: 200 }, (_, i) => ({ id: `svc-${i}`, match: new RegExp(`service-${i}\\.mjs`), port: 20_000 + i }));
    const cache = new MatchCache();
    const run = (): number => {
      const t0 = performance.now();
      findStrays(input(table, { targets, cache }));
      return performance.now() - t0;
    };
    const cold = run();
    const warm = Math.min(run(), run(), run());
    console.log(`stray scan, 1000 processes × 200 services (table in memory): cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(2)} ms`);
    // Cost is a bench figure; here a warm scan must give the same verdicts as the cold one.
    const cachedAgain = findStrays(input(table, { targets, cache }));
    expect(cachedAgain).toEqual(findStrays(input(table, { targets, cache: new MatchCache() })));
  });
});
