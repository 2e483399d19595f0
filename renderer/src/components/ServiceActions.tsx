// The buttons that fit a service's state, with a pending label while the daemon takes the action.
import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ServiceStatus } from '../../../main/contract/status.js';
import type { Action } from '../../../main/contract/api.js';
import { useActions, useHypha } from '../store/context.js';
import { liveDependentsOf, StopConfirm } from './StopConfirm.js';

const LABEL: Record<Action, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', run: 'Run now' };
const PENDING_LABEL: Record<Action, string> = { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…', run: 'Running…' };

export function actionsFor(s: Pick<ServiceStatus, 'type' | 'state'>): Action[] {
  const live = s.state === 'running' || s.state === 'starting' || s.state === 'backoff' || s.state === 'stopping';
  if (s.type === 'oneshot') return live ? ['stop'] : ['run'];
  return live ? ['stop', 'restart'] : ['start'];
}

export function ServiceActions({ status }: { status: ServiceStatus }) {
  const pending = useHypha((s) => s.pending[status.id]);
  // While the daemon is out of reach an action can only fail; say so by disabling it.
  const offline = useHypha((s) => s.connection.state === 'retrying');
  const dependents = useHypha(useShallow(liveDependentsOf(status.id)));
  const { act } = useActions();
  const [confirming, setConfirming] = useState(false);
  const stopButton = useRef<HTMLButtonElement>(null);
  const available = actionsFor(status);
  const pendingAction = pending && pending !== 'strays' ? pending : null;
  const shown = pendingAction && !available.includes(pendingAction) ? [pendingAction, ...available] : available;
  const disabled = (action: Action): boolean =>
    offline || pending !== undefined || (action === 'stop' && status.state === 'stopping');
  // Restart keeps the service up, so only Stop asks; and only while someone live needs it.
  const stopNeedsConfirm = dependents.length > 0 && available.includes('stop') && !disabled('stop');
  // The question lapses when its premise does (dependents stopped, service went down, went offline),
  // so it cannot pop up again later unasked.
  if (confirming && !stopNeedsConfirm) setConfirming(false);
  const asking = confirming && stopNeedsConfirm;

  const onClick = (action: Action): void => {
    if (action === 'stop' && stopNeedsConfirm) setConfirming(true);
    else void act(action, status.id);
  };
  const cancel = (): void => {
    setConfirming(false);
    stopButton.current?.focus();
  };

  return (
    <>
      <div className="actions" role="group" aria-label={`Actions for ${status.name}`}>
        {shown.map((action) => {
          const busy = pendingAction === action;
          const asks = action === 'stop' && stopNeedsConfirm;
          return (
            <button
              key={action}
              ref={action === 'stop' ? stopButton : undefined}
              type="button"
              className={`btn ${action === 'stop' ? 'btn--danger' : action === 'start' || action === 'run' ? 'btn--primary' : ''}`}
              disabled={disabled(action)}
              aria-busy={busy || undefined}
              aria-label={`${busy ? PENDING_LABEL[action] : LABEL[action]} ${status.name}`}
              aria-haspopup={asks ? 'dialog' : undefined}
              aria-expanded={asks ? asking : undefined}
              aria-controls={asking && action === 'stop' ? `stop-confirm-${status.id}` : undefined}
              onClick={() => onClick(action)}
            >
              {busy && <span className="spinner" aria-hidden="true" />}
              {busy ? PENDING_LABEL[action] : LABEL[action]}
            </button>
          );
        })}
      </div>
      {asking && (
        <StopConfirm
          id={status.id}
          name={status.name}
          dependents={dependents}
          onConfirm={() => {
            setConfirming(false);
            void act('stop', status.id);
          }}
          onCancel={cancel}
        />
      )}
    </>
  );
}
