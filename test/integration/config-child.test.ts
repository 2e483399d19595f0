// Issue 16 item 1: the daemon reads its config in a short child process, so yaml, zod and the
// schema never stay in its heap. Proven two ways: (1) the built loader (dist, child process)
// answers exactly what the in-thread loader answers, errors included, for valid, invalid and
// unreadable files, profiles and the built-in config; (2) a daemon started, reloaded with a good
// and a bad file, and asked for its config, never loads a module from zod or yaml (a loader hook
// writes every module it loads), while its config child does; the bad reload changes nothing.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInConfig } from '../../main/core/config/default.js';
import { loadConfigFile } from '../../main/core/config/load.js';
import { tempDir } from '../helpers/temp.js';
import { ROOT, startDaemon, useDaemons } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

type Loader = typeof import('../../main/host/config-loader.js');
const builtLoader = (): Promise<Loader> => import(pathToFileURL(join(ROOT, 'dist', 'main', 'host', 'config-loader.js')).href) as Promise<Loader>;

const daemons = useDaemons();

const VALID = `api: { port: 0 }
x-base: &base
  restart: { policy: always }
env: { GREETING: hello }
env_prod: { GREETING: bonjour }
services:
  web:
    <<: *base
    command: "echo \${GREETING} \${HOME}"
    port: 18123
    health: { http: "http://127.0.0.1:18123/health", interval: 2s }
  job:
    command: [/bin/true]
    type: oneshot
    schedule: "*/5 * * * *"
`;

const BAD = {
  yaml: 'services:\n  web:\n    command: [a\n',
  schema: 'services:\n  web:\n    command: ""\n    port: 99999\n    restart: { policy: sometimes }\n',
  cross: 'services:\n  a:\n    command: x\n    depends_on: [b]\n  b:\n    command: y\n    depends_on: [a]\n',
  top: '- just\n- a list\n',
  profile: 'services:\n  web:\n    command: x\n    env_Prod: { A: 1 }\n',
  unknown: 'services:\n  web:\n    command: x\n    comand: y\n',
  expansion: 'services:\n  web:\n    command: "echo ${NOPE_NOT_SET_ANYWHERE:?must be set}"\n',
};

describe('config read in a child process', () => {
  it('answers exactly what the in-thread loader answers: configs, profiles, every error, unreadable files, the built-in config', async () => {
    const { readConfig, childEntry } = await builtLoader();
    expect(childEntry()).not.toBeNull();
    const dir = tempDir('hypha-cfgchild-');
    const cases: { file: string; profile: string | null }[] = [];
    const add = (name: string, text: string, profile: string | null = null): void => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, text);
      cases.push({ file, profile });
    };
    add('valid', VALID);
    add('valid-prod', VALID, 'prod');
    add('valid-qa', VALID, 'qa');
    for (const [name, text] of Object.entries(BAD)) add(name, text);
    cases.push({ file: join(dir, 'missing.yaml'), profile: null });
    mkdirSync(join(dir, 'folder.yaml'));
    cases.push({ file: join(dir, 'folder.yaml'), profile: null });
    for (const c of cases) {
      const child = await readConfig(c);
      expect(child, c.file).toEqual(loadConfigFile(c.file, { profile: c.profile }));
    }
    // The invalid ones really are errors with places, not empty answers that happen to agree.
    const schema = await readConfig({ file: join(dir, 'schema.yaml'), profile: null });
    expect(schema.ok).toBe(false);
    if (!schema.ok) expect(schema.errors.length).toBeGreaterThanOrEqual(3);
    const valid = await readConfig({ file: join(dir, 'valid-prod.yaml'), profile: 'prod' });
    expect(valid.ok && valid.config.services.map((s) => s.id)).toEqual(['web', 'job']);
    expect(await readConfig({ file: null, profile: 'prod' })).toEqual({ ok: true, config: builtInConfig('prod') });
  }, 120_000);

  it('the daemon never loads yaml or zod: not at start, nor on a good or a bad reload, which changes nothing', async () => {
    const trace = join(tempDir('hypha-trace-'), 'modules.txt');
    writeFileSync(trace, '');
    const register = join(ROOT, 'test', 'fixtures', 'trace-modules', 'register.mjs');
    const d = await startDaemon('api: { port: 0 }\nservices:\n  one:\n    command: "exec sleep 300"\n', {
      env: { NODE_OPTIONS: `--import ${pathToFileURL(register).href}`, HYPHA_TRACE_MODULES: trace },
    });
    daemons.push(d);
    const one = await d.waitFor('one', (s) => s.state === 'running', 'running');

    writeFileSync(d.configFile, 'api: { port: 0 }\nservices:\n  one:\n    command: "exec sleep 300"\n  two:\n    command: "exec sleep 301"\n');
    const good = await d.cli(['reload']);
    expect(good.code, good.stderr).toBe(0);
    await d.waitFor('two', (s) => s.state === 'running', 'running after the reload');

    writeFileSync(d.configFile, BAD.schema);
    const bad = await d.cli(['reload']);
    const validate = await d.cli(['validate', '-c', d.configFile]);
    expect(bad.code).toBe(2);
    expect(validate.code).toBe(2);
    // Every error, word for word and place for place, as `hypha validate` (in-thread) gives them.
    expect(bad.stderr.trim().split('\n').filter((l) => l.startsWith(d.configFile))).toEqual(validate.stderr.trim().split('\n').filter((l) => l.startsWith(d.configFile)));
    expect((await d.status('one')).pid).toBe(one.pid);
    expect((await d.list()).map((s) => s.id).sort()).toEqual(['one', 'two']);

    // The hook writes each module before it is evaluated: the daemon's list is complete by now.
    const traced = (): [string, string][] => readFileSync(trace, 'utf8').split('\n').filter(Boolean).map((x) => x.split(' ') as [string, string]);
    const daemonModules = traced().filter(([pid]) => pid === String(d.pid)).map(([, url]) => url);
    expect(daemonModules.some((u) => u.includes('/dist/main/core/supervisor.js'))).toBe(true);
    expect(daemonModules.filter((u) => /\/node_modules\/(zod|yaml)\//.test(u))).toEqual([]);
    expect(daemonModules.filter((u) => /\/core\/config\/(schema|load|yaml-read)\.js$/.test(u))).toEqual([]);
    // The witness that the hook sees them at all: the config children (start, two reloads) did load zod.
    await waitFor(() => traced().some(([pid, url]) => pid !== String(d.pid) && url.includes('/node_modules/zod/')), {
      timeoutMs: 30_000,
      message: 'a config child loading zod',
    });
  }, 180_000);
});
