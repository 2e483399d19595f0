import { describe, expect, it } from 'vitest';
import { FileWatch, type Clock } from '../../main/core/watch/file-watch.js';
import { globMatcher } from '../../main/core/watch/glob.js';
import { parseConfigText } from '../../main/core/config/load.js';

/** Virtual time: timers run only when the test advances the clock. */
class FakeClock implements Clock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

describe('watch.ignore globs', () => {
  const m = globMatcher(['node_modules', '*.log', 'dist/**', 'src/gen', 'tmp/*.txt', '.cache/']);
  it.each([
    ['node_modules/x/index.js', true],
    ['a/node_modules/y.js', true],
    ['server.log', true],
    ['logs/today.log', true],
    ['dist/app.js', true],
    ['src/gen/a.ts', true],
    ['tmp/a.txt', true],
    ['.cache/x', true],
    ['tmp/b/a.txt', false],
    ['src/app.ts', false],
    ['logbook.md', false],
    ['distance.js', false],
  ])('%s ignored: %s', (path, ignored) => {
    expect(m(path)).toBe(ignored);
  });
});

describe('FileWatch debounce (virtual time)', () => {
  function setup(debounceMs = 500) {
    const clock = new FakeClock();
    const calls: { at: number; files: string[] }[] = [];
    const w = new FileWatch({
      paths: ['/srv'],
      ignore: ['*.tmp'],
      ignoreAbsolute: ['/srv/home'],
      debounceMs,
      clock,
      watchFs: false,
      onChange: (files) => calls.push({ at: clock.now, files }),
    });
    return { clock, calls, w };
  }

  it('one change fires once, exactly one debounce after it', () => {
    const { clock, calls, w } = setup();
    clock.advance(100);
    w.notify('/srv', 'app.js');
    clock.advance(499);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual([{ at: 600, files: ['app.js'] }]);
    clock.advance(10_000);
    expect(calls).toHaveLength(1);
  });

  it('a burst is one change, fired a debounce after its last event', () => {
    const { clock, calls, w } = setup();
    for (let i = 0; i < 10; i++) {
      w.notify('/srv', `f${i % 3}.js`);
      clock.advance(100);
    }
    clock.advance(399);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual([{ at: 1400, files: ['f0.js', 'f1.js', 'f2.js'] }]);
  });

  it('ignored paths, always-ignored folders and absolute exclusions never fire', () => {
    const { clock, calls, w } = setup();
    w.notify('/srv', 'x.tmp');
    w.notify('/srv', '.git/index');
    w.notify('/srv', 'node_modules/a/b.js');
    w.notify('/srv', 'home/logs/web.log');
    clock.advance(5000);
    expect(calls).toEqual([]);
  });

  it('nothing fires after dispose', () => {
    const { clock, calls, w } = setup();
    w.notify('/srv', 'a.js');
    w.dispose();
    clock.advance(5000);
    expect(calls).toEqual([]);
  });
});

describe('watch: in hypha.yaml', () => {
  it('true watches the cwd; a mapping resolves paths against the cwd', () => {
    const r = parseConfigText(
      'services:\n  a:\n    command: x\n    cwd: app\n    watch: true\n  b:\n    command: x\n    watch: { paths: [src, /etc/b.conf], ignore: ["*.log"], debounce: 2s }\n',
      '/cfg/hypha.yaml',
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join());
    expect(r.config.services[0]?.watch).toEqual({ paths: ['/cfg/app'], ignore: [], debounceMs: 500 });
    expect(r.config.services[1]?.watch).toEqual({ paths: ['/cfg/src', '/etc/b.conf'], ignore: ['*.log'], debounceMs: 2000 });
  });

  it('reports mistakes at file:line:col', () => {
    const r = parseConfigText('services:\n  a:\n    command: x\n    watch:\n      paths: []\n      debounse: 1s\n      ignore: "*.log"\n', '/cfg/hypha.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '5:14: services.a.watch.paths: must list at least one path',
      '6:7: services.a.watch.debounse: unknown key (did you mean "debounce"?)',
      '7:15: services.a.watch.ignore: expected a list, got a string ("*.log")',
    ]);
  });
});
