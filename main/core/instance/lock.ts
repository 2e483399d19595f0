// One supervisor per HYPHA_HOME (SPEC §4): the instance lock. The holder is named by pid AND
// process start time, so a recycled pid never holds a stale lock.
//
// The lock appears with its content in one step (written to a private temp file, then hard-linked
// to `hypha.lock`, which fails if the name exists), so a reader never sees it half-written. Taking
// over a stale lock is the racy part (two takers could each remove the other's fresh lock), so it
// happens under a second, short-lived guard file: only one process at a time re-checks and
// replaces a stale lock. The guard is held for a few synchronous system calls; one older than
// GUARD_STALE_MS belongs to a process that died inside them and is broken.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isSameProcess, processStartTime } from '../process/proctable.js';
import { setAside } from './files.js';

export interface LockHandle {
  file: string;
  release(): void;
}

export type LockResult = { ok: true; lock: LockHandle; notes: string[] } | { ok: false; pid: number; message: string };

interface LockContent {
  pid: number;
  startTime: string | null;
}

const GUARD_STALE_MS = 10_000;
const WAIT_MS = 5_000;

type Held = { kind: 'missing' } | { kind: 'bad' } | { kind: 'valid'; content: LockContent };

function readLock(file: string): Held {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'bad' };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'bad' };
  }
  if (typeof v !== 'object' || v === null) return { kind: 'bad' };
  const { pid, startTime } = v as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 1) return { kind: 'bad' };
  // Where start times exist, every lock we write has one; a lock without is hand-made.
  const needsStart = process.platform !== 'win32';
  if (needsStart ? typeof startTime !== 'string' : startTime !== null && typeof startTime !== 'string') return { kind: 'bad' };
  return { kind: 'valid', content: { pid: pid as number, startTime: (startTime as string | null) ?? null } };
}

/** Creates `file` holding `text`, atomically and only if the name is free; false if it exists. */
function createWithContent(file: string, text: string): boolean {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function takeGuard(guard: string): boolean {
  if (createWithContent(guard, String(process.pid))) return true;
  try {
    if (Date.now() - fs.statSync(guard).mtimeMs > GUARD_STALE_MS) {
      // Its holder died inside the guard: move it aside (only one breaker gets it) and retry.
      const aside = `${guard}.${crypto.randomBytes(6).toString('hex')}.stale`;
      fs.renameSync(guard, aside);
      fs.rmSync(aside, { force: true });
    }
  } catch {
    // Released or broken meanwhile.
  }
  return false;
}

export function acquireLock(home: string): LockResult {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = path.join(home, 'hypha.lock');
  const guard = `${file}.takeover`;
  const mine: LockContent = { pid: process.pid, startTime: processStartTime(process.pid) };
  const text = JSON.stringify(mine);
  const notes: string[] = [];
  const owned = (): LockResult => ({ ok: true, notes, lock: { file, release: () => releaseLock(file, mine) } });
  const refused = (pid: number): LockResult => ({ ok: false, pid, message: `already running (pid ${pid})` });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (createWithContent(file, text)) return owned();
    const held = readLock(file);
    if (held.kind === 'missing') continue;
    if (held.kind === 'valid' && held.content.pid !== process.pid && lockHolderAlive(held.content)) return refused(held.content.pid);
    // Stale or hand-made: replace it, one taker at a time.
    if (takeGuard(guard)) {
      try {
        const again = readLock(file);
        if (again.kind === 'valid' && again.content.pid !== process.pid && lockHolderAlive(again.content)) return refused(again.content.pid);
        if (again.kind === 'bad') {
          const aside = setAside(file);
          notes.push(aside ? `hypha.lock was not a valid lock; set it aside as ${path.basename(aside)}` : 'hypha.lock was not a valid lock; removed it');
        }
        fs.rmSync(file, { force: true });
        if (createWithContent(file, text)) return owned();
      } finally {
        fs.rmSync(guard, { force: true });
      }
    }
    if (Date.now() > deadline) {
      const last = readLock(file);
      return refused(last.kind === 'valid' ? last.content.pid : 0);
    }
    sleepSync(2 + Math.random() * 5);
  }
}

function releaseLock(file: string, mine: LockContent): void {
  const cur = readLock(file);
  if (cur.kind === 'valid' && cur.content.pid === mine.pid && cur.content.startTime === mine.startTime) fs.rmSync(file, { force: true });
}

function lockHolderAlive(held: LockContent): boolean {
  if (held.startTime) return isSameProcess({ pid: held.pid, startTime: held.startTime });
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
