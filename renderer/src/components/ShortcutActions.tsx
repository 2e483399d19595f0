// `s` and `r` on one service (the selected row, or the service on screen), each confirmed first.
import { useState } from 'react';
import type { Action } from '../../../main/contract/api.js';
import type { ServiceStatus } from '../../../main/contract/status.js';
import { useShortcuts } from '../hooks/useShortcuts.js';
import { useActions, useHypha } from '../store/context.js';
import { ActionConfirm } from './ActionConfirm.js';
import { actionsFor } from './ServiceActions.js';

/** What `s` (start/stop) and `r` (restart/run) mean for a service in its current state. */
export function shortcutAction(key: 's' | 'r', s: Pick<ServiceStatus, 'type' | 'state'>): Action | null {
  const available = actionsFor(s);
  if (key === 's') return available.includes('stop') ? 'stop' : (available.find((a) => a === 'start' || a === 'run') ?? null);
  return available.find((a) => a === 'restart' || a === 'run' || a === 'start') ?? null;
}

export function ShortcutActions({ id, enabled = true }: { id: string | null; enabled?: boolean }) {
  const status = useHypha((s) => (id ? s.services[id]?.status : undefined));
  const busy = useHypha((s) => (id ? s.pending[id] !== undefined : false));
  const offline = useHypha((s) => s.connection.state === 'retrying');
  const { act } = useActions();
  const [asking, setAsking] = useState<{ id: string; action: Action } | null>(null);
  const ask = (key: 's' | 'r'): void => {
    if (!id || !status || busy || offline) return;
    const action = shortcutAction(key, status);
    if (action) setAsking({ id, action });
  };
  useShortcuts({ s: () => ask('s'), r: () => ask('r') }, enabled && asking === null);
  // The question is about one service; moving the selection away drops it.
  if (!asking || asking.id !== id || !status) return null;
  const close = (): void => {
    setAsking(null);
    document.getElementById(`svc-name-${asking.id}`)?.focus();
  };
  return (
    <ActionConfirm
      action={asking.action}
      name={status.name}
      onCancel={close}
      onConfirm={() => {
        close();
        void act(asking.action, asking.id);
      }}
    />
  );
}
