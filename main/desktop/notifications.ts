// Desktop notifications: the policy (notify-policy.ts) decides, this shows. A click opens the
// window on the service concerned.
import { Notification } from 'electron';
import type { SupervisorMessage } from '../contract/status.js';
import { NotifyPolicy } from './notify-policy.js';

export interface NotifierOptions {
  icon: string;
  enabled(): boolean;
  nameOf(id: string): string;
  onClick(id: string | null): void;
}

export class Notifier {
  private readonly policy: NotifyPolicy;
  // Electron drops click handlers of notifications that were garbage-collected.
  private readonly live = new Set<Notification>();

  constructor(private readonly opts: NotifierOptions) {
    this.policy = new NotifyPolicy(opts.nameOf);
  }

  onMessage(message: SupervisorMessage): void {
    if (message.type !== 'event' || !this.opts.enabled()) return;
    const notice = this.policy.decide(message.data, Date.now());
    if (notice) this.show(notice.title, notice.body, notice.id);
  }

  /** Shown whatever the setting: used for answers to something the person just did. */
  show(title: string, body: string, id: string | null = null): void {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, icon: this.opts.icon, silent: true });
    const forget = (): void => {
      this.live.delete(n);
    };
    n.on('click', () => {
      forget();
      this.opts.onClick(id);
    });
    n.on('close', forget);
    this.live.add(n);
    n.show();
  }

  dispose(): void {
    for (const n of this.live) n.close();
    this.live.clear();
  }
}
