// One supervisor per HYPHA_HOME (SPEC §4): the instance lock. The holder is named by pid AND
// process start time, so a recycled pid never holds a stale lock.
import fs from 'node:fs';
import path from 'node:path';
import { isSameProcess, processStartTime } from '../process/proctable.js';
import { readJson } from './files.js';

export interface LockHandle {
  file: string;
  release(): void;
}

export type LockResult = { ok: true; lock: LockHandle } | { ok: false; pid: number; message: string };

interface LockContent {
  pid: number;
  startTime: string | null;
}

export function acquireLock(home: string): LockResult {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = path.join(home, 'hypha.lock');
  const mine: LockContent = { pid: process.pid, startTime: processStartTime(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = readJson<LockContent>(file);
      if (held && held.pid !== process.pid && lockHolderAlive(held)) {
        return { ok: false, pid: held.pid, message: `already running (pid ${held.pid})` };
      }
      // Stale (its pid is gone, or unreadable half-written content): take it over.
      try {
        fs.unlinkSync(file);
      } catch {
        // Someone else took it over first; the next attempt sees their lock.
      }
      continue;
    }
    // Two takers racing over a stale lock: only the one whose content stands owns it.
    const now = readJson<LockContent>(file);
    if (now?.pid !== process.pid) continue;
    return {
      ok: true,
      lock: {
        file,
        release: () => {
          const cur = readJson<LockContent>(file);
          if (cur?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      },
    };
  }
  const held = readJson<LockContent>(file);
  return { ok: false, pid: held?.pid ?? 0, message: `already running (pid ${held?.pid ?? 'unknown'})` };
}

function lockHolderAlive(held: LockContent): boolean {
  if (!Number.isSafeInteger(held.pid) || held.pid <= 0) return false;
  if (held.startTime) return isSameProcess({ pid: held.pid, startTime: held.startTime });
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---- state.json ----

