// Small file helpers for HYPHA_HOME. Writes go to a fresh, unguessable temp name created with
// O_EXCL|O_NOFOLLOW (a link planted under that name cannot capture what we write) and are then
// renamed into place; a home owned by someone else, or writable by others, is refused outright
// (whoever can write in it could plant links or read the token).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_APPEND } = fs.constants;

export function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    fs.writeFileSync(fd, text);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Opens `file` for appending, never through a symbolic link (ELOOP then). */
export function openAppendNoFollow(file: string): number {
  return fs.openSync(file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600);
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * Creates HYPHA_HOME (0700) if needed and checks it is safe to keep a token in: a folder, owned by
 * this user, writable by no one else. Returns a message a person can act on, or null.
 */
export function checkHome(home: string): string | null {
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (err) {
    return `cannot create HYPHA_HOME ${home}: ${(err as Error).message}`;
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(home);
  } catch (err) {
    return `cannot read HYPHA_HOME ${home}: ${(err as Error).message}`;
  }
  if (!st.isDirectory()) return `HYPHA_HOME ${home} is not a folder`;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    return `HYPHA_HOME ${home} belongs to uid ${st.uid}, not to you (uid ${uid}); refusing to keep the token there (choose your own folder)`;
  }
  if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) {
    return `HYPHA_HOME ${home} is writable by others (mode ${(st.mode & 0o777).toString(8)}); refusing to use it (run: chmod 700 ${home})`;
  }
  return null;
}

/** Moves a file that cannot be trusted out of the way as `<file>.bad-<time>`; returns the new name. */
export function setAside(file: string): string | null {
  const aside = `${file}.bad-${new Date().toISOString().replaceAll(':', '-')}`;
  try {
    fs.renameSync(file, aside);
    return aside;
  } catch {
    return null;
  }
}
