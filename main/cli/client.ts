// The CLI's side of the control API: find the running daemon through $HYPHA_HOME/daemon.json and
// talk to it over HTTP with its token. A daemon whose process lives but does not answer (a busy
// machine, a stopped process) is "not answering (pid N)", never "no daemon running": the ping
// waits PING_TIMEOUT_MS before saying so, and a daemon whose pid is gone is said at once.
import { daemonInfoPath, defaultHome, readDaemonInfo, type DaemonInfo } from '../host/daemon-info.js';

/** A CLI failure with the SPEC §5 exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
  }
}

/** How long the first ping may take: a daemon on a loaded machine can be slow, not gone. */
export const PING_TIMEOUT_MS = 10_000;

/** Whether a process with this pid exists (EPERM: it does, and is someone else's). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
      info = readDaemonInfo(home);
    } catch {
      throw new CliError(`no daemon running (nothing at ${daemonInfoPath(home)}); start one with \`hypha daemon\``, 3);
    }
    const client = new Client(info);
    if (!pidAlive(info.pid)) {
      throw new CliError(`no daemon running (pid ${info.pid} in ${daemonInfoPath(home)} is gone); start one with \`hypha daemon\``, 3);
    }
    try {
      const res = await fetch(`${info.url}/api/ping`, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch {
      if (pidAlive(info.pid)) {
        throw new CliError(`daemon not answering (pid ${info.pid}): no reply in ${PING_TIMEOUT_MS / 1000}s; it may be busy or stopped (kill -CONT ${info.pid})`, 3);
      }
      throw new CliError(`no daemon running (pid ${info.pid} in ${daemonInfoPath(home)} is gone); start one with \`hypha daemon\``, 3);
    }
    return client;
  }

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, opts: { timeoutMs?: number; json?: unknown } = {}): Promise<ApiAnswer<T>> {
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
      const why = (err as Error).name === 'TimeoutError' ? 'no reply in time' : (err as Error).message;
      throw new CliError(`daemon not answering (pid ${this.info.pid}) to ${method} ${path}: ${why}`, 3);
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
