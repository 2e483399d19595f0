// `hypha signal ID SIGNAL` (SPEC §7): a signal to a running service's main process (PM2's
// sendSignal, systemd's $MAINPID), or to its whole process group on request (systemctl kill's
// default). Names are taken with or without SIG, any case; numbers are refused (they differ
// between platforms).
import { constants } from 'node:os';

export type SignalName = NodeJS.Signals;

export function parseSignal(input: unknown): { ok: true; signal: SignalName } | { ok: false; error: string } {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, error: 'signal must be a name such as HUP or SIGUSR1' };
  const upper = input.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (!Object.hasOwn(constants.signals, name)) return { ok: false, error: `unknown signal ${JSON.stringify(input.slice(0, 20))} (use e.g. HUP, USR1, TERM)` };
  return { ok: true, signal: name as SignalName };
}

/** Sends `signal` to `pid`, or to the group `pgid` when `group`. Errors as text. */
export function sendSignal(signal: SignalName, pid: number, pgid: number, group: boolean): string | null {
  try {
    process.kill(group ? -pgid : pid, signal);
    return null;
  } catch (e) {
    return `cannot send ${signal}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}
