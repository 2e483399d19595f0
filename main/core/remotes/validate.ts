// What a remote may be: a short name that heads its section and tray submenu, an http(s) origin,
// a token, and optionally the port the remote listens on behind a tunnel. Pure: each check throws
// a RemoteError whose message says what to type instead.
import { REMOTE_NAME, RemoteError, type RemoteInput } from '../../contract/remotes.js';

export interface CheckedRemote {
  name: string;
  /** The origin only: `http://127.0.0.1:18765`. */
  url: string;
  token: string;
  remotePort: number | null;
  replace: boolean;
  /** Set when the token would cross a network in clear text. */
  warning?: string;
}

export function checkName(name: unknown, taken: readonly string[] = []): string {
  if (typeof name !== 'string' || !REMOTE_NAME.test(name)) {
    throw new RemoteError(`invalid remote name ${JSON.stringify(name)}: use 1–32 of a-z, 0-9 and -, e.g. "server"`, 400);
  }
  if (taken.includes(name)) throw new RemoteError(`a remote named "${name}" exists already (pick another name, or replace it: hypha remote add --replace)`, 409);
  return name;
}

/** 127.0.0.0/8, ::1 and localhost: the near end of an `ssh -L` tunnel. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function checkUrl(raw: unknown): { url: string; warning?: string } {
  if (typeof raw !== 'string' || raw.trim() === '') throw new RemoteError('give the remote\'s URL, e.g. http://127.0.0.1:18765 (the local end of `ssh -L 18765:127.0.0.1:8780 server`)', 400);
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new RemoteError(`not a URL: ${JSON.stringify(raw.slice(0, 200))} (e.g. http://127.0.0.1:18765)`, 400);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RemoteError(`only http:// and https:// URLs can reach a Hypha (not ${u.protocol})`, 400);
  if (u.username || u.password) throw new RemoteError('put no user or password in the URL; the token goes in its own field', 400);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new RemoteError(`give only the origin, without a path, query or #token: ${u.origin}`, 400);
  }
  const warning =
    u.protocol === 'http:' && !isLoopbackHost(u.hostname)
      ? `${u.host} is not this machine: the token crosses the network unencrypted; prefer an ssh tunnel (ssh -L 18765:127.0.0.1:8780 HOST, then http://127.0.0.1:18765)`
      : undefined;
  return warning ? { url: u.origin, warning } : { url: u.origin };
}

export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new RemoteError("give the remote daemon's token (the \"token\" in its daemon.json, or the #token= part of `hypha open` run there)", 400);
  }
  const t = token.trim();
  if (t.length > 4096 || /[\s\u0000-\u001f]/.test(t)) throw new RemoteError('the token has spaces or control characters; copy it again', 400);
  return t;
}

export function checkPort(port: unknown): number | null {
  if (port === undefined || port === null || port === '') return null;
  const n = typeof port === 'string' ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new RemoteError(`invalid remote port ${JSON.stringify(port)}: a whole number 1–65535 (the port in the remote's daemon.json url)`, 400);
  }
  return n;
}

/** Checks everything a person typed; `taken` are the names already in use. */
export function checkRemoteInput(input: unknown, taken: readonly string[]): CheckedRemote {
  if (input === null || typeof input !== 'object') throw new RemoteError('send a JSON body {"name": "server", "url": "http://127.0.0.1:18765", "token": "…"}', 400);
  const i = input as Partial<Record<keyof RemoteInput, unknown>>;
  const name = checkName(i.name, i.replace === true ? [] : taken);
  const { url, warning } = checkUrl(i.url);
  const token = checkToken(i.token);
  const remotePort = checkPort(i.remotePort);
  return { name, url, token, remotePort, replace: i.replace === true, ...(warning ? { warning } : {}) };
}
