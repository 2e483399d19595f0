// File descriptors are a budget (issue 18): a spawn costs two pipes, a log file one, an API
// client one. Spawning until none are left would leave the daemon unable to answer its API, read
// /proc or even report the failure, so a spawn is refused while fewer than HEADROOM remain under
// the soft limit, with a message that says what to raise. Linux only (/proc); elsewhere no check.
import fs from 'node:fs';

const HEADROOM = 32;
let limit: number | null = null;
let readAt = -Infinity;

/** The soft RLIMIT_NOFILE, re-read at most once a second (`prlimit` can change it while we run). */
function softLimit(): number | null {
  if (Date.now() - readAt < 1000) return limit;
  readAt = Date.now();
  try {
    const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    limit = m ? Number(m[1]) : null;
  } catch {
    limit = null;
  }
  return limit;
}

/** Null when a spawn may go ahead, else why not. */
export function fdShortage(): string | null {
  if (process.platform !== 'linux') return null;
  const max = softLimit();
  if (max === null) return null;
  let open: number;
  try {
    open = fs.readdirSync('/proc/self/fd').length;
  } catch {
    open = max; // not even this could be opened
  }
  if (open + HEADROOM <= max) return null;
  return `too many open files: ${open} of ${max} file descriptors in use, ${HEADROOM} kept for the API (raise the limit: ulimit -n)`;
}
