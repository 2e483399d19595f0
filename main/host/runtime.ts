// Starting and ending one Hypha instance: config, instance lock, orphan reaping, the supervisor,
// the control API and daemon.json. `hypha daemon` and the Electron app both start through here,
// so the two share one HYPHA_HOME lock and behave the same.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config/default.js';
import { loadConfigFile } from '../core/config/load.js';
import { resolveHyphaHome } from '../core/config/resolve.js';
import { builtInConfig } from '../core/config/default.js';
import { formatConfigError, type ConfigError, type HyphaConfig, type LoadResult } from '../contract/config.js';
import { watchConfig } from '../core/config/watch.js';
import { acquireLock, type LockHandle } from '../core/instance/lock.js';
import { findOrphans, orphanLine, reapOrphans } from '../core/instance/orphans.js';
import { writeStateFile } from '../core/instance/state-file.js';
import { Supervisor } from '../core/supervisor.js';
import { startApiServer, type ApiServer } from '../api/server.js';
import { dashboardDir, hyphaVersion } from '../core/paths.js';

export interface StartOptions {
  /** `-c FILE`. */
  configPath?: string;
  /** HYPHA_HOME; default from the environment (SPEC §3). */
  home?: string;
  /** The daemon's own output. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Test knobs. */
  sampleMs?: number;
  strayScanMs?: number;
}

export interface DaemonInfo {
  pid: number;
  url: string;
  token: string;
  version: string;
  startedAt: string;
}

export interface HyphaRuntime {
  supervisor: Supervisor;
  config: HyphaConfig;
  url: string;
  token: string;
  home: string;
  dispose(): Promise<void>;
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

export function daemonInfoPath(home: string): string {
  return path.join(home, 'daemon.json');
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolveHyphaHome(env, process.platform, os.homedir());
}

export async function startHypha(opts: StartOptions = {}): Promise<HyphaRuntime> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const loaded = loadConfig({ flag: opts.configPath, env, cwd: process.cwd() });
  if (!loaded.ok) throw new StartError('invalid config', 2, loaded.errors);
  const config = loaded.config;
  const home = opts.home ?? defaultHome(env);

  const locked = acquireLock(home);
  if (!locked.ok) throw new StartError(locked.message, 1);
  const lock: LockHandle = locked.lock;

  try {
    const orphans = await reapOrphans(findOrphans(home), config.services);
    const reload = (): LoadResult => (config.file === '<built-in>' ? { ok: true, config: builtInConfig() } : loadConfigFile(config.file));
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
    let api: ApiServer;
    const token = crypto.randomBytes(24).toString('base64url');
    try {
      api = await startApiServer(supervisor, { port: config.api.port, token, staticDir: dashboardDir(), home });
    } catch (err) {
      await supervisor.dispose();
      throw new StartError((err as Error).message, 1);
    }
    const info: DaemonInfo = { pid: process.pid, url: api.url, token, version: supervisor.version, startedAt: new Date().toISOString() };
    const infoFile = daemonInfoPath(home);
    fs.writeFileSync(`${infoFile}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
    fs.renameSync(`${infoFile}.tmp`, infoFile);
    supervisor.start();
    const watcher =
      config.file === '<built-in>'
        ? null
        : watchConfig(config.file, () => {
            void supervisor.reload().then((r) => {
              if (!r.ok) log(`config changed but is invalid; nothing was changed:\n${r.errors.map(formatConfigError).join('\n')}`);
            });
          });

    let disposing: Promise<void> | null = null;
    return {
      supervisor,
      config,
      url: api.url,
      token,
      home,
      dispose: () =>
        (disposing ??= (async () => {
          watcher?.dispose();
          await supervisor.dispose();
          await api.close();
          fs.rmSync(infoFile, { force: true });
          fs.rmSync(path.join(home, 'state.json'), { force: true });
          lock.release();
        })()),
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
