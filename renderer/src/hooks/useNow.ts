// One shared one-second clock for every live uptime, instead of a timer per row.
import { useRef, useSyncExternalStore, type RefObject } from 'react';

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let current = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    current = Date.now();
    timer = setInterval(() => {
      current = Date.now();
      for (const l of listeners) l();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, once a second; frozen while `visible` (a row off screen) says false. */
export function useNow(visible?: RefObject<boolean>): number {
  const shown = useRef(current);
  return useSyncExternalStore(subscribe, () => {
    if (!visible || visible.current) shown.current = current;
    return shown.current;
  });
}
