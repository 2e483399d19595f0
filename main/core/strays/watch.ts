// Strays (SPEC §3–§4, issue #7): processes of the same user that Hypha did not start and that
// match a service's `match` regex or hold its `port`. Scanned at start, every 30 s, and afresh
// before answering a person. One scan of the process table serves every service. Hypha ends a
// stray only when the service says `strays: stop` or a person asks; copies that keep coming
// back are named as respawning, with the ancestor that keeps starting them.
import { resolveHyphaHome } from '../config/resolve.js';
import { killTree } from '../process/kill.js';
import { readProcessTableAsync, type ProcessInfo } from '../process/proctable.js';
import { DescendantTracker, descendantsOf } from '../process/tree.js';
import { packageRoot } from '../paths.js';
import { findStrays, hyphaCliTest, MatchCache, type FoundStray, type StrayScanInput, type StrayTarget } from './scan.js';
import { effectiveProgram } from './readers.js';
import { PortListeners } from './ports.js';
import { hyphaEnvOf, systemdUnitOf } from './proc.js';
import { RespawnTracker } from './respawn.js';
import { clip, respawnVerdict } from './verdict.js';
import type { Service } from '../service/service.js';
import type { Supervisor } from '../supervisor.js';
import type { Disposable, Stray } from '../../contract/status.js';

/** What StrayWatch needs of the supervisor (the Supervisor itself in the app). */
export type StraySource = Pick<Supervisor, 'allServices' | 'liveRuns'>;

/** A stray's trees get at most this long on the stop signal before SIGKILL, whatever stop.timeout says. */
const MAX_STOP_MS = 10_000;
/** How long the mark of a run that ended still names its leftovers as Hypha's own (the reaper is on them). */
const RECENT_RUN_MS = 60_000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function ourPackageRoot(): string | null {
  try {
    return packageRoot();
  } catch {
    return null;
  }
}

export class StrayWatch implements Disposable {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private disposed = false;
  private readonly home: string | null;
  private readonly isHyphaCli = hyphaCliTest(ourPackageRoot());
  private readonly matches = new MatchCache();
  private readonly listeners = new PortListeners();
  private readonly respawns = new RespawnTracker();
  private readonly regexes = new Map<string, RegExp>();
  /** The last scan's strays per service, with what it takes to end each one. */
  private readonly found = new Map<string, FoundStray[]>();
  /** Keys already announced per service, so each new stray is told once. */
  private readonly announced = new Map<string, Set<string>>();
  /** The respawn line last told per service, so it is told once per source. */
  private readonly respawnTold = new Map<string, string>();
  /** HYPHA_RUN marks of runs seen live lately: what a run that just ended leaves behind is ours still. */
  private readonly recentMarks = new Map<string, number>();
  /** The last scan's table, for the checks of a stop that follows it. */
  private lastTable: readonly ProcessInfo[] = [];
  /** The last scan's input, to look again with processes to spare (a stop asked for by the CLI). */
  private lastInput: StrayScanInput | null = null;
  private scanning: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Duration of the last scan in ms, for the cost figure. */
  lastScanMs = 0;

  /**
   * @param home this supervisor's HYPHA_HOME (processes whose environment names another one are
   *   "started by another Hypha"); defaults to the one the environment resolves to
   */
  constructor(
    private readonly supervisor: StraySource,
    private readonly periodMs: number,
    home?: string | null,
  ) {
    this.home = home === undefined ? resolveHyphaHome() : home;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    const tick = (): void => {
      void this.scanNow()
        .catch(() => undefined) // a failed look (a tool missing) must not stop the next one
        .finally(() => {
          if (this.disposed) return;
          this.timer = setTimeout(tick, this.periodMs);
          this.timer.unref();
        });
    };
    tick();
  }

  /**
   * One scan of the process table for every service; updates each service's `strays`. A call
   * made while a scan runs gets the scan after it, so its answer is never older than the call.
   */
  scanNow(): Promise<void> {
    if (!this.scanning) {
      this.scanning = this.scan().finally(() => (this.scanning = null));
      return this.scanning;
    }
    this.queued ??= this.scanning.then(
      () => {
        this.queued = null;
        return this.scanNow();
      },
      () => {
        this.queued = null;
        return this.scanNow();
      },
    );
    return this.queued;
  }

  /**
   * Scans afresh, ends the strays of `id` with their trees; returns their pids. `spare`: pids
   * that, with all their ancestors, are never ended (the CLI that asks, and so the person's shell).
   */
  async stopStrays(id: string, spare: readonly number[] = []): Promise<number[]> {
    await this.scanNow();
    const service = this.supervisor.allServices().find((s) => s.id === id);
    let strays = this.found.get(id) ?? [];
    if (spare.length > 0 && this.lastInput) {
      strays = findStrays({ ...this.lastInput, spare, cache: undefined }).get(id) ?? [];
    }
    if (!service || strays.length === 0) return [];
    const table = this.lastTable;
    const ours = this.oursSet();
    const { signal, timeoutMs } = service.config.stop;
    const stopped: FoundStray[] = [];
    await Promise.all(
      strays.map(async (st) => {
        const below = descendantsOf(st.pid, table);
        if (below.some((p) => p.pid === process.pid || ours.has(`${p.pid}:${p.startTime}`))) {
          // Ending this tree would end processes of Hypha's own services with it.
          service.log.supervisor(`left stray pid ${st.pid} alone: processes Hypha started run below it`);
          return;
        }
        const leader = st.pgid === st.pid;
        const result = await killTree({
          pid: st.pid,
          pgid: leader ? st.pid : 0,
          tracker: new DescendantTracker(st.pid, leader ? st.pid : 0, st.startTime),
          signal,
          timeoutMs: Math.min(timeoutMs, MAX_STOP_MS),
        });
        if (!result.killed.includes(st.pid)) return; // it ended on its own meanwhile
        if (result.leftovers.includes(st.pid)) {
          service.log.supervisor(`could not end stray pid ${st.pid} (${clip(st.command, 80)}): still alive after SIGKILL`);
          return;
        }
        const others = result.killed.filter((pid) => pid !== st.pid).length;
        service.log.supervisor(
          `ended stray pid ${st.pid}${others > 0 ? ` and ${others === 1 ? '1 process' : `${others} processes`} below it` : ''}${result.escalated ? ' (needed SIGKILL)' : ''}: ${clip(st.command, 80)} — ${st.verdict ?? ''}`,
        );
        stopped.push(st);
      }),
    );
    stopped.sort((a, b) => a.pid - b.pid);
    if (stopped.length > 0) {
      this.respawns.stopped(id, stopped, Date.now());
      service.emitEvent('strays', `ended ${plural(stopped.length, 'stray')}: pid ${stopped.map((s) => s.pid).join(', ')}`);
    }
    await this.scanNow();
    return stopped.map((s) => s.pid);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // ---- internals ----

  private regex(source: string): RegExp | null {
    let r = this.regexes.get(source);
    if (!r) {
      try {
        r = new RegExp(source);
      } catch {
        return null; // the config loader rejects bad regexes; never let one stop the scan
      }
      this.regexes.set(source, r);
    }
    return r;
  }

  /** `pid:startTime` of everything the live runs hold. */
  private oursSet(): Set<string> {
    const ours = new Set<string>();
    for (const run of this.supervisor.liveRuns().values()) {
      for (const m of run.tracker.members()) ours.add(`${m.pid}:${m.startTime}`);
      if (run.startTime) ours.add(`${run.pid}:${run.startTime}`);
    }
    return ours;
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const services = this.supervisor.allServices();
    const targets: StrayTarget[] = [];
    for (const s of services) {
      const match = s.config.match !== null ? this.regex(s.config.match) : null;
      const cmd = s.config.command;
      const exe = effectiveProgram(typeof cmd === 'string' ? cmd : cmd.join(' ')).exe || null;
      if (match || s.config.port !== null) targets.push({ id: s.id, match, port: s.config.port, exe });
    }
    let found = new Map<string, FoundStray[]>();
    if (targets.length > 0) {
      const table: ProcessInfo[] = await readProcessTableAsync();
      const uid = process.getuid?.() ?? null;
      const ports = new Set(targets.flatMap((t) => (t.port !== null ? [t.port] : [])));
      const listeners = await this.listeners.find(ports, table, uid);
      // Read the runs after the awaits: a run spawned meanwhile must count as ours.
      const seenAt = Date.now();
      for (const run of this.supervisor.liveRuns().values()) this.recentMarks.set(run.mark, seenAt);
      for (const [mark, at] of this.recentMarks) if (seenAt - at > RECENT_RUN_MS) this.recentMarks.delete(mark);
      this.lastTable = table;
      this.lastInput = {
        table,
        targets,
        ours: this.oursSet(),
        marks: new Set(this.recentMarks.keys()),
        listeners,
        selfPid: process.pid,
        uid,
        home: this.home,
        platform: process.platform,
        envOf: hyphaEnvOf,
        unitOf: systemdUnitOf,
        isHyphaCli: this.isHyphaCli,
        cache: this.matches,
      };
      found = findStrays(this.lastInput);
    }
    const now = Date.now();
    const current = this.supervisor.allServices();
    const ids = new Set(current.map((s) => s.id));
    this.respawns.retain(ids);
    for (const map of [this.announced, this.respawnTold]) for (const id of map.keys()) if (!ids.has(id)) map.delete(id);
    this.found.clear();
    for (const s of current) {
      const strays = found.get(s.id) ?? [];
      this.found.set(s.id, strays);
      // A verdict is given to the copies of its own source only (pid + start time), never to a
      // later process that merely matches too.
      let line: string | null = null;
      for (const respawn of this.respawns.observe(s.id, strays, now)) {
        const mine = strays.filter((st) => respawn.keys.has(st.key));
        const verdict = respawnVerdict(respawn.source, mine.find((st) => st.unit)?.unit ?? null);
        for (const st of mine) st.verdict = verdict;
        line ??= verdict;
      }
      this.tell(s, strays, line);
      this.publish(s, strays);
    }
    this.lastScanMs = performance.now() - started;
  }

  /** Service log and event stream: new strays once each, a respawning source once per source. */
  private tell(s: Service, strays: FoundStray[], respawnLine: string | null): void {
    const before = this.announced.get(s.id) ?? new Set<string>();
    const fresh = strays.filter((st) => !before.has(st.key));
    this.announced.set(s.id, new Set(strays.map((st) => st.key)));
    if (respawnLine) {
      if (this.respawnTold.get(s.id) !== respawnLine) {
        this.respawnTold.set(s.id, respawnLine);
        s.emitEvent('strays', respawnLine);
      }
      return;
    }
    // Strays that are there yet do not respawn end the old story; an empty moment between a stop
    // and the next copy does not.
    if (strays.length > 0) this.respawnTold.delete(s.id);
    if (fresh.length === 0) return;
    const named = fresh.slice(0, 3).map((st) => `pid ${st.pid} (${clip(st.command, 60)}) ${st.verdict ?? ''}`.trim());
    const more = fresh.length > 3 ? `, and ${fresh.length - 3} more` : '';
    const copies = fresh.length === 1 ? 'a copy' : `${fresh.length} copies`;
    s.emitEvent('strays', `found ${copies} running outside Hypha: ${named.join('; ')}${more} — see hypha strays ${s.id}`);
  }

  /** Sets the service's `strays` and publishes its status, only when something changed. */
  private publish(s: Service, found: FoundStray[]): void {
    const strays: Stray[] = found.map((f) => ({
      pid: f.pid,
      command: f.command,
      startedAt: f.startedAt,
      ancestry: f.ancestry,
      verdict: f.verdict,
      reason: f.reason,
    }));
    if (JSON.stringify(strays) === JSON.stringify(s.strays)) return;
    s.strays = strays;
    // replaceConfig with the same config is the service's way to announce a change of status.
    s.replaceConfig(s.config);
  }
}
