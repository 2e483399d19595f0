// Pure: which supervisor events become a desktop notification. A crash-looping or flapping
// service must not bury the desktop in toasts, so each service gets one notice per kind per
// quiet period, the whole app a few per minute, and a "recovered" only follows a problem the
// person was actually told about.
import type { SupervisorEvent } from '../contract/status.js';

export type NoticeKind = 'failed' | 'unhealthy' | 'recovered';

export interface Notice {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
}

export interface NotifyPolicyOptions {
  /** The same kind for the same service is not repeated within this. */
  perServiceMs: number;
  /** At most this many notices in any `windowMs`, across all services. */
  maxPerWindow: number;
  windowMs: number;
}

export const defaultNotifyPolicy: NotifyPolicyOptions = { perServiceMs: 60_000, maxPerWindow: 4, windowMs: 60_000 };

function noticeKind(event: SupervisorEvent): NoticeKind | 'healthy' | null {
  switch (event.kind) {
    case 'failed':
    case 'gave-up':
      return 'failed';
    case 'unhealthy':
      return 'unhealthy';
    case 'recovered':
      return 'recovered';
    case 'healthy':
      return 'healthy';
    default:
      return null;
  }
}

export class NotifyPolicy {
  private readonly lastByServiceKind = new Map<string, number>();
  /** Services whose problem was notified and not yet followed by a recovery notice. */
  private readonly troubled = new Set<string>();
  private sent: number[] = [];
  private suppressed = 0;

  constructor(
    private readonly nameOf: (id: string) => string,
    private readonly opts: NotifyPolicyOptions = defaultNotifyPolicy,
  ) {}

  decide(event: SupervisorEvent, now: number): Notice | null {
    const raw = noticeKind(event);
    if (raw === null || event.id === '') return null;
    // A first "healthy" after a failure notice is the recovery the person is waiting for.
    const kind: NoticeKind = raw === 'healthy' ? 'recovered' : raw;
    if (kind === 'recovered' && !this.troubled.has(event.id)) return null;

    const key = `${event.id}\u0000${kind}`;
    const last = this.lastByServiceKind.get(key);
    if (kind !== 'recovered' && last !== undefined && now - last < this.opts.perServiceMs) return null;

    this.sent = this.sent.filter((t) => now - t < this.opts.windowMs);
    if (this.sent.length >= this.opts.maxPerWindow) {
      this.suppressed += 1;
      return null;
    }

    this.sent.push(now);
    this.lastByServiceKind.set(key, now);
    if (kind === 'recovered') this.troubled.delete(event.id);
    else this.troubled.add(event.id);

    const notice = this.compose(event, kind);
    if (this.suppressed > 0) {
      notice.body += ` (+${this.suppressed} more not shown — open Hypha)`;
      this.suppressed = 0;
    }
    return notice;
  }

  private compose(event: SupervisorEvent, kind: NoticeKind): Notice {
    const name = this.nameOf(event.id);
    const title =
      kind === 'failed' ? `${name} failed` : kind === 'unhealthy' ? `${name} is unhealthy` : `${name} recovered`;
    return { id: event.id, kind, title, body: event.message };
  }
}
