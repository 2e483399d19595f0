// Two views, kept in the URL fragment so the browser's back button and a reload work, in a
// browser and from file:// in Electron alike.
import { useEffect, useState } from 'react';

export type Route = { view: 'overview' } | { view: 'service'; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/service\/([^/?#]+)/.exec(hash);
  if (match?.[1]) {
    try {
      return { view: 'service', id: decodeURIComponent(match[1]) };
    } catch {
      return { view: 'overview' };
    }
  }
  return { view: 'overview' };
}

export function serviceHref(id: string): string {
  return `#/service/${encodeURIComponent(id)}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function goToOverview(): void {
  window.location.hash = '#/';
}

// Back on the overview, keyboard users land on the service they came from, not at the top.
let returnTo: string | null = null;

export function rememberReturnFocus(id: string): void {
  returnTo = id;
}

export function takeReturnFocus(): string | null {
  const id = returnTo;
  returnTo = null;
  return id;
}
