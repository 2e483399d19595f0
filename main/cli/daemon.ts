// `hypha daemon`: the supervisor headless in the foreground. SIGINT/SIGTERM stop every service and
// exit 0; a second signal or an uncaught error kills every child at once before exiting. The
// banner (version, config, dashboard URL) comes first: what happens while the services start is
// held back until it is printed, with the time it happened.
import { formatConfigError } from '../contract/config.js';
import { installFatalPolicy } from '../host/fatal.js';
import { defaultHome, readDaemonInfo } from '../host/daemon-info.js';
import { StartError, startHypha, type HyphaRuntime } from '../host/runtime.js';
import { CliError } from './client.js';
import type { Ctx } from './command.js';

/**
 * When another daemon already runs here, where its dashboard is (`npm start` twice, or a
 * forgotten one in another terminal): one look is worth more than "already running".
 */
function runningDashboard(message: string): string {
  if (!message.startsWith('already running')) return '';
  try {
    const info = readDaemonInfo(defaultHome(process.env));
    return info.url && info.token ? `; its dashboard: ${info.url}/#token=${info.token}` : '';
  } catch {
    return '';
  }
}

export async function runDaemon(ctx: Ctx): Promise<number> {
  const values = ctx.values;
  if (ctx.positionals.length > 0) throw new CliError(`daemon takes no arguments (got "${ctx.positionals[0]}"); a config file is -c FILE`, 2);
  let early: string[] | null = [];
  const log = (line: string): void => {
    const text = `${new Date().toISOString()} ${line}\n`;
    if (early) early.push(text);
    else process.stdout.write(text);
  };
  let rt: HyphaRuntime;
  try {
    rt = await startHypha({ configPath: values.config as string | undefined, profile: values.profile as string | undefined, log });
  } catch (err) {
    if (err instanceof StartError) {
      for (const line of early ?? []) process.stdout.write(line);
      early = null;
      if (err.configErrors.length > 0) {
        for (const e of err.configErrors) process.stderr.write(`${formatConfigError(e)}\n`);
      } else process.stderr.write(`hypha: ${err.message}${runningDashboard(err.message)}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const n = rt.config.services.length;
  process.stdout.write(
    `hypha ${rt.supervisor.version} supervising ${n} service${n === 1 ? '' : 's'} from ${rt.config.file}` +
      `${rt.config.profile === null ? '' : ` (profile ${rt.config.profile})`}\n` +
      `home: ${rt.home}\n` +
      `dashboard: ${rt.url}/#token=${rt.token}\n`,
  );
  for (const line of early) process.stdout.write(line);
  early = null;

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) {
        log(`${signal} again: killing every service now`);
        rt.emergencyKill();
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: stopping every service`);
      rt.dispose().then(
        () => {
          log('stopped; bye');
          resolve(0);
        },
        (err: unknown) => {
          process.stderr.write(`hypha: error while stopping: ${(err as Error).message}\n`);
          rt.emergencyKill();
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGHUP', () => {
      void rt.supervisor.reload().then((r) => {
        if (!r.ok) for (const e of r.errors) process.stderr.write(`${formatConfigError(e)}\n`);
      });
    });
    // The policy the app shares (main/host/fatal.ts): kill every service now, say why, exit 1.
    // The kill is the runtime's emergency kill, which works even with no descriptor left and
    // removes daemon.json and the lock.
    installFatalPolicy({
      target: () => ({ killAllNow: () => rt.emergencyKill() }),
      tell: (message) => void process.stderr.write(`${message}\n`),
      exit: (code) => process.exit(code),
    });
  });
}
