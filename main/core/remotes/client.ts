// One HTTP call to a remote Hypha's API with its token. node:http rather than fetch because the
// Host header must be chosen: behind `ssh -L 18765:127.0.0.1:8780` the remote only answers a Host
// naming its own port (8780), not the tunnel's. Every failure becomes a RemoteError that says what
// went wrong in words a person can act on: unreachable, no answer in time, token refused, Host
// refused, or not a Hypha at all.
import http from 'node:http';
import https from 'node:https';
import { RemoteError } from '../../contract/remotes.js';

export interface RemoteTarget {
  name: string;
  url: string;
  remotePort: number | null;
  /** null for the one call that needs none (`GET /api/ping`). */
  token: string | null;
}

/** The most a remote's answer may weigh; a status list of hundreds of services is far below. */
const MAX_ANSWER = 16 * 1024 * 1024;

/** The Host header the remote expects: its own loopback address and port. */
export function hostHeader(t: Pick<RemoteTarget, 'url' | 'remotePort'>): string {
  const u = new URL(t.url);
  return t.remotePort !== null ? `127.0.0.1:${t.remotePort}` : u.host;
}

function describeNetworkError(t: RemoteTarget, err: NodeJS.ErrnoException): string {
  const where = `${t.name} at ${t.url}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `cannot reach ${where}: connection refused (is the ssh tunnel open, e.g. ssh -L ${new URL(t.url).port || 80}:127.0.0.1:${t.remotePort ?? 8780} HOST, and Hypha running there?)`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `cannot reach ${where}: the connection was cut (the tunnel may have closed)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${where}: no such host ${new URL(t.url).hostname}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where}: no route to the host`;
    default:
      return `cannot reach ${where}: ${err.message}`;
  }
}

/** Maps the remote's refusal onto what the person should do, and onto a status that is not our own 401/403. */
function describeRefusal(t: RemoteTarget, status: number, message: string): RemoteError {
  if (status === 401) {
    return new RemoteError(
      `${t.name} refused the token (HTTP 401): use the token from its daemon.json or the #token= of \`hypha open\` run there; a new one is made each time its daemon starts`,
      502,
    );
  }
  if (status === 403) {
    return new RemoteError(
      `${t.name} refused the Host ${hostHeader(t)} (HTTP 403): behind a tunnel, give the port Hypha listens on there (the port of the url in its daemon.json) as the remote port`,
      502,
    );
  }
  if (status === 400 || status === 404 || status === 409) return new RemoteError(`${t.name}: ${message}`, status);
  return new RemoteError(`${t.name} answered HTTP ${status}: ${message}`, 502);
}

export function remoteRequest<T>(t: RemoteTarget, method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<T> {
  const u = new URL(path, t.url);
  const lib = u.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { host: hostHeader(t), accept: 'application/json' };
  if (t.token !== null) headers.authorization = `Bearer ${t.token}`;
  if (method === 'POST') headers['content-length'] = '0';
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const fail = (e: RemoteError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new RemoteError(`${t.name} at ${t.url} did not answer ${method} ${path} in ${timeoutMs / 1000}s`, 504)), timeoutMs);
    const req = lib.request(u, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER) fail(new RemoteError(`${t.name} sent an answer larger than ${MAX_ANSWER} bytes`, 502));
        else chunks.push(c);
      });
      res.on('error', (err) => fail(new RemoteError(describeNetworkError(t, err), 502)));
      res.on('end', () => {
        if (settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return fail(new RemoteError(`${t.url} answered HTTP ${res.statusCode ?? 0} but not with JSON: is it a Hypha API? (${JSON.stringify(text.slice(0, 80))})`, 502));
        }
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const said = body !== null && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `HTTP ${status}`;
          return fail(describeRefusal(t, status, said));
        }
        settled = true;
        clearTimeout(timer);
        resolve(body as T);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(new RemoteError(describeNetworkError(t, err), 502)));
    req.end();
  });
}
