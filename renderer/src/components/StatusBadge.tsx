// Status in colour AND word: the word carries the meaning, the colour only speeds reading.
import type { ServiceStatus } from '../../../main/contract/status.js';
import { shownStatus } from '../store/selectors.js';

export function StatusBadge({ status }: { status: Pick<ServiceStatus, 'status' | 'state' | 'health' | 'type'> }) {
  const word = shownStatus(status);
  return (
    <span className={`badge badge--${word}`} title={`state ${status.state}, health ${status.health}`}>
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__word">{word}</span>
    </span>
  );
}
