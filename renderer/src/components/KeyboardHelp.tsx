// The list of keyboard shortcuts, opened with `?`.
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../hooks/useShortcuts.js';

export function KeyboardHelp({ onClose }: { onClose(): void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div
      className="dialog-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id="shortcuts-title" className="dialog__title">
          Keyboard shortcuts
        </h2>
        <dl className="shortcuts">
          {SHORTCUTS.map((s) => (
            <div key={s.what} className="shortcuts__row">
              <dt>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{s.what}</dd>
            </div>
          ))}
        </dl>
        <button ref={closeButton} type="button" className="btn btn--small" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
