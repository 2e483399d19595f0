// The buttons that fit a service's state, with a pending label while the daemon takes the action.
import type { ServiceStatus } from '../../../main/core/types.js';
import type { Action } from '../../../preload/api.js';
import { useActions, useHypha } from '../store/context.js';

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
  const { act } = useActions();
  const available = actionsFor(status);
  const pendingAction = pending && pending !== 'strays' ? pending : null;
  const shown = pendingAction && !available.includes(pendingAction) ? [pendingAction, ...available] : available;
  return (
    <div className="actions" role="group" aria-label={`Actions for ${status.name}`}>
      {shown.map((action) => {
        const busy = pendingAction === action;
        return (
          <button
            key={action}
            type="button"
            className={`btn ${action === 'stop' ? 'btn--danger' : action === 'start' || action === 'run' ? 'btn--primary' : ''}`}
            disabled={offline || pending !== undefined || (action === 'stop' && status.state === 'stopping')}
            aria-busy={busy || undefined}
            aria-label={`${busy ? PENDING_LABEL[action] : LABEL[action]} ${status.name}`}
            onClick={() => void act(action, status.id)}
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            {busy ? PENDING_LABEL[action] : LABEL[action]}
          </button>
        );
      })}
    </div>
  );
}
