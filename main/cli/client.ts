// The CLI's side of the control API: find the running daemon through $HYPHA_HOME/daemon.json and
// talk to it over HTTP with its token.
import fs from 'node:fs';
import { daemonInfoPath, defaultHome, type DaemonInfo } from '../host/runtime.js';

/** A CLI failure with the SPEC §5 exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export class Client {
  constructor(readonly info: DaemonInfo) {}

  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<Client> {
    const home = defaultHome(env);
    let info: DaemonInfo;
    try {
      info = JSON.parse(fs.readFileSync(daemonInfoPath(home), 'utf8')) as DaemonInfo;
    } catch {
      throw new CliError(`no daemon running (nothing at ${daemonInfoPath(home)}); start one with \`hypha daemon\``, 3);
    }
    const client = new Client(info);
    try {
      const res = await fetch(`${info.url}/api/ping`, { signal: AbortSignal.timeout(3000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch {
      throw new CliError(`no daemon running (the one in ${daemonInfoPath(home)}, pid ${info.pid}, does not answer)`, 3);
    }
    return client;
  }

  async request<T>(method: 'GET' | 'POST', path: string, opts: { timeoutMs?: number; json?: unknown } = {}): Promise<ApiAnswer<T>> {
    let res: Response;
    try {
      const withBody = opts.json !== undefined;
      res = await fetch(`${this.info.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.info.token}`, ...(withBody ? { 'content-type': 'application/json' } : {}) },
        body: withBody ? JSON.stringify(opts.json) : undefined,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new CliError(`the daemon did not answer ${method} ${path}: ${(err as Error).message}`, 3);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body: body as T };
  }

  /** Like request, but a non-2xx answer becomes a CliError naming the daemon's reason. */
  async call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const r = await this.request<T & { error?: string }>(method, path);
    if (r.status >= 200 && r.status < 300) return r.body;
    const msg = typeof r.body === 'object' && r.body && 'error' in r.body ? String(r.body.error) : `HTTP ${r.status}`;
    throw new CliError(msg, r.status === 404 || r.status === 400 ? 2 : 1);
  }
}
