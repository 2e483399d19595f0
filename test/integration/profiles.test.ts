// Environment profiles end to end (issue 13 item 4): a real `hypha daemon --profile prod` whose
// service writes the environment it got to a file, read back as the witness (not Hypha's word);
// the profile kept across a reload; shown by /api/info and `hypha status`; chosen by
// HYPHA_PROFILE when no flag is given; warned about when no env_<profile> defines it; carried by
// `hypha export`; and a PM2 ecosystem with env_production imported, validated with --profile
// production and run with it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { q, runCli, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

/** A node service that writes {pid, env: {NAMES…}} to $OUT, then idles until stopped. */
function envWriter(out: string): string {
  const code = `const fs=require('fs');const pick={};for(const k of ['A','B','C','D','DATA','PROFILE_ONLY'])pick[k]=process.env[k]??null;fs.writeFileSync(${JSON.stringify(out)}+'.tmp',JSON.stringify({pid:process.pid,env:pick}));fs.renameSync(${JSON.stringify(out)}+'.tmp',${JSON.stringify(out)});setInterval(()=>{},1e6);`;
  return `[${[process.execPath, '-e', code].map(q).join(', ')}]`;
}

interface Witness {
  pid: number;
  env: Record<string, string | null>;
}

async function witness(file: string, pid: number): Promise<Witness> {
  return waitFor(
    () => {
      if (!existsSync(file)) return null;
      const w = JSON.parse(readFileSync(file, 'utf8')) as Witness;
      return w.pid === pid ? w : null;
    },
    { timeoutMs: 60_000, message: `${file} written by pid ${pid}` },
  );
}

function config(out: string, webProd: string): string {
  return `api: { port: 0 }
env:
  A: top
  B: top
  C: top
  D: top
  ROOT: /srv
env_prod:
  B: top-prod
  C: top-prod
  D: top-prod
  DATA: \${ROOT}/prod
env_staging:
  B: top-staging
services:
  web:
    command: ${envWriter(out)}
    restart: { policy: never }
    env:
      C: web
      D: web
    env_prod:
      D: ${webProd}
      PROFILE_ONLY: "yes"
`;
}

describe.skipIf(process.platform !== 'linux')('environment profiles with a real daemon', () => {
  it('--profile prod: the process gets the prod values in merge order; a reload keeps the profile; info and status show it', async () => {
    const dir = tempDir('hypha-profile-');
    const out = join(dir, 'env.json');
    // HYPHA_PROFILE says staging, the flag says prod: the flag wins.
    const d = await startDaemon(config(out, 'web-prod'), { dir, args: ['--profile', 'prod'], env: { HYPHA_PROFILE: 'staging' } });
    daemons.push(d);
    const first = await d.waitFor('web', (s) => s.state === 'running' && s.pid !== null, 'running');
    const seen = await witness(out, first.pid as number);
    expect(seen.env).toEqual({ A: 'top', B: 'top-prod', C: 'web', D: 'web-prod', DATA: '/srv/prod', PROFILE_ONLY: 'yes' });
    expect(d.output()).toContain('(profile prod)');

    const info = await d.api<{ profile: string | null; configFile: string }>('GET', '/api/info');
    expect(info.body).toMatchObject({ profile: 'prod', configFile: d.configFile });
    const status = await d.cli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`config: ${d.configFile} · profile: prod`);

    // A changed env_prod value restarts the service; the reload reads the file with the same profile.
    writeFileSync(d.configFile, config(out, 'web-prod-2'));
    const reload = await d.cli(['reload']);
    expect(reload.code, reload.stdout + reload.stderr).toBe(0);
    const second = await d.waitFor('web', (s) => s.state === 'running' && s.pid !== null && s.pid !== first.pid, 'running again with a new pid');
    const after = await witness(out, second.pid as number);
    expect(after.env).toEqual({ A: 'top', B: 'top-prod', C: 'web', D: 'web-prod-2', DATA: '/srv/prod', PROFILE_ONLY: 'yes' });
    expect((await d.api<{ profile: string | null }>('GET', '/api/info')).body.profile).toBe('prod');
  });

  it('HYPHA_PROFILE picks the profile when no flag is given; no profile at all merges none', async () => {
    const dir = tempDir('hypha-profile-');
    const out = join(dir, 'env.json');
    const d = await startDaemon(config(out, 'web-prod'), { dir, env: { HYPHA_PROFILE: 'staging' } });
    daemons.push(d);
    const s = await d.waitFor('web', (x) => x.state === 'running' && x.pid !== null, 'running');
    expect((await witness(out, s.pid as number)).env).toEqual({ A: 'top', B: 'top-staging', C: 'web', D: 'web', DATA: null, PROFILE_ONLY: null });
    expect((await d.api<{ profile: string | null }>('GET', '/api/info')).body.profile).toBe('staging');
    await d.stop();

    const plainDir = tempDir('hypha-profile-');
    const plainOut = join(plainDir, 'env.json');
    const plain = await startDaemon(config(plainOut, 'web-prod'), { dir: plainDir, env: { HYPHA_PROFILE: '' } });
    daemons.push(plain);
    const p = await plain.waitFor('web', (x) => x.state === 'running' && x.pid !== null, 'running');
    expect((await witness(plainOut, p.pid as number)).env).toEqual({ A: 'top', B: 'top', C: 'web', D: 'web', DATA: null, PROFILE_ONLY: null });
    expect((await plain.api<{ profile: string | null }>('GET', '/api/info')).body.profile).toBeNull();
    const status = await plain.cli(['status']);
    expect(status.stdout).toContain(`config: ${plain.configFile}\n`);
    expect(status.stdout).not.toContain('· profile');
  });

  it('a profile no env_<profile> defines is a warning, not an error; a bad name is a usage error', async () => {
    const dir = tempDir('hypha-profile-');
    const file = join(dir, 'hypha.yaml');
    writeFileSync(file, config(join(dir, 'env.json'), 'x'));
    const ok = await runCli(['validate', '-c', file, '--profile', 'prod'], {});
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain(`ok: ${file} (1 service, profile prod)`);
    const unknown = await runCli(['validate', '-c', file, '--profile', 'qa'], {});
    expect(unknown.code).toBe(0);
    expect(unknown.stderr).toContain(`warning: profile qa is not defined in ${file}`);
    const fromEnv = await runCli(['validate', '-c', file], { HYPHA_PROFILE: 'qa' });
    expect(fromEnv.stderr).toContain(`warning: profile qa is not defined in ${file}`);
    const bad = await runCli(['validate', '-c', file, '--profile', 'Prod'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid profile name "Prod" in --profile');

    const d = await startDaemon(config(join(dir, 'env.json'), 'x'), { dir, args: ['--profile', 'qa'] });
    daemons.push(d);
    await waitFor(() => d.output().includes(`warning: profile qa is not defined in ${file}`), { timeoutMs: 30_000, message: 'the warning in the daemon output' });
  });

  it('an invalid env_<profile> key fails the daemon start with file:line:col (exit 2)', async () => {
    const dir = tempDir('hypha-profile-');
    const file = join(dir, 'hypha.yaml');
    writeFileSync(file, 'services:\n  web:\n    command: sleep 1000\n    env_Prod: { A: 1 }\n');
    const r = await runCli(['daemon', '-c', file, '--profile', 'prod'], { HYPHA_HOME: join(dir, 'home') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:5: services.web.env_Prod: invalid profile name "Prod"`);
  });

  it('hypha export --profile carries the profile env', async () => {
    const dir = tempDir('hypha-profile-');
    const file = join(dir, 'hypha.yaml');
    writeFileSync(file, config(join(dir, 'env.json'), 'web-prod'));
    const prod = await runCli(['export', 'compose', '-c', file, '--profile', 'prod', '--image', 'node:22'], {});
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stdout).toMatch(/D: web-prod\n/);
    expect(prod.stdout).toMatch(/DATA: \/srv\/prod\n/);
    const plain = await runCli(['export', 'compose', '-c', file, '--image', 'node:22'], {});
    expect(plain.stdout).toMatch(/D: web\n/);
    expect(plain.stdout).not.toMatch(/DATA: /);
    const env = await runCli(['export', 'compose', '-c', file, '--image', 'node:22'], { HYPHA_PROFILE: 'staging' });
    expect(env.stdout).toMatch(/B: top-staging\n/);
  });
});

describe.skipIf(process.platform !== 'linux')('PM2 env_production through hypha import', () => {
  it('imports env_production as env_production; the file validates with --profile production and runs with it', async () => {
    const dir = tempDir('hypha-profile-pm2-');
    const out = join(dir, 'env.json');
    const script = join(dir, 'app.js');
    writeFileSync(
      script,
      `const fs=require('fs');fs.writeFileSync(${JSON.stringify(out)}+'.tmp',JSON.stringify({pid:process.pid,env:{A:process.env.NODE_ENV??null,B:process.env.PORT??null}}));fs.renameSync(${JSON.stringify(out)}+'.tmp',${JSON.stringify(out)});setInterval(()=>{},1e6);\n`,
    );
    writeFileSync(
      join(dir, 'ecosystem.config.js'),
      `module.exports = { apps: [{ name: 'app', script: ${JSON.stringify(script)}, interpreter: ${JSON.stringify(process.execPath)}, env: { NODE_ENV: 'development', PORT: 3000 }, env_production: { NODE_ENV: 'production' } }] };\n`,
    );
    const imported = await runCli(['import', join(dir, 'ecosystem.config.js')], {}, 90_000, dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/env_production:\n\s+NODE_ENV: production\n/);
    expect(imported.stdout).not.toContain('not supported');
    expect(imported.stderr).not.toContain('env_production');
    const check = await runCli(['import', '--check', join(dir, 'ecosystem.config.js')], {}, 90_000, dir);
    expect(check.stdout).toMatch(/app\s+env_production\s+env_production\s+hypha daemon --profile production/);

    const yaml = `api: { port: 0 }\n${imported.stdout}`;
    writeFileSync(join(dir, 'hypha.yaml'), yaml);
    const valid = await runCli(['validate', '-c', join(dir, 'hypha.yaml'), '--profile', 'production'], {});
    expect(valid).toMatchObject({ code: 0, stderr: '' });

    const d = await startDaemon(yaml, { dir, args: ['--profile', 'production'] });
    daemons.push(d);
    const s = await d.waitFor('app', (x) => x.state === 'running' && x.pid !== null, 'running');
    expect((await witness(out, s.pid as number)).env).toEqual({ A: 'production', B: '3000' });
  });
});
