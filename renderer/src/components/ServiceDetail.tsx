// One service: its facts and actions, its output, what the supervisor did, how it is configured.
import { useEffect, useRef, useState } from 'react';
import { describeProblem, describeExit, formatTime } from '../format.js';
import { goToOverview, rememberReturnFocus } from '../hooks/useRoute.js';
import { useHypha } from '../store/context.js';
import { EventTimeline } from './EventTimeline.js';
import { LogViewer } from './LogViewer.js';
import { NoticeLine } from './NoticeLine.js';
import { ProblemLine } from './ProblemLine.js';
import { ServiceActions } from './ServiceActions.js';
import { RunHistory } from './RunHistory.js';
import { ServiceFacts } from './ServiceFacts.js';
import { ShortcutActions } from './ShortcutActions.js';
import { SettingsPanel } from './SettingsPanel.js';
import { StatusBadge } from './StatusBadge.js';
import { StraysBanner } from './StraysBanner.js';
import { Tabs } from './Tabs.js';

type Tab = 'logs' | 'runs' | 'events' | 'settings';
const TABS: { id: Tab; label: string }[] = [
  { id: 'logs', label: 'Logs' },
  { id: 'events', label: 'Timeline' },
  { id: 'settings', label: 'Settings' },
];
// A oneshot's history of runs sits right after its output.
const ONESHOT_TABS: { id: Tab; label: string }[] = [{ id: 'logs', label: 'Logs' }, { id: 'runs', label: 'Runs' }, ...TABS.slice(1)];

export function ServiceDetail({ id }: { id: string }) {
  const entry = useHypha((s) => s.services[id]);
  const detail = useHypha((s) => (s.detail?.id === id ? s.detail : null));
  const profile = useHypha((s) => s.info?.profile ?? null);
  const [tab, setTab] = useState<Tab>('logs');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    return () => rememberReturnFocus(id);
  }, [id]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !(event.target instanceof HTMLInputElement)) goToOverview();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const back = (
    <a className="back" href="#/">
      <span aria-hidden="true">←</span> All services
    </a>
  );

  if (!entry) {
    return (
      <main className="detail" aria-labelledby="detail-title">
        {back}
        <h1 id="detail-title" className="detail__title" ref={heading} tabIndex={-1}>
          No service “{id}”
        </h1>
        <p className="muted">It is not in the current configuration. It may have been removed by a reload.</p>
      </main>
    );
  }

  const { status } = entry;
  const problem = describeProblem(status);
  const prefix = `detail-${id}`;
  return (
    <main className="detail" aria-labelledby="detail-title">
      <div className="detail__nav">{back}</div>
      <header className="detail__head">
        <div className="detail__name">
          <h1 id="detail-title" className="detail__title" ref={heading} tabIndex={-1}>
            {status.name}
          </h1>
          <StatusBadge status={status} />
          {status.name !== id && <span className="mono muted">{id}</span>}
        </div>
        <ServiceActions status={status} />
      </header>
      <ServiceFacts status={status} receivedAt={entry.receivedAt} />
      {problem && <ProblemLine problem={problem} />}
      {status.lastExit && problem?.kind !== 'exit' && (
        <p className="muted small">
          Last exit: {describeExit(status.lastExit)} at {formatTime(status.lastExit.at)}
        </p>
      )}
      <NoticeLine id={id} />
      <StraysBanner status={status} />
      {detail?.error && (
        <p className="notice notice--error" role="alert">
          Some details could not be loaded: {detail.error}
        </p>
      )}
      <ShortcutActions id={id} />
      <Tabs label={`${status.name} details`} tabs={status.type === 'oneshot' ? ONESHOT_TABS : TABS} selected={tab} onSelect={setTab} idPrefix={prefix} />
      <section
        className="detail__panel"
        role="tabpanel"
        id={`${prefix}-panel-${tab}`}
        aria-labelledby={`${prefix}-tab-${tab}`}
      >
        {!detail || detail.loading ? (
          <p className="muted pad" role="status">
            <span className="spinner" aria-hidden="true" /> Loading…
          </p>
        ) : tab === 'logs' ? (
          <LogViewer key={id} lines={detail.lines} dropped={detail.dropped} label={`Log of ${status.name}`} />
        ) : tab === 'runs' ? (
          <RunHistory runs={detail.runs} />
        ) : tab === 'events' ? (
          <EventTimeline events={detail.events} />
        ) : detail.settings ? (
          <SettingsPanel settings={detail.settings} profile={profile} />
        ) : (
          <p className="muted pad">Settings are not available.</p>
        )}
      </section>
    </main>
  );
}
