// What went wrong with a service, or why nothing is happening, in one or two lines. Only real
// failures are red; a stop someone asked for and a wait on a dependency are normal states and
// read in grey. A failure that came down a dependency chain names its root cause once and
// links every service on the way.
import { Fragment } from 'react';
import type { Problem } from '../format.js';
import { serviceHref } from '../hooks/useRoute.js';

function ServiceLink({ id }: { id: string }) {
  return (
    <a className="svc-link mono" href={serviceHref(id)}>
      {id}
    </a>
  );
}

export function ProblemLine({ problem }: { problem: Problem }) {
  if (problem.kind === 'dependency') {
    const last = problem.chain.at(-1) as string;
    return (
      <div className="svc__problem svc__problem--error" data-problem="dependency">
        <p className="problem__root">
          <span className="visually-hidden">Root cause: </span>
          {problem.root ?? `${last} failed`}
        </p>
        <p className="problem__chain muted">
          Not started: needs{' '}
          {problem.chain.map((id, i) => (
            <Fragment key={`${id}-${i}`}>
              {i > 0 && <span aria-label="which needs"> → </span>}
              <ServiceLink id={id} />
            </Fragment>
          ))}
          , which failed
        </p>
      </div>
    );
  }
  if (problem.kind === 'waiting') {
    const rest = problem.on ? problem.text.slice(`waiting for ${problem.on}`.length) : '';
    return (
      <p className="svc__problem svc__problem--wait" data-problem="waiting">
        {problem.on ? (
          <>
            Waiting for <ServiceLink id={problem.on} />
            {rest}
          </>
        ) : (
          problem.text
        )}
      </p>
    );
  }
  return (
    <p className={`svc__problem svc__problem--${problem.tone}`} data-problem={problem.kind}>
      {problem.tone === 'error' && <span className="visually-hidden">Last error: </span>}
      {problem.text}
    </p>
  );
}
