// The status window's live feed: a subscription with log lines that exists only while a window
// does. A closed window is destroyed (window.ts), so a tray app at rest holds no renderer and
// asks for no log lines — the supervisor then makes no objects for a flood nobody sees. The tray
// and notifications subscribe apart, without log lines. No electron import: tested under Node.
import type { SupervisorControl } from '../contract/control.js';
import type { Disposable, SupervisorMessage } from '../contract/status.js';

export class WindowFeed implements Disposable {
  private subscription: Disposable | null = null;

  constructor(
    private readonly source: Pick<SupervisorControl, 'subscribe'>,
    private readonly send: (message: SupervisorMessage) => void,
  ) {}

  /** A window now shows messages: feed it everything, log lines included. */
  open(): void {
    this.subscription ??= this.source.subscribe((message) => this.send(message), { logs: true });
  }

  /** The window is gone: nothing is fed, and nobody counts as watching logs. */
  close(): void {
    this.subscription?.dispose();
    this.subscription = null;
  }

  get feeding(): boolean {
    return this.subscription !== null;
  }

  dispose(): void {
    this.close();
  }
}
