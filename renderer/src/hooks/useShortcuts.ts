// Single-key shortcuts for people who live on the keyboard (`/`, j/k, s/r, ?), as mail clients
// and GitHub have them. A key typed into a field, or pressed with Ctrl/Alt/Meta, is never taken.
import { useEffect, useRef } from 'react';

export type ShortcutMap = Partial<Record<string, (event: KeyboardEvent) => void>>;

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Calls `keys[event.key]` for a plain key press outside text fields; the latest map always wins. */
export function useShortcuts(keys: ShortcutMap, enabled = true): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const handler = current.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['/'], what: 'Filter services by name' },
  { keys: ['j', 'k'], what: 'Select the next / previous service' },
  { keys: ['Enter'], what: 'Open the selected service' },
  { keys: ['s'], what: 'Start or stop the selected service (asks first)' },
  { keys: ['r'], what: 'Restart it, or run a oneshot now (asks first)' },
  { keys: ['Esc'], what: 'Back to all services; close a question' },
  { keys: ['?'], what: 'Show these shortcuts' },
];
