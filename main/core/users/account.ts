// `user: NAME` (SPEC §7): the account a service runs as. Looked up in /etc/passwd at every spawn
// (no native getpwnam in Node), and only honoured when Hypha runs as root: a non-root supervisor
// cannot change user, so it says so instead of running the service as itself.
import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export type AccountResult = { ok: true; account: Account } | { ok: false; error: string };

/** `name:x:uid:gid:gecos:home:shell` lines; a number finds the account by uid. */
export function parsePasswd(text: string, user: string): Account | null {
  const byUid = /^\d+$/.test(user) ? Number(user) : null;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    if (f[0] === user || uid === byUid) return { name: f[0] as string, uid, gid, home: f[5] as string, shell: f[6] as string };
  }
  return null;
}

export function lookupAccount(user: string, passwdFile = '/etc/passwd'): AccountResult {
  let text: string;
  try {
    text = readFileSync(passwdFile, 'utf8');
  } catch (e) {
    return { ok: false, error: `user ${user}: cannot read ${passwdFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const account = parsePasswd(text, user);
  return account ? { ok: true, account } : { ok: false, error: `user ${user}: no such user in ${passwdFile}` };
}

export interface RunAs {
  uid?: number;
  gid?: number;
  /** HOME, USER and LOGNAME of that account, as login and sudo -i set them. */
  env: Record<string, string>;
}

/**
 * What to spawn with for `user:`. The same account as Hypha's own needs nothing; another account
 * needs root (uid 0).
 */
export function runAs(user: string | null, myUid: number | null = process.getuid?.() ?? null): { ok: true; runAs: RunAs } | { ok: false; error: string } {
  if (user === null) return { ok: true, runAs: { env: {} } };
  if (myUid === null) return { ok: false, error: `user ${user}: running as another user is supported on Linux and macOS only` };
  const found = lookupAccount(user);
  if (!found.ok) return found;
  const a = found.account;
  const env = { HOME: a.home, USER: a.name, LOGNAME: a.name };
  if (a.uid === myUid) return { ok: true, runAs: { env } };
  if (myUid !== 0) {
    return { ok: false, error: `user ${user}: Hypha must run as root to start a service as another user (it runs as uid ${myUid})` };
  }
  return { ok: true, runAs: { uid: a.uid, gid: a.gid, env } };
}
