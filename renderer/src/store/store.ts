// The dashboard's state (zustand, framework-free so it is testable without React). Everything
// the supervisor says arrives through one HyphaApi; live messages are applied once per frame.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServiceConfig } from '../../../main/contract/config.js';
import type { LogLine, OneshotRun, ServiceStatus, SupervisorEvent, SupervisorMessage } from '../../../main/contract/status.js';
import type { Action, ConnectionInfo, HyphaApi, HyphaInfo } from '../../../main/contract/api.js';
import { isAuthError, toHyphaError } from '../transport/errors.js';
import { nextRetryDelay } from '../transport/backoff.js';
import { createBatcher, type Batcher, type Schedule } from './frame.js';
import { appendSample, SAMPLE_EVERY_MS, type MetricHistory } from './history.js';
import { EVENTS_KEPT, LOG_LINES_KEPT, mergeEvents, mergeLines, sameFacts } from './merge.js';
import type { Filter } from './selectors.js';

export type Phase = 'loading' | 'ready' | 'unreachable' | 'unauthorized';

export interface ServiceEntry {
  status: ServiceStatus;
  /** When this status arrived: uptime ticks on from here. */
  receivedAt: number;
}

export interface DetailState {
  id: string;
  lines: LogLine[];
  /** Lines ever dropped from the front to respect the cap; a paused log viewer keeps its place with it. */
  dropped: number;
  events: SupervisorEvent[];
  settings: ServiceConfig | null;
  /** A oneshot's last runs, oldest first; null for a daemon or until they are in. */
  runs: OneshotRun[] | null;
  loading: boolean;
  error: string | null;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export type Pending = Action | 'strays';

export interface HyphaState {
  phase: Phase;
  /** Why the app is not `ready`, in words for the person looking at it. */
  problem: string | null;
  /** When `unreachable`: the time of the next automatic attempt. */
  retryAt: number | null;
  connection: ConnectionInfo;
  info: HyphaInfo | null;
  order: string[];
  services: Record<string, ServiceEntry>;
  history: Record<string, MetricHistory>;
  /** By service id, or 'all' for the bulk actions. */
  pending: Record<string, Pending>;
  notices: Record<string, Notice>;
  filter: Filter;
  detail: DetailState | null;
}

export interface HyphaActions {
  /** Subscribes to the live stream and loads the list; returns the disconnect. */
  connect(): () => void;
  load(): Promise<void>;
  act(action: Action, id: string): Promise<void>;
  stopStrays(id: string): Promise<void>;
  dismiss(id: string): void;
  setFilter(patch: Partial<Filter>): void;
  openDetail(id: string): void;
  closeDetail(): void;
  /** Polls CPU and memory (the stream carries state changes only), then samples the sparklines. */
  refreshMetrics(): Promise<void>;
  sampleMetrics(): void;
}

export interface HyphaStore {
  store: StoreApi<HyphaState>;
  actions: HyphaActions;
  /** For what lives outside the store (the remotes section polls on its own). */
  api?: HyphaApi;
}

export interface StoreOptions {
  schedule?: Schedule;
  now?: () => number;
  /**
   * Ask for the service list now, at creation, instead of after React's first render: the page
   * then downloads, parses and paints its first frame while the answer is on its way.
   */
  prefetch?: boolean;
}

export const LOG_LINES_FETCHED = 2_000;

const VERBS: Record<Pending, string> = { start: 'start', stop: 'stop', restart: 'restart', run: 'run', strays: 'stop the strays of' };

export function initialState(): HyphaState {
  return {
    phase: 'loading',
    problem: null,
    retryAt: null,
    connection: { state: 'connecting' },
    info: null,
    order: [],
    services: {},
    history: {},
    pending: {},
    notices: {},
    filter: { text: '', status: 'all' },
    detail: null,
  };
}

export function createHyphaStore(api: HyphaApi, options: StoreOptions = {}): HyphaStore {
  const now = options.now ?? Date.now;
  const store = createStore<HyphaState>()(() => initialState());
  const { getState: get, setState: set } = store;

  let loadSeq = 0;
  let loadFailures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let detailSeq = 0;
  let polling = false;
  // The first load uses the answers asked for at creation (see StoreOptions.prefetch).
  let primed: { list: Promise<ServiceStatus[]>; info: Promise<HyphaInfo> } | null = null;
  /** The prefetched list once it has been shown, so the first load() does not apply it twice. */
  let shownEarly: ServiceStatus[] | null = null;
  if (options.prefetch) {
    primed = { list: api.list(), info: api.info() };
    // Whoever consumes them reports failures; an unconsumed rejection must not be "unhandled".
    primed.list.catch(() => undefined);
    primed.info.catch(() => undefined);
    // Shown the moment it is in, not when React's first effects run: when the answer beats the
    // bundle (public/assets/boot.js asked for it), React's first render is already the list and
    // there is no loading screen to render, lay out and replace.
    primed.list.then(
      (list) => {
        if (loadSeq !== 0 || get().phase !== 'loading') return;
        shownEarly = list;
        showList(list);
      },
      () => undefined,
    );
  }

  // One per connection: a disconnect drops what is queued, a reconnect (React StrictMode runs
  // effects twice in development) starts a fresh queue.
  let batcher: Batcher<SupervisorMessage> | null = null;

  function applyMessages(messages: SupervisorMessage[]): void {
    const state = get();
    const at = now();
    let services = state.services;
    let order = state.order;
    let history = state.history;
    const detail = state.detail;
    const lines: LogLine[] = [];
    const events: SupervisorEvent[] = [];
    let configReloaded = false;
    let runEnded = false;

    for (const message of messages) {
      if (message.type === 'status') {
        const status = message.data;
        if (services === state.services) services = { ...services };
        if (!(status.id in services)) {
          if (order === state.order) order = [...order];
          order.push(status.id);
          if (history === state.history) history = { ...history };
          history[status.id] = appendSample(undefined, status);
        }
        const before = services[status.id]?.status;
        // A oneshot whose run just ended (or began) has a new entry in its history.
        if (detail?.id === status.id && status.type === 'oneshot' && before && before.state !== status.state) runEnded = true;
        services[status.id] = { status, receivedAt: at };
      } else if (message.type === 'log') {
        if (detail?.id === message.data.id) lines.push(message.data.line);
      } else {
        if (message.data.kind === 'reload') configReloaded = true;
        if (detail?.id === message.data.id) events.push(message.data);
      }
    }

    const patch: Partial<HyphaState> = {};
    if (services !== state.services) Object.assign(patch, { services, order, history });
    if (detail && (lines.length > 0 || events.length > 0)) {
      patch.detail = appendToDetail(detail, lines, events);
    }
    if (Object.keys(patch).length > 0) set(patch);
    // Services may have been added or removed: the list is the only place that says which.
    if (configReloaded) void load();
    if (runEnded && detail) void refreshRuns(detail.id);
  }

  async function refreshRuns(id: string): Promise<void> {
    const seq = detailSeq;
    try {
      const runs = await api.runs(id);
      const current = get().detail;
      if (seq === detailSeq && current?.id === id) set({ detail: { ...current, runs } });
    } catch {
      // The detail view keeps the history it has; the next change tries again.
    }
  }

  function appendToDetail(detail: DetailState, lines: LogLine[], events: SupervisorEvent[]): DetailState {
    let nextLines = detail.lines;
    let dropped = detail.dropped;
    if (lines.length > 0) {
      nextLines = detail.lines.concat(lines);
      const excess = nextLines.length - LOG_LINES_KEPT;
      if (excess > 0) {
        nextLines = nextLines.slice(excess);
        dropped += excess;
      }
    }
    let nextEvents = detail.events;
    if (events.length > 0) {
      nextEvents = detail.events.concat(events);
      if (nextEvents.length > EVENTS_KEPT) nextEvents = nextEvents.slice(nextEvents.length - EVENTS_KEPT);
    }
    return { ...detail, lines: nextLines, dropped, events: nextEvents };
  }

  /** Applies statuses from an action's answer, unless the live stream already said something newer. */
  function applyAnswer(statuses: ServiceStatus[], askedAt: number): void {
    const state = get();
    const services = { ...state.services };
    let changed = false;
    for (const status of statuses) {
      const known = services[status.id];
      if (known && known.receivedAt > askedAt) continue;
      services[status.id] = { status, receivedAt: now() };
      changed = true;
    }
    if (changed) set({ services });
  }

  /**
   * CPU and memory change without a state change, so the stream does not carry them: a light
   * poll of the list does. Statuses the stream delivered since the poll was sent win, and
   * entries whose facts did not change keep their identity so their rows do not re-render.
   */
  async function pollMetrics(): Promise<void> {
    const state = get();
    if (polling || state.phase !== 'ready' || state.connection.state !== 'open') return;
    polling = true;
    const askedAt = now();
    try {
      const list = await api.list();
      const current = get().services;
      let services: Record<string, ServiceEntry> | null = null;
      for (const status of list) {
        const known = current[status.id];
        if (!known || known.receivedAt > askedAt || sameFacts(known.status, status)) continue;
        services ??= { ...current };
        services[status.id] = { status, receivedAt: now() };
      }
      if (services) set({ services });
    } catch {
      // The connection banner or the next load reports a daemon that has gone.
    } finally {
      polling = false;
    }
  }

  function refuse(message: string): void {
    clearTimeout(retryTimer);
    set({ phase: 'unauthorized', problem: message, retryAt: null });
  }

  function scheduleRetry(): void {
    clearTimeout(retryTimer);
    const delay = nextRetryDelay(loadFailures++);
    set({ retryAt: now() + delay });
    retryTimer = setTimeout(() => void load(), delay);
  }

  /** The whole list as the daemon answered it: the overview's truth from here on. */
  function showList(list: ServiceStatus[]): void {
    const at = now();
    const state = get();
    const services: Record<string, ServiceEntry> = {};
    const history: Record<string, MetricHistory> = {};
    for (const status of list) {
      services[status.id] = { status, receivedAt: at };
      history[status.id] = state.history[status.id] ?? appendSample(undefined, status);
    }
    set({ phase: 'ready', problem: null, retryAt: null, order: list.map((s) => s.id), services, history });
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    clearTimeout(retryTimer);
    try {
      const first = primed;
      primed = null;
      // The header's version and config path are not worth holding the list back for.
      void loadInfo(first?.info ?? api.info(), seq);
      const list = await (first?.list ?? api.list());
      if (seq !== loadSeq || get().phase === 'unauthorized') return;
      batcher?.flush();
      loadFailures = 0;
      // Already on screen (see prefetch); what the stream said since is newer and stays.
      if (list === shownEarly) {
        shownEarly = null;
        return;
      }
      showList(list);
    } catch (thrown) {
      if (seq !== loadSeq) return;
      const error = toHyphaError(thrown);
      if (isAuthError(error)) return refuse(error.message);
      if (get().phase === 'ready') {
        // Keep showing what we have; the connection banner already says the daemon is gone.
        scheduleRetry();
        return;
      }
      set({ phase: 'unreachable', problem: error.message });
      scheduleRetry();
    }
  }

  async function loadInfo(answer: Promise<HyphaInfo>, seq: number): Promise<void> {
    try {
      const info = await answer;
      if (seq === loadSeq) set({ info });
    } catch {
      // The list's own request says what is wrong with the daemon; the header just stays short.
    }
  }

  function onConnection(info: ConnectionInfo): void {
    const previous = get().connection.state;
    if (info.state === 'unauthorized') {
      set({ connection: info });
      refuse(info.message ?? 'The daemon did not accept this dashboard’s token.');
      return;
    }
    set({ connection: info });
    const phase = get().phase;
    // Messages were missed while the stream was down: the list is the truth to resync from.
    if (info.state === 'open' && (phase === 'unreachable' || (phase === 'ready' && previous === 'retrying'))) {
      void load();
    }
  }

  async function runPending(id: string, kind: Pending, work: () => Promise<string | null>): Promise<void> {
    if (get().pending[id]) return; // one at a time per service; the button is disabled meanwhile
    const notices = { ...get().notices };
    delete notices[id];
    set({ pending: { ...get().pending, [id]: kind }, notices });
    let notice: Notice | null = null;
    try {
      const info = await work();
      if (info) notice = { kind: 'info', text: info };
    } catch (thrown) {
      const error = toHyphaError(thrown);
      const name = id === 'all' ? 'all services' : (get().services[id]?.status.name ?? id);
      notice = { kind: 'error', text: `Could not ${VERBS[kind]} ${name}: ${error.message}` };
      if (isAuthError(error)) refuse(error.message);
    } finally {
      const pending = { ...get().pending };
      delete pending[id];
      set(notice ? { pending, notices: { ...get().notices, [id]: notice } } : { pending });
    }
  }

  const actions: HyphaActions = {
    connect() {
      const queue = createBatcher<SupervisorMessage>(applyMessages, options.schedule);
      batcher = queue;
      const unsubscribe = api.subscribe((message) => queue.push(message), onConnection);
      void load();
      const sampler = setInterval(() => void actions.refreshMetrics(), SAMPLE_EVERY_MS);
      return () => {
        unsubscribe();
        queue.dispose();
        if (batcher === queue) batcher = null;
        clearInterval(sampler);
        clearTimeout(retryTimer);
        loadSeq++;
      };
    },

    load,

    act(action, id) {
      return runPending(id, action, async () => {
        const askedAt = now();
        applyAnswer(await api.act(action, id), askedAt);
        return null;
      });
    },

    stopStrays(id) {
      return runPending(id, 'strays', async () => {
        const stopped = await api.stopStrays(id);
        const entry = get().services[id];
        if (entry) {
          const gone = new Set(stopped);
          const status = { ...entry.status, strays: entry.status.strays.filter((s) => !gone.has(s.pid)) };
          set({ services: { ...get().services, [id]: { ...entry, status } } });
        }
        if (stopped.length === 0) return 'No strays were left to stop.';
        return `Stopped ${stopped.length === 1 ? '1 stray process' : `${stopped.length} stray processes`} (pid ${stopped.join(', ')}).`;
      });
    },

    dismiss(id) {
      const notices = { ...get().notices };
      delete notices[id];
      set({ notices });
    },

    setFilter(patch) {
      set({ filter: { ...get().filter, ...patch } });
    },

    openDetail(id) {
      if (get().detail?.id === id) return;
      const seq = ++detailSeq;
      set({ detail: { id, lines: [], dropped: 0, events: [], settings: null, runs: null, loading: true, error: null } });
      void Promise.allSettled([
        api.logs(id, LOG_LINES_FETCHED),
        api.events(id),
        api.settings(id),
        // Asked for every service (a daemon's is empty): the list may not be in yet to say which is a oneshot.
        api.runs(id),
      ]).then(
        ([logs, events, settings, runs]) => {
          const current = get().detail;
          if (seq !== detailSeq || !current) return;
          const failure = [logs, events, settings, runs].find((r): r is PromiseRejectedResult => r.status === 'rejected');
          set({
            detail: {
              ...current,
              lines: logs.status === 'fulfilled' ? mergeLines(logs.value, current.lines) : current.lines,
              events: events.status === 'fulfilled' ? mergeEvents(events.value, current.events) : current.events,
              settings: settings.status === 'fulfilled' ? settings.value : null,
              runs: runs.status === 'fulfilled' ? (current.runs ?? runs.value) : current.runs,
              loading: false,
              error: failure ? toHyphaError(failure.reason).message : null,
            },
          });
        },
      );
    },

    closeDetail() {
      detailSeq++;
      set({ detail: null });
    },

    async refreshMetrics() {
      await pollMetrics();
      actions.sampleMetrics();
    },

    sampleMetrics() {
      const state = get();
      const history: Record<string, MetricHistory> = {};
      for (const id of state.order) {
        const entry = state.services[id];
        if (entry) history[id] = appendSample(state.history[id], entry.status);
      }
      set({ history });
    },
  };

  return { store, actions, api };
}
