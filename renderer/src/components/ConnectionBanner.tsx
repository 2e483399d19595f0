// Shown over the last known state while the live stream is down and being retried.
import { useHypha } from '../store/context.js';

export function ConnectionBanner() {
  const connection = useHypha((s) => s.connection);
  if (connection.state !== 'retrying') return null;
  return (
    <div className="banner banner--warn" role="status">
      <span className="spinner" aria-hidden="true" />
      <strong>Disconnected — retrying</strong>
      {connection.message && <span className="banner__detail">{connection.message}</span>}
      <span className="banner__detail">What you see may be out of date.</span>
    </div>
  );
}
