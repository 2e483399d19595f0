// Starting and ending one Hypha instance: config, instance lock, orphan reaping, the supervisor,
// the control API and daemon.json. `hypha daemon` and the Electron app both start through here,
// so the two share one HYPHA_HOME lock and behave the same. The config is read (at start and on
// reload) by config-loader.ts, in a short child process: nothing here imports zod or yaml.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resolveConfigPath } from '../core/config/resolve.js';
import { profileWarning, selectProfile } from '../core/config/profile-choice.js';
import { formatConfigError, type ConfigError, type HyphaConfig } from '../contract/config.js';
import { readConfig, type ConfigReader } from './config-loader.js';
import { daemonInfoPath, defaultHome, type DaemonInfo } from './daemon-info.js';
import { watchConfig } from '../core/config/watch.js';
import { acquireLock, type LockHandle } from '../core/instance/lock.js';
import { findOrphans, orphanLine, reapOrphans } from '../core/instance/orphans.js';
import { setAsideBadStateFile, writeStateFile } from '../core/instance/state-file.js';
import { checkHome, writeAtomic } from '../core/instance/files.js';
import { Supervisor } from '../core/supervisor.js';
import { createRemotes, type Remotes } from '../core/remotes/remotes.js';
import { remotesFile } from '../core/remotes/store.js';
import type { SecretBox } from '../contract/remotes.js';
import { startApiServer, type ApiServer } from '../api/server.js';
import { dashboardDir, hyphaVersion } from '../core/paths.js';

export interface StartOptions {
  /** `-c FILE`. */
  configPath?: string;
  /** `--profile NAME`; absent = HYPHA_PROFILE from `env` (the desktop app's way), else none. */
  profile?: string;
  /** HYPHA_HOME; default from the environment (SPEC §3). */
  home?: string;
  /** The daemon's own output. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Test knobs. */
  sampleMs?: number;
  strayScanMs?: number;
  /** How remote tokens are kept at rest: the desktop app passes the OS keychain; default a 0600 file. */
  secretBox?: SecretBox;
  /** How the config is read; default config-loader.ts's readConfig (a child process where it can). */
  readConfig?: ConfigReader;
}

export interface HyphaRuntime {
  supervisor: Supervisor;
  config: HyphaConfig;
  url: string;
  token: string;
  home: string;
  /** Other Hyphas this one reaches (`hypha remote add`). */
  remotes: Remotes;
  dispose(): Promise<void>;
  /**
   * Last resort (an uncaught error, a second signal): SIGKILL every service's processes now,
   * synchronously, and remove daemon.json and the lock. Works when file descriptors have run out:
   * it first closes descriptors held in reserve for it, and falls back to killing process groups
   * (no file needed) if the full kill fails.
   */
  emergencyKill(): void;
}

/** Descriptors held from the start so the emergency path can read /proc when none are left. */
function reserveFds(n: number): number[] {
  const fds: number[] = [];
  for (let i = 0; i < n; i++) {
    try {
      fds.push(fs.openSync('/dev/null', 'r'));
    } catch {
      break; // no /dev/null (Windows): nothing to reserve
    }
  }
  return fds;
}

/** Why an instance could not start; `exitCode` follows SPEC §5 (1 action failed, 2 config). */
export class StartError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    readonly configErrors: ConfigError[] = [],
  ) {
    super(message);
    this.name = 'StartError';
  }
}

export async function startHypha(opts: StartOptions = {}): Promise<HyphaRuntime> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const chosen = selectProfile(opts.profile, env);
  if (!chosen.ok) throw new StartError(chosen.error, 2);
  const profile = chosen.profile;
  const read = opts.readConfig ?? readConfig;
  const file = resolveConfigPath({ flag: opts.configPath, env, cwd: process.cwd() });
  const loaded = await read({ file, profile });
  if (!loaded.ok) throw new StartError('invalid config', 2, loaded.errors);
  const config = loaded.config;
  const undefinedProfile = profileWarning(config);
  if (undefinedProfile) log(`warning: ${undefinedProfile}`);
  const home = opts.home ?? defaultHome(env);

  const unsafe = checkHome(home);
  if (unsafe) throw new StartError(unsafe, 1);
  const locked = acquireLock(home);
  if (!locked.ok) throw new StartError(locked.message, 1);
  const lock: LockHandle = locked.lock;
  for (const note of locked.notes) log(note);

  // What must be undone if the start fails half-way, newest first: a failed start leaves no
  // listening port, no daemon.json and no lock behind.
  const undo: (() => Promise<void> | void)[] = [];
  const reserve = reserveFds(4);
  undo.push(() => {
    for (const fd of reserve.splice(0)) fs.closeSync(fd);
  });
  try {
    const badState = setAsideBadStateFile(home);
    if (badState) log(badState);
    const orphans = await reapOrphans(findOrphans(home), config.services);
    // A reload keeps the profile the instance started with.
    const reload = () => read({ file: file === null ? null : config.file, profile });
    const supervisor = new Supervisor(config, {
      home,
      logsDir: path.join(home, 'logs'),
      version: hyphaVersion(),
      loadConfig: reload,
      persist: (s) => writeStateFile(home, s.liveRuns()),
      echo: log,
      sampleMs: opts.sampleMs,
      strayScanMs: opts.strayScanMs,
    });
    for (const o of orphans) {
      const line = orphanLine(o);
      log(line);
      try {
        supervisor.service(o.service).log.supervisor(line);
      } catch {
        // The service is no longer configured; the daemon's output has it.
      }
    }
    undo.push(() => supervisor.dispose());
    const remotes = createRemotes({ file: remotesFile(home), box: opts.secretBox });
    for (const note of remotes.notes) log(note);
    let api: ApiServer;
    const token = crypto.randomBytes(24).toString('base64url');
    try {
      api = await startApiServer(supervisor, { port: config.api.port, token, staticDir: dashboardDir(), home, remotes });
    } catch (err) {
      throw new StartError((err as Error).message, 1);
    }
    undo.push(() => api.close());
    const info: DaemonInfo = { pid: process.pid, url: api.url, token, version: supervisor.version, startedAt: new Date().toISOString() };
    const infoFile = daemonInfoPath(home);
    try {
      writeAtomic(infoFile, JSON.stringify(info, null, 2));
    } catch (err) {
      throw new StartError(`cannot write ${infoFile}: ${(err as Error).message}`, 1);
    }
    undo.push(() => fs.rmSync(infoFile, { force: true }));
    supervisor.start();
    const watcher =
      config.file === '<built-in>'
        ? null
        : watchConfig(config.file, () => {
            void supervisor.reload().then((r) => {
              if (!r.ok) log(`config changed but is invalid; nothing was changed:\n${r.errors.map(formatConfigError).join('\n')}`);
            });
          });

    const emergencyKill = (): void => {
      for (const fd of reserve.splice(0)) {
        try {
          fs.closeSync(fd);
        } catch {
          // Already closed.
        }
      }
      try {
        supervisor.killAllNow();
      } catch {
        // Reading /proc failed even so: kill each run's process group, which needs no file.
        for (const run of supervisor.liveRuns().values()) {
          try {
            process.kill(-run.pgid, 'SIGKILL');
          } catch {
            // Gone.
          }
        }
      }
      for (const f of [infoFile, lock.file]) {
        try {
          fs.rmSync(f, { force: true });
        } catch {
          // Best effort: the next start takes a stale lock over anyway.
        }
      }
    };

    let disposing: Promise<void> | null = null;
    return {
      emergencyKill,
      supervisor,
      config,
      url: api.url,
      token,
      home,
      remotes,
      dispose: () =>
        (disposing ??= (async () => {
          watcher?.dispose();
          await supervisor.dispose();
          for (const fd of reserve.splice(0)) fs.closeSync(fd);
          await api.close();
          fs.rmSync(infoFile, { force: true });
          fs.rmSync(path.join(home, 'state.json'), { force: true });
          lock.release();
        })()),
    };
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // Undo the rest regardless.
      }
    }
    lock.release();
    throw err instanceof StartError ? err : new StartError((err as Error).message, 1);
  }
}
