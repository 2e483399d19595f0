// `reload.command` (SPEC §7, systemd's ExecReload=): a command run beside the service to make it
// reload (e.g. `nginx -s reload`, `kill -HUP $MAINPID`). It runs in the service's cwd with the
// service's env plus MAINPID, as the service's user, through the service's shell for a string;
// the reload succeeded when it exits 0 within its timeout. The service itself is not restarted.
import { spawn } from 'node:child_process';
import type { ServiceConfig } from '../../contract/config.js';
import { readEnvFiles } from '../config/env-file.js';
import { runAs } from '../users/account.js';

export type ReloadResult = { ok: true; ms: number } | { ok: false; error: string };

export function runReloadCommand(c: ServiceConfig, mainPid: number, baseEnv: NodeJS.ProcessEnv): Promise<ReloadResult> {
  const reload = c.reload;
  if (!reload) return Promise.resolve({ ok: false, error: `${c.id} has no reload.command (use hypha signal ${c.id} HUP, or restart it)` });
  const files = readEnvFiles([c.globalEnvFile, c.envFile]);
  if (!files.ok) return Promise.resolve({ ok: false, error: files.error });
  const account = runAs(c.user);
  if (!account.ok) return Promise.resolve({ ok: false, error: account.error });
  const env = { ...baseEnv, ...account.runAs.env, ...files.env, ...c.env, HYPHA_SERVICE: c.id, MAINPID: String(mainPid) };
  const [file, args, shell] =
    typeof reload.command === 'string' ? [reload.command, [] as string[], c.shell ?? true] : [reload.command[0] as string, reload.command.slice(1), false];
  const started = Date.now();
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(file, args, {
      cwd: c.cwd,
      env,
      shell,
      uid: account.runAs.uid,
      gid: account.runAs.gid,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: reload.timeoutMs,
      killSignal: 'SIGKILL',
    });
    child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-500)));
    child.once('error', (e) => resolve({ ok: false, error: `reload.command: cannot start: ${e.message}` }));
    child.once('close', (code, signal) => {
      const ms = Date.now() - started;
      if (code === 0) return resolve({ ok: true, ms });
      const said = stderr.trim().split('\n').pop() ?? '';
      const how = signal ? (ms >= reload.timeoutMs ? `timed out after ${reload.timeoutMs} ms` : `killed by ${signal}`) : `exited with code ${code}`;
      resolve({ ok: false, error: `reload.command ${how}${said ? `: ${said}` : ''}` });
    });
  });
}
