// Every service at a glance.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { takeReturnFocus } from '../hooks/useRoute.js';
import { useActions, useHypha } from '../store/context.js';
import { filterIds } from '../store/selectors.js';
import { ServiceRow } from './ServiceRow.js';
import { Toolbar } from './Toolbar.js';
import { EmptyState } from './screens.js';

export function Overview() {
  const total = useHypha((s) => s.order.length);
  const ids = useHypha(useShallow((s) => filterIds(s.order, s.services, s.filter)));
  const { setFilter } = useActions();

  useEffect(() => {
    const id = takeReturnFocus();
    if (id) document.getElementById(`svc-name-${id}`)?.focus();
  }, []);

  if (total === 0) return <EmptyState />;
  return (
    <main className="overview" aria-label="Services">
      <Toolbar />
      <div className="list-head" aria-hidden="true">
        <span>Status</span>
        <span>Service</span>
        <span className="list-head__facts">
          <span>Health</span>
          <span>PID</span>
          <span>Port</span>
          <span>Uptime</span>
          <span>Restarts</span>
          <span>CPU</span>
          <span>Memory</span>
        </span>
        <span>Actions</span>
      </div>
      {ids.length === 0 ? (
        <div className="no-match">
          <p>No service matches this filter.</p>
          <button type="button" className="btn btn--small" onClick={() => setFilter({ text: '', status: 'all' })}>
            Clear filter
          </button>
        </div>
      ) : (
        <ul className="svc-list" aria-label={`Services (${ids.length} shown)`}>
          {ids.map((id) => (
            <ServiceRow key={id} id={id} />
          ))}
        </ul>
      )}
    </main>
  );
}
