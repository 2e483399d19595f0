// `readiness:` (SPEC §7, process-compose's readiness_probe / ready_log_line, k8s readiness): is a
// running service ready to be used? It gates status `online` and dependents' `condition: healthy`
// and never restarts anything; `health` stays the liveness probe. Tracked per run (a new pid starts
// not ready), beside the service's state machine rather than inside it: a probe on the shared
// scheduler (ready after one success, not ready again after `retries` failures in a row), or a
// regex over the run's output lines (ready once a line matches).
import type { ReadinessConfig } from '../../contract/config.js';
import type { Disposable } from '../../contract/status.js';
import { runProbe } from '../health/probes.js';
import type { ProbeScheduler } from '../health/scheduler.js';

export interface ReadinessSubject {
  readonly id: string;
  readonly state: string;
  readonly pid: number | null;
  readonly config: { readiness: ReadinessConfig | null; cwd: string; env: Record<string, string> };
}

interface Track {
  pid: number;
  ready: boolean;
  failures: number;
  probe: Disposable | null;
  pattern: RegExp | null;
}

export class Readiness implements Disposable {
  private readonly tracks = new Map<string, Track>();

  constructor(
    private readonly scheduler: ProbeScheduler,
    private readonly baseEnv: NodeJS.ProcessEnv,
    /** A service turned ready or not ready. */
    private readonly onChange: (id: string) => void,
  ) {}

  /** null when the service has no readiness check (then only health counts). */
  isReady(id: string, hasReadiness: boolean): boolean | null {
    if (!hasReadiness) return null;
    return this.tracks.get(id)?.ready ?? false;
  }

  /** Whether some running service waits for a log line (its output must be passed on). */
  wantsLines(): boolean {
    for (const t of this.tracks.values()) if (t.pattern && !t.ready) return true;
    return false;
  }

  /** Called whenever a service changes: a new run starts its check, an ended run drops it. */
  update(s: ReadinessSubject): void {
    const r = s.config.readiness;
    const t = this.tracks.get(s.id);
    const live = r !== null && s.state === 'running' && s.pid !== null;
    if (t && (!live || t.pid !== s.pid)) this.drop(s.id);
    if (!live || this.tracks.has(s.id) || r === null || s.pid === null) return;
    const track: Track = { pid: s.pid, ready: false, failures: 0, probe: null, pattern: null };
    this.tracks.set(s.id, track);
    if (r.kind === 'log') {
      track.pattern = new RegExp(r.pattern);
      return;
    }
    track.probe = this.scheduler.add(r.intervalMs, Math.min(r.intervalMs, 250), async () => {
      const result = await runProbe(r.probe, r.timeoutMs, s.config.cwd, () => ({ ...this.baseEnv, ...s.config.env }));
      if (this.tracks.get(s.id) !== track) return;
      if (result.ok) {
        track.failures = 0;
        this.set(s.id, track, true);
      } else if (++track.failures >= r.retries) this.set(s.id, track, false);
    });
  }

  /** One line of a service's output. */
  line(id: string, text: string): void {
    const t = this.tracks.get(id);
    if (t?.pattern && !t.ready && t.pattern.test(text)) this.set(id, t, true);
  }

  private set(id: string, t: Track, ready: boolean): void {
    if (t.ready === ready) return;
    t.ready = ready;
    this.onChange(id);
  }

  private drop(id: string): void {
    this.tracks.get(id)?.probe?.dispose();
    this.tracks.delete(id);
  }

  dispose(): void {
    for (const id of [...this.tracks.keys()]) this.drop(id);
  }
}
