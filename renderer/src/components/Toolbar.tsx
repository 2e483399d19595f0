// The overview's head: how many are online, what is wrong, filters and the bulk actions.
import { useMemo, useRef } from 'react';
import { useShortcuts } from '../hooks/useShortcuts.js';
import type { Action } from '../../../main/contract/api.js';
import { useActions, useHypha } from '../store/context.js';
import { STATUS_ORDER, summarize, summaryLine, type StatusFilter } from '../store/selectors.js';
import { NoticeLine } from './NoticeLine.js';

const BULK: { action: Action; label: string; busy: string }[] = [
  { action: 'start', label: 'Start all', busy: 'Starting all…' },
  { action: 'stop', label: 'Stop all', busy: 'Stopping all…' },
  { action: 'restart', label: 'Restart all', busy: 'Restarting all…' },
];

export function Toolbar() {
  const services = useHypha((s) => s.services);
  const filter = useHypha((s) => s.filter);
  const pendingAll = useHypha((s) => s.pending.all);
  const offline = useHypha((s) => s.connection.state === 'retrying');
  const { setFilter, act } = useActions();
  const filterInput = useRef<HTMLInputElement>(null);
  useShortcuts({ '/': () => filterInput.current?.focus() });
  const summary = useMemo(() => summarize(Object.values(services).map((e) => e.status)), [services]);
  const attention = (['failed', 'unhealthy', 'backoff'] as const).filter((s) => summary.counts[s] > 0);

  return (
    <section className="toolbar" aria-label="Summary and filters">
      <div className="toolbar__summary">
        <p className="summary" role="status" aria-live="polite">
          <strong>{summaryLine(summary)}</strong>
          {summary.counts.running > 0 && (
            <span className="chip chip--running">
              {summary.counts.running} {summary.counts.running === 1 ? 'job' : 'jobs'} running
            </span>
          )}
          {attention.map((s) => (
            <span key={s} className={`chip chip--${s}`}>
              {summary.counts[s]} {s}
            </span>
          ))}
        </p>
        <div className="actions" role="group" aria-label="Actions for all services">
          {BULK.map(({ action, label, busy }) => (
            <button
              key={action}
              type="button"
              className="btn btn--small"
              disabled={offline || pendingAll !== undefined || summary.total === 0}
              aria-busy={pendingAll === action || undefined}
              onClick={() => void act(action, 'all')}
            >
              {pendingAll === action && <span className="spinner" aria-hidden="true" />}
              {pendingAll === action ? busy : label}
            </button>
          ))}
        </div>
      </div>
      <NoticeLine id="all" />
      <div className="toolbar__filters" role="search">
        <label className="field field--grow">
          <span className="field__label">Filter by name</span>
          <input
            ref={filterInput}
            type="search"
            className="input"
            aria-keyshortcuts="/"
            placeholder="Filter by name… (press /)"
            value={filter.text}
            onChange={(e) => setFilter({ text: e.target.value })}
            onKeyDown={(e) => {
              // Escape leaves the field, so j/k work again; a second Escape clears nothing by surprise.
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
          />
        </label>
        <label className="field">
          <span className="field__label">State</span>
          <select className="input" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as StatusFilter })}>
            <option value="all">All states ({summary.total})</option>
            <option value="problems">Needs attention ({summary.counts.failed + summary.counts.unhealthy + summary.counts.backoff})</option>
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {s} ({summary.counts[s]})
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
