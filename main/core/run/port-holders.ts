// Without a cgroup, a program that went into the background out of its run's tree and rewrote its
// environment (nginx and redis overwrite it with their process title, and the run's mark with it)
// can still be found by the port the service declares: a holder of that port owned by this user
// and started since the run began is the run's. Used when the main process exits (is this a
// daemonizer?) and when the run is stopped (so a wrapper like `nginx && exec tail -F log` leaves
// no nginx behind).
import { findPortHolders } from '../process/ports.js';
import type { ProcessInfo } from '../process/proctable.js';
import type { Run } from './run.js';

export function adoptPortHolders(run: Run, port: number, table: readonly ProcessInfo[]): void {
  const uid = process.getuid?.();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const fresh = findPortHolders(port)
    .map((h) => byPid.get(h.pid))
    .filter((p): p is ProcessInfo => p !== undefined && p.uid === uid && p.startedAtMs >= run.startedAt - 1000 && p.pid !== process.pid);
  run.tracker.adopt(fresh);
}
