// Copies of a service running outside Hypha, with the chain of parents that keeps spawning
// them. Ending processes Hypha did not start is a person's call, so it asks first.
import { useState } from 'react';
import type { ServiceStatus, Stray } from '../../../main/contract/status.js';
import { useActions, useHypha } from '../store/context.js';
import { plural } from '../format.js';

function chain(stray: Stray): string {
  if (stray.ancestry.length === 0) return 'parent unknown';
  return stray.ancestry.map((p) => `${shortCommand(p.command)} (pid ${p.pid})`).join(' → ');
}

function shortCommand(command: string): string {
  return command.length > 60 ? `${command.slice(0, 57)}…` : command;
}

const REASON: Record<NonNullable<Stray['reason']>, string> = {
  match: 'matches this service’s command',
  port: 'holds this service’s port',
  'match+port': 'matches the command and holds the port',
};

export function StraysBanner({ status }: { status: ServiceStatus }) {
  const pending = useHypha((s) => s.pending[status.id]);
  const { stopStrays } = useActions();
  const [confirming, setConfirming] = useState(false);
  const strays = status.strays;
  if (strays.length === 0) return null;
  const headingId = `strays-${status.id}`;
  const busy = pending === 'strays';

  return (
    <section className="strays" aria-labelledby={headingId}>
      <div className="strays__head">
        <span className="strays__icon" aria-hidden="true">⚠</span>
        <strong id={headingId}>
          {plural(strays.length, 'stray')} — {strays.length === 1 ? 'a copy' : 'copies'} running outside Hypha
        </strong>
        {!confirming && (
          <button
            type="button"
            className="btn btn--small btn--warn"
            disabled={pending !== undefined}
            aria-busy={busy || undefined}
            onClick={() => setConfirming(true)}
          >
            {busy ? 'Stopping strays…' : 'Stop strays'}
          </button>
        )}
      </div>
      {confirming && (
        <div className="strays__confirm" role="alertdialog" aria-label={`Stop strays of ${status.name}?`}>
          <span>
            End {plural(strays.length, 'process', 'processes')} Hypha did not start (pid {strays.map((s) => s.pid).join(', ')}) and
            everything they spawned?
          </span>
          <span className="strays__confirm-buttons">
            <button
              type="button"
              className="btn btn--small btn--danger"
              onClick={() => {
                setConfirming(false);
                void stopStrays(status.id);
              }}
            >
              Yes, stop {strays.length === 1 ? 'it' : 'them'}
            </button>
            {/* Focus starts on the safe choice: a stray Enter must not end processes. */}
            <button type="button" className="btn btn--small" autoFocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        </div>
      )}
      <details className="strays__details">
        <summary>Which processes, and what started them</summary>
        <ul className="strays__list">
          {strays.map((stray) => (
            <li key={stray.pid}>
              <div>
                <span className="mono">pid {stray.pid}</span> <code className="mono strays__cmd">{stray.command}</code>
              </div>
              {stray.reason && <div className="muted">It {REASON[stray.reason]}.</div>}
              {stray.verdict && <div>{stray.verdict}</div>}
              <div className="muted strays__chain">
                <span className="visually-hidden">Started by: </span>
                {chain(stray)}
              </div>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
