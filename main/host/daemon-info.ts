// Where a running daemon says where it is: HYPHA_HOME/daemon.json (pid, URL, token). Apart from
// runtime.ts so that the CLI's client commands (status, stop, logs …) and completion can find the
// daemon without loading the supervisor, the API server and the config reader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHyphaHome } from '../core/config/resolve.js';

export interface DaemonInfo {
  pid: number;
  url: string;
  token: string;
  version: string;
  startedAt: string;
}

export function daemonInfoPath(home: string): string {
  return path.join(home, 'daemon.json');
}

/** What daemon.json in `home` says; throws when there is none or it cannot be read as JSON. */
export function readDaemonInfo(home: string): DaemonInfo {
  return JSON.parse(fs.readFileSync(daemonInfoPath(home), 'utf8')) as DaemonInfo;
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolveHyphaHome(env, process.platform, os.homedir());
}
