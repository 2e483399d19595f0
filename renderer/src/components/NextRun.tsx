import type { RefObject } from 'react';
import { formatDateTime, formatFromNow } from '../format.js';
import { useNow } from '../hooks/useNow.js';

/** When a scheduled oneshot runs next, counting down; the exact time is in the tooltip. */
export function NextRun({ at, visible }: { at: string; visible?: RefObject<boolean> }) {
  const now = useNow(visible);
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      next run {formatFromNow(at, now)}
    </time>
  );
}
