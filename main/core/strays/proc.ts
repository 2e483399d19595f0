// What /proc tells about a stray beyond the process table: the Hypha variables in its environment
// (whose run it belongs to, or which other Hypha started it) and the systemd unit it runs in.
// Linux only; elsewhere both answer null and the verdicts fall back on the parent chain alone.
import fs from 'node:fs';
import type { HyphaEnv } from './verdict.js';
import { readEnviron } from '../process/environ.js';

const WANTED = ['HYPHA_SERVICE=', 'HYPHA_HOME=', 'HYPHA_RUN='] as const;

/** The HYPHA_* variables of `pid`'s environment, or null if it cannot be read (gone, not ours). */
export function hyphaEnvOf(pid: number): HyphaEnv | null {
  if (process.platform !== 'linux') return null;
  const raw = readEnviron(pid);
  return raw ? parseHyphaEnv(raw.toString('latin1')) : null;
}

/** Picks HYPHA_SERVICE, HYPHA_HOME and HYPHA_RUN out of NUL-separated `KEY=value` text. */
export function parseHyphaEnv(raw: string): HyphaEnv {
  const found: (string | null)[] = [null, null, null];
  if (raw.includes('HYPHA_')) {
    for (const entry of raw.split('\0')) {
      for (let i = 0; i < WANTED.length; i++) {
        const key = WANTED[i] as string;
        if (entry.startsWith(key)) found[i] = entry.slice(key.length);
      }
    }
  }
  return { service: found[0] ?? null, home: found[1] ?? null, run: found[2] ?? null };
}

/**
 * The systemd `.service` unit whose cgroup holds `pid` (e.g. `backup.service`), or null. A process
 * adopted by systemd keeps the cgroup it was started in, so this tells a unit's own process from
 * an orphan that was merely reparented to systemd.
 */
export function systemdUnitOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return null;
  }
  return unitInCgroup(text);
}

export function unitInCgroup(text: string): string | null {
  // cgroup v2 is `0::/path`; on v1 the systemd hierarchy is `N:name=systemd:/path`.
  const line = text.split('\n').find((l) => l.startsWith('0::')) ?? text.split('\n').find((l) => l.includes(':name=systemd:'));
  if (!line) return null;
  const last = line.slice(line.lastIndexOf('/') + 1).trim();
  // user@1000.service is the user's own systemd, which holds everything of the session.
  if (!last.endsWith('.service') || /^user@\d+\.service$/.test(last)) return null;
  return last;
}
