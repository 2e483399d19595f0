// PM2, for comparison rows, where it is installed (`npm install -g pm2`; never a dependency of
// Hypha). Each run gets its own PM2_HOME, so a user's PM2 is never touched.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identify, isSame, pollUntil, signal } from './proc.mjs';

export function pm2Path() {
  try {
    return execFileSync('sh', ['-c', 'command -v pm2'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A bench service, the same for every supervisor.
 * @typedef {{name: string, argv: string[], env?: Record<string, string>, autorestart: boolean, stopTimeoutMs: number, outFile?: string, autostart?: boolean}} BenchService
 */

/** @param {{dir: string, services: BenchService[]}} o */
export async function startPm2(o) {
  const bin = pm2Path();
  if (!bin) throw new Error('pm2 is not installed');
  const home = join(o.dir, 'pm2home');
  const env = { ...process.env, PM2_HOME: home };
  const apps = o.services.map((s) => ({
    name: s.name,
    script: s.argv[0],
    args: s.argv.slice(1),
    interpreter: 'none',
    exec_mode: 'fork',
    cwd: o.dir,
    env: s.env ?? {},
    autorestart: s.autorestart,
    restart_delay: 0,
    min_uptime: 0,
    max_restarts: 1_000_000_000,
    kill_timeout: s.stopTimeoutMs,
    out_file: s.outFile ?? join(o.dir, `${s.name}.out.log`),
    error_file: s.outFile ? `${s.outFile}.err` : join(o.dir, `${s.name}.err.log`),
    merge_logs: true,
    watch: false,
  }));
  // PM2's own `autostart: false` also refuses later manual starts, so an app that must not start
  // at once is left out of the daemon's file and started from a file of its own when asked.
  const ecoFile = (name, list) => {
    const file = join(o.dir, `${name}.config.cjs`);
    writeFileSync(file, `module.exports = ${JSON.stringify({ apps: list }, null, 2)};\n`);
    return file;
  };
  const atLaunch = apps.filter((_, i) => o.services[i].autostart !== false);
  const eco = ecoFile('bench', atLaunch);
  const pm2 = (args) =>
    new Promise((resolve, reject) =>
      execFile(bin, args, { env, cwd: o.dir, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        err ? reject(new Error(`pm2 ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(String(stdout)),
      ),
    );
  const godPid = () => {
    const f = join(home, 'pm2.pid');
    return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : null;
  };
  const handle = {
    name: 'PM2',
    home,
    pm2,
    god: null,
    /** (Re)starts the daemon and the apps of the ecosystem file. */
    launch: async () => {
      await pm2(atLaunch.length > 0 ? ['start', eco] : ['ping']);
      const pid = await pollUntil(() => godPid(), 10_000);
      handle.god = pid ? identify(pid) : null;
      return handle.god;
    },
    get pid() {
      return handle.god?.pid ?? null;
    },
    /** pid of app `name` as PM2 reports it. */
    appPid: async (name) => {
      const list = JSON.parse(await pm2(['jlist']));
      return list.find((a) => a.name === name)?.pid ?? null;
    },
    stopService: (name) => pm2(['stop', name]),
    stopAll: () => pm2(['stop', 'all']),
    startService: (name) => pm2(['start', ecoFile(`start-${name}`, apps.filter((a) => a.name === name))]),
    killSupervisor: () => {
      if (handle.god) signal(handle.god.pid, 'SIGKILL');
    },
    /** Ends the PM2 daemon and its apps; SIGKILLs the daemon if `pm2 kill` does not. */
    shutdown: async () => {
      await pm2(['kill']).catch(() => undefined);
      if (handle.god && isSame(handle.god)) signal(handle.god.pid, 'SIGKILL');
    },
  };
  await handle.launch();
  return handle;
}
