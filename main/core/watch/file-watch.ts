// `watch:` (SPEC §7, PM2's watch + ignore_watch): file changes under a service's paths, minus the
// ignored ones, reported once per quiet `debounce` window (trailing edge: an editor's save burst,
// or a build writing fifty files, is one change). node:fs.watch, recursive, so no dependency.
// Time is injected so the debounce is tested exactly.
import fs from 'node:fs';
import path from 'node:path';
import { globMatcher, type Matcher } from './glob.js';
import type { Disposable } from '../../contract/status.js';

/** Always ignored: version control and installed packages churn without being the service's code. */
export const ALWAYS_IGNORED = ['.git', 'node_modules'];

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface FileWatchOptions {
  paths: readonly string[];
  ignore: readonly string[];
  /** Absolute folders or files never reported (Hypha's own logs, when they sit inside a watched path). */
  ignoreAbsolute?: readonly string[];
  debounceMs: number;
  /** Once per quiet window, with the changed paths (relative to their watched root, at most 20). */
  onChange(files: string[]): void;
  /** A path that cannot be watched (missing, no permission): said once. */
  onError?(message: string): void;
  clock?: Clock;
  /** For tests: no fs.watch, events come through notify(). */
  watchFs?: boolean;
}

export class FileWatch implements Disposable {
  private readonly watchers: fs.FSWatcher[] = [];
  private readonly ignored: Matcher;
  private readonly clock: Clock;
  private timer: unknown = null;
  private pending = new Set<string>();
  private disposed = false;

  constructor(private readonly opts: FileWatchOptions) {
    this.ignored = globMatcher([...ALWAYS_IGNORED, ...opts.ignore]);
    this.clock = opts.clock ?? realClock;
    if (opts.watchFs === false) return;
    for (const root of opts.paths) this.watchPath(root);
  }

  private watchPath(root: string): void {
    let isDir: boolean;
    try {
      isDir = fs.statSync(root).isDirectory();
    } catch (e) {
      this.opts.onError?.(`watch: cannot watch ${root}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return;
    }
    try {
      const w = fs.watch(root, { recursive: isDir, persistent: false }, (_event, name) => {
        const rel = name === null ? '' : String(name);
        this.notify(root, isDir ? rel : path.basename(root));
      });
      w.on('error', (e) => this.opts.onError?.(`watch: ${root}: ${e.message}`));
      this.watchers.push(w);
    } catch (e) {
      this.opts.onError?.(`watch: cannot watch ${root}: ${(e as Error).message}`);
    }
  }

  /** One file-system event: `rel` is relative to `root` (as fs.watch reports it). */
  notify(root: string, rel: string): void {
    if (this.disposed) return;
    if (rel !== '' && this.ignored(rel)) return;
    const abs = path.resolve(root, rel);
    if (this.opts.ignoreAbsolute?.some((a) => abs === a || abs.startsWith(a + path.sep))) return;
    if (this.pending.size < 20) this.pending.add(rel || path.basename(root));
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.fire(), this.opts.debounceMs);
  }

  private fire(): void {
    this.timer = null;
    const files = [...this.pending];
    this.pending = new Set();
    if (!this.disposed) this.opts.onChange(files);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.watchers.splice(0)) w.close();
  }
}
