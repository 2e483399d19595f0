// One service in the overview. Memoised by id: it re-renders only when its own status changes.
import { memo } from 'react';
import { describeProblem } from '../format.js';
import { serviceHref } from '../hooks/useRoute.js';
import { useHyphaWhileVisible, useInView } from '../hooks/useInView.js';
import { NextRun } from './NextRun.js';
import { NoticeLine } from './NoticeLine.js';
import { ServiceActions } from './ServiceActions.js';
import { ServiceFacts } from './ServiceFacts.js';
import { StatusBadge } from './StatusBadge.js';
import { StraysBanner } from './StraysBanner.js';

export const ServiceRow = memo(function ServiceRow({ id }: { id: string }) {
  const [attach, visible] = useInView<HTMLLIElement>();
  const entry = useHyphaWhileVisible(visible, (s) => s.services[id]);
  if (!entry) return null;
  const { status } = entry;
  const problem = describeProblem(status);
  const nameId = `svc-name-${id}`;
  return (
    <li ref={attach} className={`svc svc--${status.status}`} aria-labelledby={nameId} data-service={id} data-status={status.status}>
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
            {status.type === 'oneshot' && status.nextRunAt && <NextRun at={status.nextRunAt} visible={visible} />}
          </span>
        </div>
        <ServiceFacts status={status} receivedAt={entry.receivedAt} visible={visible} showNextRun={false} />
        <ServiceActions status={status} />
      </div>
      {problem && (
        <p className={`svc__problem svc__problem--${problem.tone}`}>
          {problem.tone === 'error' && <span className="visually-hidden">Last error: </span>}
          {problem.text}
        </p>
      )}
      <NoticeLine id={id} />
      <StraysBanner status={status} />
    </li>
  );
});
