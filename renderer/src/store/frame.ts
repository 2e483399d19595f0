// Status messages can arrive hundreds per second (500 services, each with CPU samples); the
// store applies them once per animation frame so React renders at most once per frame.
export type Schedule = (flush: () => void) => void;

export const perAnimationFrame: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

export interface Batcher<T> {
  push(item: T): void;
  /** Applies what is queued now (used before reading state that must be current). */
  flush(): void;
  dispose(): void;
}

export function createBatcher<T>(apply: (items: T[]) => void, schedule: Schedule = perAnimationFrame): Batcher<T> {
  let queue: T[] = [];
  let scheduled = false;
  let disposed = false;
  const flush = (): void => {
    scheduled = false;
    if (disposed || queue.length === 0) return;
    const items = queue;
    queue = [];
    apply(items);
  };
  return {
    push(item) {
      if (disposed) return;
      queue.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
    dispose() {
      disposed = true;
      queue = [];
    },
  };
}
