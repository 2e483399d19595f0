// The control API (SPEC §3): HTTP on 127.0.0.1 only, Host check, bearer token, JSON errors,
// SSE, /metrics, and the dashboard's static files. A thin adapter: every answer comes from the
// SupervisorControl; it holds no service state of its own.
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CommandError, SERVICE_ID, type Action, type SupervisorControl } from '../contract/control.js';
import { formatConfigError } from '../contract/config.js';
import { RemoteError, type RemotesControl } from '../contract/remotes.js';
import type { Disposable, ServiceStatus } from '../contract/status.js';
import { routeRemotes } from './remotes.js';
import { SseHub } from './sse.js';
import { resolveStatic, sendStatic } from './static.js';

export interface ApiOptions {
  port: number;
  token: string;
  /** Folder of the built dashboard (renderer/dist); null serves a short note instead. */
  staticDir: string | null;
  home?: string;
  /** A second Hypha and more (`/api/remotes`); absent, those routes answer 404. */
  remotes?: RemotesControl;
}

export interface ApiServer extends Disposable {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** How much of an oversized body is read and dropped before the connection is cut. */
const MAX_DISCARD = 64 * 1024 * 1024;
const ACTIONS = new Set<Action>(['start', 'stop', 'restart', 'run']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function tokensMatch(given: string, token: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Reads (and bounds) a request body. The API's commands take none; a sender may still send one,
 * which must then at least be JSON, so garbage never passes for a command.
 *
 * Past the limit the rest is read and dropped, and the 413 goes out once the sender is done: a
 * socket closed while the sender still writes resets, and the reset can wipe the 413 before it is
 * read. Only a sender that keeps going far past the limit is cut off.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): HttpError => new HttpError(413, `request body too large (limit ${MAX_BODY} bytes)`);
    let size = 0;
    let over = Number(req.headers['content-length'] ?? 0) > MAX_BODY;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (!over && size > MAX_BODY) {
        over = true;
        chunks.length = 0;
      }
      if (!over) {
        chunks.push(c);
        return;
      }
      if (size > MAX_DISCARD) {
        reject(tooLarge());
        req.destroy();
      }
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

async function readEmptyOrJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not JSON (these routes take no body; send none)');
  }
}

export function startApiServer(sup: SupervisorControl, opts: ApiOptions): Promise<ApiServer> {
  const hub = new SseHub(sup);
  // The last config change applied, and by whom, so `hypha reload` right after the file watcher
  // applied a save can say so instead of "nothing changed".
  // Every change is the watcher's (or SIGHUP's) until an API reload finds its own answer was it:
  // reading the config takes a while (a child process), so an API reload may wait its turn
  // behind the watcher's, and "an API reload is pending" does not say whose change it was.
  let lastApplied: { at: string; message: string; by: 'api' | 'file watcher' } | null = null;
  const reloads = sup.subscribe((m) => {
    // A reload that changed nothing is no news: the last one that did stays the answer.
    if (m.type === 'event' && m.data.kind === 'reload' && m.data.id === '' && !m.data.message.endsWith(': 0 added, 0 removed, 0 changed')) {
      lastApplied = { at: m.data.ts, message: m.data.message, by: 'file watcher' };
    }
    // Reload events only: a log listener would make every service's output into line objects
    // for nobody (the supervisor skips that work only while no one listens for lines).
  }, { logs: false });
  let port = opts.port;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  let hosts = allowedHosts();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) send(res, err.status, { error: err.message });
      else if (err instanceof CommandError || err instanceof RemoteError) send(res, err.status, { error: err.message });
      else send(res, 500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // SPEC §6: the Host check comes first and covers every route, /api/ping too.
    if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) throw new HttpError(403, 'forbidden host');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      throw new HttpError(400, 'bad request URL');
    }
    // Browsers resolve dot segments before sending; a path that still has them is a probe.
    if (hasDotSegment(req.url ?? '/')) throw new HttpError(400, 'path with . or .. segments');
    const method = req.method ?? 'GET';
    const p = url.pathname;

    if (p === '/api/ping') {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      return send(res, 200, { ok: true, version: sup.version });
    }
    const isApi = p.startsWith('/api/') || p === '/api' || p === '/metrics';
    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed');
      return serveStatic(p, req, res);
    }
    const auth = String(req.headers.authorization ?? '');
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m || !tokensMatch(m[1] as string, opts.token)) throw new HttpError(401, 'missing or wrong bearer token');

    if (p === '/metrics') {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      const text = sup.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    const parts = p.split('/').slice(2); // after "", "api"
    const body = method === 'POST' ? await readEmptyOrJsonBody(req) : undefined;

    if (parts[0] === 'events' && parts.length === 1) {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      hub.attach(req, res);
      return;
    }
    if (parts[0] === 'info' && parts.length === 1) {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      return send(res, 200, { version: sup.version, configFile: sup.configFile, profile: sup.profile, pid: process.pid, home: opts.home ?? null });
    }
    if (parts[0] === 'reload' && parts.length === 1) {
      if (method !== 'POST') throw new HttpError(405, 'method not allowed');
      const before = lastApplied;
      const out = await sup.reload();
      if (!out.ok) return send(res, 400, { error: 'invalid config; nothing was changed', errors: out.errors.map(formatConfigError) });
      // Reloads take turns, so the change applied last, when this one changed something, is its own.
      const own = out.added.length + out.removed.length + out.changed.length > 0;
      if (own && lastApplied) lastApplied = { ...lastApplied, by: 'api' };
      // When it found nothing to do, the change applied last (perhaps while it waited) says why.
      const previous = own ? before : lastApplied;
      return send(res, 200, { added: out.added, removed: out.removed, changed: out.changed, previous });
    }
    if (parts[0] === 'strays' && parts.length === 1) {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      const id = url.searchParams.get('id') ?? undefined;
      if (id !== undefined && !SERVICE_ID.test(id)) throw new HttpError(404, `unknown service: ${id.slice(0, 80)}`);
      return send(res, 200, { services: await sup.scanStrays(id) });
    }
    if (parts[0] === 'remotes' && opts.remotes) {
      const answer = await routeRemotes(opts.remotes, method, parts.slice(1).map(decodeURIComponentSafe), body);
      return send(res, answer.status, answer.body);
    }
    if (parts[0] !== 'services') throw new HttpError(404, `no such route: ${p}`);
    if (parts[1] === 'status' && parts.length === 2) {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      return send(res, 200, { services: sup.list(), timestamp: new Date().toISOString() });
    }
    const id = decodeURIComponentSafe(parts[1] ?? '');
    if (id !== 'all' && !SERVICE_ID.test(id)) throw new HttpError(404, `unknown service: ${id.slice(0, 80)}`);
    const rest = parts.slice(2).join('/');

    if (rest === '' && method === 'GET') return send(res, 200, sup.get(id));
    if (rest === 'logs' && method === 'GET') {
      const n = url.searchParams.has('lines') ? Number(url.searchParams.get('lines')) : 100;
      if (!Number.isInteger(n) || n < 0) throw new HttpError(400, 'lines must be a whole number ≥ 0');
      return send(res, 200, { lines: sup.logs(id, Math.min(n, 10_000)) });
    }
    if (rest === 'events' && method === 'GET') return send(res, 200, { events: sup.events(id) });
    if (rest === 'runs' && method === 'GET') return send(res, 200, { runs: sup.runs(id) });
    if (rest === 'config' && method === 'GET') return send(res, 200, sup.settings(id));
    if (rest === 'strays/stop') {
      if (method !== 'POST') throw new HttpError(405, 'method not allowed');
      if (id === 'all') throw new HttpError(400, 'strays/stop takes one service id');
      // `?spare=PID`: the CLI's own pid, so it and its shell are never ended. It can only narrow
      // what is ended, never widen it, so no caller can turn it against a process.
      const spare = url.searchParams.getAll('spare').map(Number).filter((n) => Number.isInteger(n) && n > 1);
      return send(res, 200, { stopped: await sup.stopStrays(id, spare) });
    }
    if (rest === 'signal' || rest === 'reload') {
      if (method !== 'POST') throw new HttpError(405, 'method not allowed');
      if (id === 'all') throw new HttpError(400, `${rest} takes one service id`);
      let statuses: ServiceStatus[];
      if (rest === 'reload') statuses = await sup.reloadService(id);
      else {
        const b = body !== null && typeof body === 'object' ? (body as { signal?: unknown; group?: unknown }) : {};
        if (typeof b.signal !== 'string') throw new HttpError(400, 'send a JSON body {"signal": "HUP"} (and "group": true for the whole process group)');
        statuses = await sup.signal(id, b.signal, b.group === true);
      }
      return send(res, 200, { ok: true, service: statuses[0], services: statuses });
    }
    if (ACTIONS.has(rest as Action)) {
      if (method !== 'POST') throw new HttpError(405, 'method not allowed');
      const statuses = await sup.act(rest as Action, id);
      if (id === 'all') return send(res, 200, { ok: true, services: statuses });
      return send(res, 200, { ok: true, service: statuses[0] });
    }
    if (['', 'logs', 'events', 'runs', 'config'].includes(rest)) throw new HttpError(405, 'method not allowed');
    throw new HttpError(404, `no such route: ${p}`);
  }

  function serveStatic(p: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const answer = resolveStatic(opts.staticDir, p, String(req.headers['accept-encoding'] ?? ''));
    if (answer.kind === 'not-built') {
      if (p !== '/' && p !== '/index.html') throw new HttpError(404, 'not found');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Hypha is running. The dashboard is not built: run `npm run build:renderer`.\n');
      return;
    }
    if (answer.kind === 'bad-encoding') throw new HttpError(400, 'bad percent-encoding in path');
    if (answer.kind === 'not-found') throw new HttpError(404, 'not found');
    sendStatic(answer, res);
  }

  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'EADDRINUSE' ? `API port ${opts.port} is in use (set api.port in hypha.yaml, or 0 for any free port)` : `cannot listen on 127.0.0.1:${opts.port}: ${err.message}`));
    });
    server.listen(opts.port, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      hosts = allowedHosts();
      const url = `http://127.0.0.1:${port}`;
      const close = (): Promise<void> =>
        new Promise<void>((r) => {
          hub.dispose();
          reloads.dispose();
          server.close(() => r());
          server.closeAllConnections();
        });
      resolve({ url, port, close, dispose: () => void close() });
    });
  });
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'bad percent-encoding in path');
  }
}

/** Whether any segment of the raw request path is `.` or `..`, also percent-encoded or joined by an encoded slash or a backslash. */
function hasDotSegment(rawUrl: string): boolean {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  for (const segment of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      decoded = segment;
    }
    if (decoded.split(/[/\\]/).some((part) => part === '.' || part === '..')) return true;
  }
  return false;
}
