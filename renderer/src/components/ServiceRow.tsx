// One service in the overview. Memoised by id: it re-renders only when its own status changes.
// The list places it (absolutely, at `top`) and measures it, since rows differ in height.
import { memo } from 'react';
import { describeProblem } from '../format.js';
import { serviceHref } from '../hooks/useRoute.js';
import { useHypha } from '../store/context.js';
import { NextRun } from './NextRun.js';
import { NoticeLine } from './NoticeLine.js';
import { ProblemLine } from './ProblemLine.js';
import { ServiceActions } from './ServiceActions.js';
import { ServiceFacts } from './ServiceFacts.js';
import { StatusBadge } from './StatusBadge.js';
import { StraysBanner } from './StraysBanner.js';

export interface ServiceRowProps {
  id: string;
  index: number;
  setSize: number;
  top: number;
  measure?: (element: HTMLLIElement | null) => void;
  selected?: boolean;
}

export const ServiceRow = memo(function ServiceRow({ id, index, setSize, top, measure, selected = false }: ServiceRowProps) {
  const entry = useHypha((s) => s.services[id]);
  if (!entry) return null;
  const { status } = entry;
  const problem = describeProblem(status);
  const nameId = `svc-name-${id}`;
  return (
    <li
      ref={measure}
      className={`svc svc--${status.status}${selected ? ' svc--selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-labelledby={nameId}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-index={index}
      data-service={id}
      data-status={status.status}
    >
      <div className="svc__main">
        <div className="svc__status">
          <StatusBadge status={status} />
        </div>
        <div className="svc__title">
          <a id={nameId} className="svc__name" href={serviceHref(id)}>
            {status.name}
          </a>
          <span className="svc__sub">
            {status.name !== id && <span className="mono">{id}</span>}
            {status.type === 'oneshot' && <span className="tag">oneshot</span>}
            {status.type === 'oneshot' && status.nextRunAt && <NextRun at={status.nextRunAt} />}
          </span>
        </div>
        <ServiceFacts status={status} receivedAt={entry.receivedAt} showNextRun={false} />
        <ServiceActions status={status} />
      </div>
      {problem && <ProblemLine problem={problem} />}
      <NoticeLine id={id} />
      <StraysBanner status={status} />
    </li>
  );
});
