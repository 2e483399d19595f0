// One FileWatch per service that has `watch:`, kept in step with the config (created, replaced
// when its watch settings change, disposed with the service). A change restarts a running
// service, or starts a failed one (the edit may be the fix); a stopped service stays stopped.
import type { ServiceConfig } from '../../contract/config.js';
import type { EventKind, State } from '../../contract/status.js';
import { FileWatch } from './file-watch.js';

export interface WatchTarget {
  readonly state: State;
  restart(): void;
  start(): void;
  emitEvent(kind: EventKind, message: string): void;
}

export class ServiceWatches {
  private readonly watches = new Map<string, { key: string; watch: FileWatch }>();

  constructor(
    private readonly target: (id: string) => WatchTarget | undefined,
    /** Never reported, e.g. $HYPHA_HOME (its logs would otherwise restart a service watching `.`). */
    private readonly ignoreAbsolute: readonly string[] = [],
  ) {}

  sync(configs: readonly ServiceConfig[]): void {
    const wanted = new Map(configs.filter((c) => c.watch !== null).map((c) => [c.id, c]));
    for (const [id, w] of this.watches) {
      const c = wanted.get(id);
      if (!c || keyOf(c) !== w.key) {
        w.watch.dispose();
        this.watches.delete(id);
      }
    }
    for (const [id, c] of wanted) {
      if (this.watches.has(id) || c.watch === null) continue;
      const logFile = c.log.file === null ? [] : [c.log.file];
      const watch = new FileWatch({
        paths: c.watch.paths,
        ignore: c.watch.ignore,
        ignoreAbsolute: [...this.ignoreAbsolute, ...logFile],
        debounceMs: c.watch.debounceMs,
        onChange: (files) => this.changed(id, files),
        onError: (message) => this.target(id)?.emitEvent('watch', message),
      });
      this.watches.set(id, { key: keyOf(c), watch });
    }
  }

  private changed(id: string, files: string[]): void {
    const s = this.target(id);
    if (!s) return;
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    if (s.state === 'running') {
      s.emitEvent('watch', `files changed (${shown}): restarting`);
      s.restart();
    } else if (s.state === 'failed') {
      s.emitEvent('watch', `files changed (${shown}): starting`);
      s.start();
    }
  }

  dispose(): void {
    for (const w of this.watches.values()) w.watch.dispose();
    this.watches.clear();
  }
}

function keyOf(c: ServiceConfig): string {
  return JSON.stringify([c.watch, c.log.file]);
}
