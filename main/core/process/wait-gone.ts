// Waiting for processes to go without polling rounds. A stop used to look every 50 ms (a /proc
// scan or a cgroup.events read each time), so 50 services stopping at once cost 50 looks per round
// and each stop ended up to a round after its last process. Here the wait wakes on what tells of
// an exit: the leader's exit event, an inotify event on cgroup.events (the kernel flips
// "populated" the moment the last member goes), and only as a backstop a timer that starts short
// and backs off (a grandchild outside any cgroup has no event that says it is gone).
import { watch, type FSWatcher } from 'node:fs';

/** Subscribes `wake` to something that may mean "look again"; returns the unsubscribe. */
export type WakeSource = (wake: () => void) => () => void;

/** Wakes when `promise` settles (a run's leader exit). */
export function onSettled(promise: Promise<unknown>): WakeSource {
  return (wake) => {
    let on = true;
    void promise.then(
      () => on && wake(),
      () => on && wake(),
    );
    return () => {
      on = false;
    };
  };
}

/** Wakes on every inotify event of `file` (cgroup.events); nothing where it cannot be watched. */
export function onFileChange(file: string): WakeSource {
  return (wake) => {
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(file, { persistent: false }, () => wake());
      watcher.on('error', () => undefined);
    } catch {
      // Gone already, or no inotify here: the backstop timer still looks.
    }
    return () => watcher?.close();
  };
}

export interface Backstop {
  /** First look without an event after this long. */
  firstMs: number;
  /** Doubling up to this. */
  maxMs: number;
}

export const DEFAULT_BACKSTOP: Backstop = { firstMs: 25, maxMs: 250 };

/**
 * Resolves true as soon as `done()` holds, false once `deadline` (ms since the epoch) passes first.
 * `done` is asked at once, after every wake and after every backstop interval; it is told when
 * the event that woke it was heard (`performance.now()`; 0 for the timer), so what it reads can
 * be required to be newer than that.
 */
export async function waitUntil(
  done: (heardAt: number) => boolean | Promise<boolean>,
  deadline: number,
  sources: readonly WakeSource[],
  backstop: Backstop = DEFAULT_BACKSTOP,
): Promise<boolean> {
  if (await done(0)) return true;
  let pulse: (() => void) | null = null;
  let heardAt = 0;
  const unsubscribe = sources.map((s) =>
    s(() => {
      if (!pulse) return;
      heardAt = performance.now();
      pulse();
    }),
  );
  let delay = backstop.firstMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return await done(0);
      let timer: NodeJS.Timeout | undefined;
      heardAt = 0;
      await new Promise<void>((resolve) => {
        pulse = resolve;
        timer = setTimeout(resolve, Math.max(1, Math.min(delay, left)));
      });
      clearTimeout(timer);
      pulse = null;
      if (await done(heardAt)) return true;
      delay = Math.min(delay * 2, backstop.maxMs);
    }
  } finally {
    for (const u of unsubscribe) u();
  }
}
