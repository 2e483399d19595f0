// With hundreds of services most rows are off screen; they need not re-render on every status
// update. One shared IntersectionObserver tells each row whether it is near the viewport; a
// hidden row freezes what it shows and catches up the moment it scrolls into view.
import { useCallback, useReducer, useRef, type RefObject } from 'react';
import { useHypha } from '../store/context.js';
import type { HyphaState } from '../store/store.js';

type Listener = (visible: boolean) => void;
const listeners = new WeakMap<Element, Listener>();
let observer: IntersectionObserver | null = null;

function shared(): IntersectionObserver | null {
  if (!observer && typeof IntersectionObserver === 'function') {
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) listeners.get(entry.target)?.(entry.isIntersecting);
      },
      { rootMargin: '400px 0px' },
    );
  }
  return observer;
}

/** A ref to attach, and a ref that says whether the element is near the viewport (true until known). */
export function useInView<T extends Element>(): [(element: T | null) => void, RefObject<boolean>] {
  const visible = useRef(true);
  const [, catchUp] = useReducer((n: number) => n + 1, 0);
  const attach = useCallback((element: T | null) => {
    const io = shared();
    if (!element || !io) return;
    listeners.set(element, (now) => {
      const was = visible.current;
      visible.current = now;
      if (now && !was) catchUp();
    });
    io.observe(element);
    return () => {
      io.unobserve(element);
      listeners.delete(element);
    };
  }, []);
  return [attach, visible];
}

/** Like useHypha, but keeps the last value while `visible` is false. */
export function useHyphaWhileVisible<T>(visible: RefObject<boolean> | undefined, selector: (state: HyphaState) => T): T {
  const last = useRef<{ value: T } | null>(null);
  return useHypha((state) => {
    if (!visible || visible.current || last.current === null) last.current = { value: selector(state) };
    return last.current.value;
  });
}
