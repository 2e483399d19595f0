// What the supervisor did with this service, newest first.
import type { EventKind, SupervisorEvent } from '../../../main/contract/status.js';
import { formatDateTime } from '../format.js';

const TONE: Partial<Record<EventKind, 'good' | 'bad' | 'warn'>> = {
  started: 'good',
  healthy: 'good',
  recovered: 'good',
  completed: 'good',
  exited: 'warn',
  restarting: 'warn',
  unhealthy: 'bad',
  failed: 'bad',
  'gave-up': 'bad',
  strays: 'warn',
  reaped: 'warn',
};

export function EventTimeline({ events }: { events: readonly SupervisorEvent[] }) {
  if (events.length === 0) return <p className="muted pad">Nothing has happened to this service yet.</p>;
  const newestFirst = events.slice().reverse();
  return (
    <ol className="timeline" aria-label="Supervisor events, newest first">
      {newestFirst.map((event, i) => (
        <li key={`${event.ts}-${i}`} className={`timeline__item timeline__item--${TONE[event.kind] ?? 'info'}`}>
          <span className="timeline__dot" aria-hidden="true" />
          <time className="timeline__time" dateTime={event.ts}>
            {formatDateTime(event.ts)}
          </time>
          <span className="timeline__kind">{event.kind}</span>
          <span className="timeline__msg">{event.message}</span>
        </li>
      ))}
    </ol>
  );
}
