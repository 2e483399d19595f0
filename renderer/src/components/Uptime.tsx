import type { RefObject } from 'react';
import { useNow } from '../hooks/useNow.js';
import { formatDuration } from '../format.js';

/** Uptime as the daemon measured it, ticking on locally between status updates. */
export function Uptime({ uptimeMs, receivedAt, visible }: { uptimeMs: number | null; receivedAt: number; visible?: RefObject<boolean> }) {
  const now = useNow(visible);
  if (uptimeMs === null) return <>—</>;
  return <>{formatDuration(uptimeMs + Math.max(0, now - receivedAt))}</>;
}
