// The one reader of another process's environment (/proc/PID/environ, Linux): Hypha marks every
// process it starts with HYPHA_SERVICE, HYPHA_HOME and HYPHA_RUN, and the run layer, the orphan
// reaper and the stray scan all read those back. A program that rewrites its environ (nginx,
// redis and postgres do, for their process titles) loses them; cgroups do not depend on them.
import fs from 'node:fs';

/** Raw NUL-separated environment of `pid`, or null (gone, not ours, not Linux). */
export function readEnviron(pid: number): Buffer | null {
  if (process.platform !== 'linux') return null;
  try {
    return fs.readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
}

/**
 * The value of `key` in a NUL-separated environment, or null. Works on the raw bytes (no split
 * of the whole block), because the run layer looks at every process of ours on each scan.
 */
export function environValue(env: Buffer | string, key: string): string | null {
  const buf = typeof env === 'string' ? Buffer.from(env, 'latin1') : env;
  const prefix = Buffer.from(`${key}=`, 'latin1');
  let at = buf.indexOf(prefix);
  while (at > 0 && buf[at - 1] !== 0) at = buf.indexOf(prefix, at + 1);
  if (at === -1) return null;
  const end = buf.indexOf(0, at);
  return buf.toString('latin1', at + prefix.length, end === -1 ? buf.length : end);
}

/** The values of several keys at once (null for each one absent). */
export function environValues<K extends string>(env: Buffer | string, keys: readonly K[]): Record<K, string | null> {
  const out = {} as Record<K, string | null>;
  for (const k of keys) out[k] = environValue(env, k);
  return out;
}
