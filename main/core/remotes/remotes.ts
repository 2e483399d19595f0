// The remotes as the local daemon offers them (RemotesControl): the store on disk plus a client
// per call. Listing asks every remote at once with a short timeout, so one slow tunnel delays the
// answer by that timeout at most and never hides the others. Adding checks first that the URL is
// a Hypha (its ping) and that it accepts the token (its status), so nothing unusable is saved.
import { ACTIONS, SERVICE_ID, type Action } from '../../contract/control.js';
import { RemoteError, type RemoteInput, type RemotesControl, type RemoteView, type SecretBox } from '../../contract/remotes.js';
import type { ServiceStatus } from '../../contract/status.js';
import { remoteRequest, type RemoteTarget } from './client.js';
import { plainBox, RemoteStore, type RemoteEntry } from './store.js';
import { checkRemoteInput } from './validate.js';

export interface RemotesOptions {
  file: string;
  box?: SecretBox;
  /** For list and status calls. */
  timeoutMs?: number;
  /** For actions, which a busy remote may take longer to accept. */
  actionTimeoutMs?: number;
  now?: () => Date;
}

export interface Remotes extends RemotesControl {
  /** Said at load (a damaged file moved aside). */
  readonly notes: readonly string[];
}

interface Ping {
  ok?: unknown;
  version?: unknown;
}

function looksLikeStatus(s: unknown): s is ServiceStatus {
  if (s === null || typeof s !== 'object') return false;
  const o = s as Record<string, unknown>;
  return (
    typeof o.id === 'string' && SERVICE_ID.test(o.id) && typeof o.name === 'string' && typeof o.status === 'string' && typeof o.state === 'string' &&
    (o.type === 'daemon' || o.type === 'oneshot') && (o.pid === null || typeof o.pid === 'number') && Array.isArray(o.strays) && Array.isArray(o.dependsOn)
  );
}

export function createRemotes(opts: RemotesOptions): Remotes {
  const store = new RemoteStore(opts.file, opts.box ?? plainBox);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const actionTimeoutMs = opts.actionTimeoutMs ?? 30_000;
  const now = opts.now ?? (() => new Date());
  const versions = new Map<string, string>();

  const target = (e: RemoteEntry): RemoteTarget => {
    if (e.token === null) throw new RemoteError(`${e.name}: ${e.tokenError ?? 'no token'}`, 502);
    return { name: e.name, url: e.url, remotePort: e.remotePort, token: e.token };
  };

  async function ping(t: RemoteTarget): Promise<string> {
    const answer = await remoteRequest<Ping>({ ...t, token: null }, 'GET', '/api/ping', timeoutMs);
    if (answer?.ok !== true || typeof answer.version !== 'string') {
      throw new RemoteError(`${t.url} answered /api/ping but not as Hypha does ({ok: true, version}); is it a Hypha API?`, 502);
    }
    versions.set(t.name, answer.version);
    return answer.version;
  }

  async function statuses(t: RemoteTarget): Promise<ServiceStatus[]> {
    const answer = await remoteRequest<{ services?: unknown }>(t, 'GET', '/api/services/status', timeoutMs);
    if (!Array.isArray(answer?.services)) throw new RemoteError(`${t.name} answered its status without a services list`, 502);
    // Another machine's answer is passed on to the tray and the page: only entries shaped like a
    // status, so a newer or odd remote cannot break what shows them.
    return (answer.services as unknown[]).filter(looksLikeStatus);
  }

  async function view(e: RemoteEntry, warning?: string): Promise<RemoteView> {
    const base = { name: e.name, url: e.url, remotePort: e.remotePort, ...(warning ? { warning } : {}) };
    try {
      const t = target(e);
      const [version, services] = await Promise.all([versions.get(e.name) ?? ping(t), statuses(t)]);
      return { ...base, reachable: true, error: null, version, checkedAt: now().toISOString(), services };
    } catch (err) {
      return { ...base, reachable: false, error: (err as Error).message, version: versions.get(e.name) ?? null, checkedAt: now().toISOString(), services: null };
    }
  }

  const checkId = (id: string): string => {
    if (id !== 'all' && !SERVICE_ID.test(id)) throw new RemoteError(`invalid service id ${JSON.stringify(id.slice(0, 80))}`, 400);
    return id;
  };

  return {
    notes: store.notes,
    list: () => Promise.all(store.list().map((e) => view(e))),
    async add(input: RemoteInput) {
      const checked = checkRemoteInput(input, store.names());
      const t: RemoteTarget = { name: checked.name, url: checked.url, remotePort: checked.remotePort, token: checked.token };
      await ping(t);
      await statuses(t);
      store.add(checked, checked.replace);
      return view(store.find(checked.name), checked.warning);
    },
    async remove(name: string) {
      store.remove(name);
      versions.delete(name);
    },
    services: (name) => statuses(target(store.find(name))),
    async get(name, id) {
      const t = target(store.find(name));
      if (id === 'all' || !SERVICE_ID.test(id)) throw new RemoteError(`invalid service id ${JSON.stringify(id.slice(0, 80))}`, 400);
      return remoteRequest<ServiceStatus>(t, 'GET', `/api/services/${encodeURIComponent(id)}`, timeoutMs);
    },
    async act(name, action: Action, id) {
      const t = target(store.find(name));
      if (!(ACTIONS as readonly string[]).includes(action)) throw new RemoteError(`invalid action ${JSON.stringify(action)}: expected one of ${ACTIONS.join(', ')}`, 400);
      const answer = await remoteRequest<{ service?: ServiceStatus; services?: ServiceStatus[] }>(
        t,
        'POST',
        `/api/services/${encodeURIComponent(checkId(id))}/${action}`,
        actionTimeoutMs,
      );
      return answer.services ?? (answer.service ? [answer.service] : []);
    },
  };
}
