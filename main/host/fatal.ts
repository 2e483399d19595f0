// The one fatal-error policy of a Hypha process, shared by `hypha daemon` and the tray app: an
// error nothing caught means the supervisor's state can no longer be trusted, so carrying on
// (Electron's default is a dialog and a half-broken app) risks services nobody supervises. Every
// service is SIGKILLed at once, synchronously (an async stop could wait on the broken state), the
// person is told why, and the process exits non-zero. Nothing here knows Electron: the app passes
// a `tell` that also shows a dialog.
import type { Disposable } from '../contract/status.js';

export interface FatalPolicyOptions {
  /** The supervisor to end, or null while none has started yet. */
  target(): { killAllNow(): void } | null;
  /** Says why, to whoever can see it (stderr; in the app also a dialog). Must be synchronous. */
  tell(message: string): void;
  exit(code: number): void;
  /** The process whose uncaught errors are watched (a stand-in in tests). */
  proc?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** The line a person reads: the error's stack where it has one. */
export function fatalMessage(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return `hypha: internal error: ${text}\nhypha: every service was killed; the supervisor exits`;
}

/** The policy as a function of the error; runs once, whatever arrives after it. */
export function fatalHandler(opts: Omit<FatalPolicyOptions, 'proc'>): (error: unknown) => void {
  let handled = false;
  return (error) => {
    if (handled) return;
    handled = true;
    try {
      opts.target()?.killAllNow();
    } finally {
      try {
        opts.tell(fatalMessage(error));
      } finally {
        opts.exit(1);
      }
    }
  };
}

export function installFatalPolicy(opts: FatalPolicyOptions): Disposable {
  const proc = opts.proc ?? process;
  const handler = fatalHandler(opts);
  proc.on('uncaughtException', handler);
  proc.on('unhandledRejection', handler);
  return {
    dispose() {
      proc.off('uncaughtException', handler);
      proc.off('unhandledRejection', handler);
    },
  };
}
