// HyphaApi over the daemon's HTTP API (SPEC §3) for the web dashboard. The live stream is read
// with a streaming fetch because EventSource cannot send the Authorization header, and the
// token must never travel in a query string.
import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import type { ServiceConfig } from '../../../main/contract/config.js';
import type { LogLine, OneshotRun, ServiceStatus, SupervisorEvent, SupervisorMessage } from '../../../main/contract/status.js';
import type { Action, ConnectionListener, HyphaApi, HyphaInfo, MessageListener } from '../../../main/contract/api.js';
import type { RemoteInput, RemoteView } from '../../../main/contract/remotes.js';
import { HyphaRequestError, isAuthError } from './errors.js';
import { nextRetryDelay } from './backoff.js';

/** The requests public/assets/boot.js started before the bundle ran (see there). */
export interface EarlyRequests {
  token: string;
  list: Promise<Response>;
  info: Promise<Response>;
}

export interface HttpApiOptions {
  /** null when the page was opened without one: every call then fails with 401. */
  token: string | null;
  /** Defaults to same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Answers already on their way: the first list() and info() use them instead of asking again. */
  early?: EarlyRequests;
}

/** Thrown inside the SSE client to stop it retrying (a refused token will not get better). */
class StopRetrying extends Error {}
/** Thrown when the server ends the stream, so the client treats it like any drop and retries. */
class StreamClosed extends Error {}

export function createHttpApi(options: HttpApiOptions): HyphaApi {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  function headers(): Record<string, string> {
    return options.token ? { Authorization: `Bearer ${options.token}` } : {};
  }

  // Each early answer serves one call, and only if it was asked with the token in use.
  const early: Partial<Record<'list' | 'info', Promise<Response>>> =
    options.early && options.early.token === options.token ? { list: options.early.list, info: options.early.info } : {};
  function takeEarly(kind: 'list' | 'info'): Promise<Response> | undefined {
    const answer = early[kind];
    delete early[kind];
    return answer;
  }

  async function request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, already?: Promise<Response>, json?: unknown): Promise<T> {
    if (!options.token) throw new HyphaRequestError('This page was opened without an access token.', 401);
    let response: Response;
    try {
      const body = json === undefined ? {} : { body: JSON.stringify(json), headers: { ...headers(), 'Content-Type': 'application/json' } };
      response = await (already ?? doFetch(`${base}${path}`, { method, headers: headers(), cache: 'no-store', ...body }));
    } catch {
      throw new HyphaRequestError('Could not reach the Hypha daemon.', 0);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message =
        body !== null && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
          ? (body as { error: string }).error
          : `The daemon answered ${response.status} ${response.statusText}`.trim();
      throw new HyphaRequestError(message, response.status);
    }
    return body as T;
  }

  const serviceUrl = (id: string): string => `/api/services/${encodeURIComponent(id)}`;
  const remoteUrl = (name: string): string => `/api/remotes/${encodeURIComponent(name)}`;

  return {
    async list() {
      return (await request<{ services: ServiceStatus[] }>('GET', '/api/services/status', takeEarly('list'))).services;
    },
    async act(action: Action, id: string) {
      const answer = await request<{ service?: ServiceStatus; services?: ServiceStatus[] }>(
        'POST',
        `${serviceUrl(id)}/${action}`,
      );
      return answer.services ?? (answer.service ? [answer.service] : []);
    },
    async stopStrays(id: string) {
      return (await request<{ stopped: number[] }>('POST', `${serviceUrl(id)}/strays/stop`)).stopped;
    },
    async logs(id: string, lines: number) {
      return (await request<{ lines: LogLine[] }>('GET', `${serviceUrl(id)}/logs?lines=${lines}`)).lines;
    },
    async events(id: string) {
      return (await request<{ events: SupervisorEvent[] }>('GET', `${serviceUrl(id)}/events`)).events;
    },
    async runs(id: string) {
      return (await request<{ runs: OneshotRun[] }>('GET', `${serviceUrl(id)}/runs`)).runs;
    },
    settings(id: string) {
      return request<ServiceConfig>('GET', `${serviceUrl(id)}/config`);
    },
    info() {
      return request<HyphaInfo>('GET', '/api/info', takeEarly('info'));
    },
    remotes: {
      async list() {
        return (await request<{ remotes: RemoteView[] }>('GET', '/api/remotes')).remotes;
      },
      async add(input: RemoteInput) {
        return (await request<{ remote: RemoteView }>('POST', '/api/remotes', undefined, input)).remote;
      },
      async remove(name: string) {
        await request<{ ok: boolean }>('DELETE', remoteUrl(name));
      },
      async act(name: string, action: Action, id: string) {
        const answer = await request<{ service?: ServiceStatus; services?: ServiceStatus[] }>(
          'POST',
          `${remoteUrl(name)}/services/${encodeURIComponent(id)}/${action}`,
        );
        return answer.services ?? (answer.service ? [answer.service] : []);
      },
    },
    subscribe(onMessage: MessageListener, onConnection?: ConnectionListener) {
      return openStream(`${base}/api/events`, options.token, doFetch, onMessage, onConnection);
    },
  };
}

function openStream(
  url: string,
  token: string | null,
  doFetch: typeof fetch,
  onMessage: MessageListener,
  onConnection: ConnectionListener | undefined,
): () => void {
  const controller = new AbortController();
  let failures = 0;
  const report: ConnectionListener = (info) => {
    if (!controller.signal.aborted) onConnection?.(info);
  };

  if (!token) {
    report({ state: 'unauthorized', message: 'This page was opened without an access token.' });
    return () => controller.abort();
  }

  report({ state: 'connecting' });
  fetchEventSource(url, {
    signal: controller.signal,
    headers: { Authorization: `Bearer ${token}` },
    fetch: doFetch,
    // A hidden tab keeps its stream: reconnecting on every tab switch would drop messages.
    openWhenHidden: true,
    async onopen(response) {
      if (response.ok && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        failures = 0;
        report({ state: 'open' });
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      const message = typeof body?.error === 'string' ? body.error : `The daemon answered ${response.status}`;
      const error = new HyphaRequestError(message, response.status);
      throw isAuthError(error) ? new StopRetrying(message) : error;
    },
    onmessage(event: EventSourceMessage) {
      const message = parseMessage(event);
      if (message) onMessage(message);
    },
    onclose() {
      throw new StreamClosed('The daemon closed the live stream.');
    },
    onerror(error: unknown) {
      if (error instanceof StopRetrying) {
        report({ state: 'unauthorized', message: error.message });
        throw error;
      }
      const delay = nextRetryDelay(failures++);
      const reason = error instanceof StreamClosed || error instanceof HyphaRequestError ? error.message : 'Lost the connection to the Hypha daemon.';
      report({ state: 'retrying', retryInMs: delay, message: reason });
      return delay;
    },
  }).catch(() => {
    // Rejects only after StopRetrying, which has already been reported.
  });
  return () => controller.abort();
}

function parseMessage(event: EventSourceMessage): SupervisorMessage | null {
  if (event.event !== 'status' && event.event !== 'log' && event.event !== 'event') return null;
  try {
    return { type: event.event, data: JSON.parse(event.data) } as SupervisorMessage;
  } catch {
    return null;
  }
}
