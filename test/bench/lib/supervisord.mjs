// supervisord, for comparison rows, where it is installed (`apt-get install supervisor`). Each run
// writes its own config, socket and logs into the run's folder, in the foreground (nodaemon).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identify, isSame, pollUntil, signal } from './proc.mjs';

export function supervisordPath() {
  try {
    return execFileSync('sh', ['-c', 'command -v supervisord'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** supervisord reads `%` as interpolation and splits commands like a shell. */
const quote = (s) => `"${String(s).replace(/%/g, '%%').replace(/(["\\])/g, '\\$1')}"`;

/** @param {{dir: string, services: import('./pm2.mjs').BenchService[]}} o */
export async function startSupervisord(o) {
  const bin = supervisordPath();
  if (!bin) throw new Error('supervisord is not installed');
  const conf = join(o.dir, 'supervisord.conf');
  const sock = join(o.dir, 'supervisor.sock');
  const lines = [
    '[unix_http_server]',
    `file=${sock}`,
    '[supervisord]',
    'nodaemon=true',
    `logfile=${join(o.dir, 'supervisord.log')}`,
    `pidfile=${join(o.dir, 'supervisord.pid')}`,
    `childlogdir=${o.dir}`,
    'loglevel=warn',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    `serverurl=unix://${sock}`,
  ];
  for (const s of o.services) {
    const env = Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`);
    lines.push(
      `[program:${s.name}]`,
      `command=${s.argv.map(quote).join(' ')}`,
      ...(env.length ? [`environment=${env.join(',')}`] : []),
      `autostart=${s.autostart === false ? 'false' : 'true'}`,
      `autorestart=${s.autorestart ? 'true' : 'false'}`,
      'startsecs=0',
      'startretries=1000000',
      `stopwaitsecs=${Math.max(1, Math.round(s.stopTimeoutMs / 1000))}`,
      // The settings a careful user picks: signal and kill the whole group, not just the leader.
      'stopasgroup=true',
      'killasgroup=true',
      `stdout_logfile=${s.outFile ?? join(o.dir, `${s.name}.out.log`)}`,
      'stdout_logfile_maxbytes=0',
      'redirect_stderr=true',
    );
  }
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const ctl = (args) =>
    new Promise((resolve, reject) =>
      execFile('supervisorctl', ['-c', conf, ...args], { timeout: 120_000 }, (err, stdout, stderr) =>
        // supervisorctl exits non-zero when a program is not RUNNING; the text is what counts.
        err && !stdout ? reject(new Error(`supervisorctl ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(String(stdout)),
      ),
    );
  let child = null;
  const handle = {
    name: 'supervisord',
    conf,
    ctl,
    ident: null,
    launch: async () => {
      child = spawn(bin, ['-c', conf], { cwd: o.dir, stdio: 'ignore' });
      handle.ident = await pollUntil(() => identify(child.pid), 5000);
      const up = await pollUntil(async () => (await ctl(['status']).catch(() => '')).length > 0, 20_000, 50);
      if (!up) throw new Error('supervisord did not come up');
      return handle.ident;
    },
    get pid() {
      return handle.ident?.pid ?? null;
    },
    appPid: async (name) => {
      const m = /pid (\d+)/.exec(await ctl(['status', name]));
      return m ? Number(m[1]) : null;
    },
    stopService: (name) => ctl(['stop', name]),
    stopAll: () => ctl(['stop', 'all']),
    startService: (name) => ctl(['start', name]),
    killSupervisor: () => {
      if (handle.ident) signal(handle.ident.pid, 'SIGKILL');
    },
    shutdown: async () => {
      if (!handle.ident || !isSame(handle.ident)) return;
      signal(handle.ident.pid, 'SIGTERM');
      const gone = await pollUntil(() => !isSame(handle.ident), 30_000, 50);
      if (!gone) signal(handle.ident.pid, 'SIGKILL');
    },
  };
  await handle.launch();
  return handle;
}
