// A keyboard shortcut acts on a whole service from one key press, so it asks first: `s` or `r`,
// then Enter (or `y`) to go ahead, Escape (or `n`) to leave it.
import { useEffect, useRef } from 'react';
import type { Action } from '../../../main/contract/api.js';

const VERB: Record<Action, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', run: 'Run' };

export function ActionConfirm({ action, name, onConfirm, onCancel }: { action: Action; name: string; onConfirm(): void; onCancel(): void }) {
  const go = useRef<HTMLButtonElement>(null);
  useEffect(() => go.current?.focus(), []);
  return (
    <div
      className="action-confirm"
      role="alertdialog"
      aria-label={`${VERB[action]} ${name}?`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' || e.key === 'n') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if (e.key === 'y') {
          e.preventDefault();
          e.stopPropagation();
          onConfirm();
        }
      }}
    >
      <span className="action-confirm__text">
        {VERB[action]} <strong>{name}</strong>?
      </span>
      <button ref={go} type="button" className={`btn btn--small ${action === 'stop' ? 'btn--danger' : 'btn--primary'}`} onClick={onConfirm}>
        {VERB[action]}
      </button>
      <button type="button" className="btn btn--small" onClick={onCancel}>
        Cancel
      </button>
      <span className="muted small">Enter or y · Esc</span>
    </div>
  );
}
