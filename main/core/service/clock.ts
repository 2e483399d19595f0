// Time as a dependency. A service asks this clock for "now", for timers and for "the next turn of
// the event loop" instead of calling Date.now/setTimeout/setImmediate itself, so the whole state
// machine can run in virtual time in unit tests (asserted at exact milliseconds) and on the real
// clock in the daemon. `defer` exists because a zero-delay respawn must never run inside the
// child-exit callback that decided it: it goes to a later turn, so timers and I/O keep running.

/** A pending timer or deferred call; cancelling twice, or after it ran, is harmless. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  clearTimeout(handle: TimerHandle | null): void;
  /** Run `fn` on a later turn of the event loop (after pending I/O), never synchronously. */
  defer(fn: () => void): TimerHandle;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms, opts) {
    const t = setTimeout(fn, Math.max(0, ms));
    if (opts?.unref) t.unref();
    return { cancel: () => clearTimeout(t) };
  },
  clearTimeout(handle) {
    handle?.cancel();
  },
  defer(fn) {
    const i = setImmediate(fn);
    return { cancel: () => clearImmediate(i) };
  },
};
