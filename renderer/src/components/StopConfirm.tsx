// Stopping a service that live services depend on can break them, so the dashboard asks first.
// (The API stops just the one service; the question belongs to the person clicking.)
import type { KeyboardEvent } from 'react';
import type { State } from '../../../main/contract/status.js';
import type { HyphaState, ServiceEntry } from '../store/store.js';

const LIVE: ReadonlySet<State> = new Set<State>(['running', 'starting', 'backoff']);

// Built once per services map (the store replaces the map on every change), so each row's
// lookup stays O(1) even with hundreds of services re-checking on every update.
const indexes = new WeakMap<Record<string, ServiceEntry>, Map<string, string[]>>();

function liveDependentsIndex(services: Record<string, ServiceEntry>): Map<string, string[]> {
  let index = indexes.get(services);
  if (index) return index;
  index = new Map();
  for (const { status } of Object.values(services)) {
    if (!LIVE.has(status.state)) continue;
    for (const needed of status.dependsOn) {
      if (needed === status.id) continue;
      const names = index.get(needed);
      if (names) names.push(status.name);
      else index.set(needed, [status.name]);
    }
  }
  indexes.set(services, index);
  return index;
}

const NONE: readonly string[] = [];

/** Names of the running, starting or backing-off services that list `id` in dependsOn. */
export function liveDependentsOf(id: string): (state: HyphaState) => readonly string[] {
  return (state) => liveDependentsIndex(state.services).get(id) ?? NONE;
}

/** "api", "api and worker", "api, web and worker", "a, b, c and 2 others". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > 4) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} others`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function StopConfirm({
  id,
  name,
  dependents,
  onConfirm,
  onCancel,
}: {
  id: string;
  name: string;
  dependents: readonly string[];
  onConfirm(): void;
  onCancel(): void;
}) {
  const one = dependents.length === 1;
  const textId = `stop-confirm-text-${id}`;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Escape') return;
    // Escape answers this question only; the detail view must not also navigate away.
    event.stopPropagation();
    onCancel();
  };
  return (
    <div
      id={`stop-confirm-${id}`}
      className="stop-confirm"
      role="alertdialog"
      aria-label={`Stop ${name}?`}
      aria-describedby={textId}
      onKeyDown={onKeyDown}
    >
      <span className="stop-confirm__icon" aria-hidden="true">
        ⚠
      </span>
      <span id={textId} className="stop-confirm__text">
        {listNames(dependents)} {one ? 'needs' : 'need'} {name}. Stop {name} anyway? {one ? 'It keeps' : 'They keep'} running but
        may fail.
      </span>
      <span className="stop-confirm__buttons">
        <button type="button" className="btn btn--small btn--danger" onClick={onConfirm}>
          Stop {name}
        </button>
        {/* Focus starts on the safe choice: a stray Enter must not take down what others need. */}
        <button type="button" className="btn btn--small" autoFocus onClick={onCancel}>
          Cancel
        </button>
      </span>
    </div>
  );
}
