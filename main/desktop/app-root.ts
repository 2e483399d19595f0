// The tray app's composition root, without Electron: the fatal-error policy the daemon uses
// (main/host/fatal.ts) is installed before anything starts, then the same runtime `hypha daemon`
// runs, then the desktop shell, which the caller passes in. main.ts passes the Electron shell;
// test/integration/desktop-fatal.test.ts runs this very function under plain Node with a
// stand-in shell and injects an uncaught error, as the daemon's test does.
import { formatConfigError } from '../contract/config.js';
import type { SecretBox } from '../contract/remotes.js';
import type { Disposable } from '../contract/status.js';
import { installFatalPolicy } from '../host/fatal.js';
import { startHypha, StartError, type HyphaRuntime } from '../host/runtime.js';

export interface AppShell {
  /** Stops every service, then tears the shell down. */
  shutdown(): Promise<void>;
}

export interface AppRootOptions<S extends AppShell> {
  configPath?: string;
  /** How remote tokens are kept: the OS keychain where available (keychain-box.ts), else a 0600 file. */
  secretBox?: SecretBox;
  log(line: string): void;
  /** Says something the person must read (start failures, fatal errors); synchronous. */
  tell(title: string, message: string): void;
  exit(code: number): void;
  startShell(runtime: HyphaRuntime): Promise<S>;
}

export interface AppRoot<S extends AppShell> {
  runtime: HyphaRuntime;
  shell: S;
  /** Every way out: services stop first (through the shell), then the policy is removed. */
  shutdown(): Promise<void>;
}

export function startErrorMessage(error: unknown): string {
  if (error instanceof StartError && error.configErrors.length > 0) {
    return [error.message, ...error.configErrors.map(formatConfigError)].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

/** Resolves null when the app could not start (already told, and exit called with 1). */
export async function startAppRoot<S extends AppShell>(opts: AppRootOptions<S>): Promise<AppRoot<S> | null> {
  let runtime: HyphaRuntime | null = null;
  const fatal: Disposable = installFatalPolicy({
    // The daemon's own emergency path: frees the reserved fds first (an fd-exhaustion crash must
    // still be able to read /proc), kills every run, and removes the info and lock files.
    target: () => (runtime ? { killAllNow: () => runtime?.emergencyKill() } : null),
    tell: (message) => opts.tell('Hypha stopped after an internal error', message),
    exit: opts.exit,
  });
  try {
    runtime = await startHypha({ configPath: opts.configPath, log: opts.log, secretBox: opts.secretBox });
  } catch (error) {
    fatal.dispose();
    opts.tell('Hypha could not start', startErrorMessage(error));
    opts.exit(error instanceof StartError ? error.exitCode : 1);
    return null;
  }
  const started = runtime;
  opts.log(`hypha: dashboard ${started.url}`);
  let shell: S;
  try {
    shell = await opts.startShell(started);
  } catch (error) {
    // Without a shell nothing else would stop the services.
    await started.dispose().catch(() => undefined);
    fatal.dispose();
    opts.tell('Hypha could not start', startErrorMessage(error));
    opts.exit(1);
    return null;
  }
  let done: Promise<void> | null = null;
  return {
    runtime: started,
    shell,
    shutdown: () =>
      (done ??= shell.shutdown().finally(() => fatal.dispose())),
  };
}
