// Status in colour AND word: the word carries the meaning, the colour only speeds reading.
import type { ServiceStatus } from '../../../main/contract/status.js';

export function StatusBadge({ status }: { status: Pick<ServiceStatus, 'status' | 'state' | 'health'> }) {
  return (
    <span className={`badge badge--${status.status}`} title={`state ${status.state}, health ${status.health}`}>
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__word">{status.status}</span>
    </span>
  );
}
