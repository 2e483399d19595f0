// Issue 13 item 4: top-level env/env_file under each service's, and ${VAR} expansion in command,
// env and cwd, proven on a real process by reading its /proc/PID/cmdline, environ and cwd.
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/index.js';
import { runCli, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function procEnv(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

describe.skipIf(process.platform !== 'linux')('environment and ${VAR} expansion', () => {
  it('a real process gets the layered env, the expanded argv and cwd', async () => {
    const dir = tempDir('hypha-env-');
    mkdirSync(join(dir, 'work-blue'));
    writeFileSync(join(dir, 'shared.env'), 'SHARED_FILE=from-shared-file\nOVERRIDDEN=shared-file\n');
    writeFileSync(join(dir, 'own.env'), 'OWN_FILE=from-own-file\nOVERRIDDEN=own-file\nNAP=1001\n');
    const d = await startDaemon(
      `api: { port: 0 }
env_file: shared.env
env:
  COLOR: blue
  GREETING: "hello \${WHO_FROM_PROCESS}"
services:
  sleeper:
    env_file: own.env
    env:
      WHERE: "work-\${COLOR}"
      PRICE: "$$5"
    cwd: "\${WHERE}"
    command: ["sleep", "\${NAP}", "\${NOT_SET:-1000}"]
    restart: { policy: never }
`,
      { dir, env: { WHO_FROM_PROCESS: 'daemon-env' } },
    );
    daemons.push(d);
    const s = await d.waitFor('sleeper', (x) => x.state === 'running' && x.pid !== null, 'running');
    const pid = s.pid as number;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual(["1001", "1000"]);
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(join(dir, 'work-blue'));
    const env = procEnv(pid);
    expect(env).toMatchObject({
      COLOR: 'blue',
      GREETING: 'hello daemon-env',
      WHERE: 'work-blue',
      PRICE: '$5',
      SHARED_FILE: 'from-shared-file',
      OWN_FILE: 'from-own-file',
      OVERRIDDEN: 'own-file',
    });
  });

  it('an unknown ${VAR} fails validate with file:line:col', async () => {
    const dir = tempDir('hypha-env-');
    const file = join(dir, 'hypha.yaml');
    writeFileSync(file, 'services:\n  web:\n    command: "serve --port ${HYPHA_TEST_MISSING_PORT}"\n');
    const r = await runCli(['validate', '-c', file], {});
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(`${file}:3:14: services.web.command: unknown variable HYPHA_TEST_MISSING_PORT`);
  });
});
