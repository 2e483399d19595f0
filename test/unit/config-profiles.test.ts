// Environment profiles (issue 13 item 4): `env_<profile>` maps merged over `env` in the order top
// env < top env_<p> < service env < service env_<p>, `${VAR}` expansion in them, the errors a bad
// profile key or value gets (file:line:col, the key named), the choice of profile (flag over
// HYPHA_PROFILE) and the warning for a profile the file does not define; also their JSON Schema.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { formatConfigError, type HyphaConfig } from '../../main/contract/config.js';
import { builtInConfig } from '../../main/core/config/default.js';
import { parseConfigText } from '../../main/core/config/load.js';
import { isProfileKey, profileWarning, selectProfile } from '../../main/core/config/profiles.js';
import { configJsonSchema } from '../../main/core/config/schema.js';

const FILE = '/cfg/hypha.yaml';

function load(text: string, profile: string | null = null): HyphaConfig {
  const r = parseConfigText(text, FILE, { profile });
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
  return r.config;
}

function errors(text: string, profile: string | null = null): string[] {
  const r = parseConfigText(text, FILE, { profile });
  if (r.ok) throw new Error('expected errors, the config loaded');
  return r.errors.map(formatConfigError);
}

const envOf = (c: HyphaConfig, id: string): Record<string, string> => {
  const s = c.services.find((x) => x.id === id);
  if (!s) throw new Error(`no service ${id}`);
  return s.env;
};

// Four layers; each variable is first set at a lower layer and overridden from the next one up.
const LAYERED = `env:
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
    command: serve
    env:
      C: web
      D: web
      VERSION: 1.10
    env_prod:
      D: web-prod
      URL: "http://\${B}.example"
      VERSION: 2.10
  worker:
    command: work
    replicas: 2
    env_prod:
      C: worker-prod
`;

describe('merge order', () => {
  it('without a profile, env_<profile> maps change nothing', () => {
    const c = load(LAYERED);
    expect(c.profile).toBeNull();
    expect(c.profiles).toEqual(['prod', 'staging']);
    expect(envOf(c, 'web')).toEqual({ A: 'top', B: 'top', C: 'web', D: 'web', ROOT: '/srv', VERSION: '1.10' });
    expect(envOf(c, 'worker-0')).toMatchObject({ A: 'top', B: 'top', C: 'top', D: 'top' });
  });

  it('top env < top env_prod < service env < service env_prod; ${VAR} expands with the layers below', () => {
    const c = load(LAYERED, 'prod');
    expect(c.profile).toBe('prod');
    expect(envOf(c, 'web')).toEqual({
      A: 'top',
      B: 'top-prod',
      C: 'web',
      D: 'web-prod',
      ROOT: '/srv',
      DATA: '/srv/prod',
      URL: 'http://top-prod.example',
      // As written, not YAML's number 2.1.
      VERSION: '2.10',
    });
  });

  it("every replica gets its service's profile env, and its own HYPHA_REPLICA still", () => {
    const c = load(LAYERED, 'prod');
    for (const i of [0, 1]) {
      expect(envOf(c, `worker-${i}`)).toMatchObject({ B: 'top-prod', C: 'worker-prod', D: 'top-prod', HYPHA_REPLICA: String(i) });
    }
  });

  it('another profile merges only its own maps', () => {
    const c = load(LAYERED, 'staging');
    expect(envOf(c, 'web')).toEqual({ A: 'top', B: 'top-staging', C: 'web', D: 'web', ROOT: '/srv', VERSION: '1.10' });
  });

  it('a profile that no env_<profile> defines is carried, merges nothing, and is warned about (not an error)', () => {
    const c = load(LAYERED, 'qa');
    expect(c.profile).toBe('qa');
    expect(envOf(c, 'web')).toEqual(load(LAYERED).services[0]?.env);
    expect(profileWarning(c)).toBe(`profile qa is not defined in ${FILE} (no env_qa key)`);
    expect(profileWarning(load(LAYERED, 'prod'))).toBeNull();
    expect(profileWarning(load(LAYERED))).toBeNull();
  });

  it('a profile defined only in one service counts as defined', () => {
    const c = load('services:\n  a:\n    command: x\n    env_local: { K: v }\n', 'local');
    expect(c.profiles).toEqual(['local']);
    expect(profileWarning(c)).toBeNull();
    expect(envOf(c, 'a')).toEqual({ K: 'v' });
  });

  it('env_file stays the env file, not a profile called "file"', () => {
    const c = load('env_file: top.env\nservices:\n  a:\n    command: x\n    env_file: own.env\n', 'file');
    expect(c.profiles).toEqual([]);
    expect(c.services[0]?.envFile).toBe('/cfg/own.env');
    expect(c.services[0]?.globalEnvFile).toBe('/cfg/top.env');
    expect(isProfileKey('env_file')).toBe(false);
    expect(isProfileKey('env')).toBe(false);
    expect(isProfileKey('env_production')).toBe(true);
  });

  it('the built-in config carries the profile too', () => {
    expect(builtInConfig('prod').profile).toBe('prod');
    expect(builtInConfig().profile).toBeNull();
  });
});

describe('validation errors (file:line:col)', () => {
  it('an invalid profile name is an error at its key, naming it, at the top level and in a service', () => {
    const text = ['env_Prod:', '  A: 1', 'services:', '  web:', '    command: x', '    env_prod.v2: { B: 2 }', '    env_: {}', ''].join('\n');
    expect(errors(text)).toEqual([
      `${FILE}:1:1: env_Prod: invalid profile name "Prod": use lowercase letters, digits, - and _ (env_production, env_staging)`,
      `${FILE}:6:5: services.web["env_prod.v2"]: invalid profile name "prod.v2": use lowercase letters, digits, - and _ (env_production, env_staging)`,
      `${FILE}:7:5: services.web.env_: invalid profile name "": use lowercase letters, digits, - and _ (env_production, env_staging)`,
    ]);
  });

  it('bad values in a profile get the same errors as in env, where they are written', () => {
    const text = [
      'env_prod:',
      '  LIST: [1, 2]',
      'services:',
      '  web:',
      '    command: x',
      '    env_prod:',
      '      "A=B": x',
      '  api:',
      '    command: x',
      '    env_prod: just-a-string',
      '  db:',
      '    command: x',
      '    env_prod:',
      '',
    ].join('\n');
    expect(errors(text)).toEqual([
      `${FILE}:2:9: env_prod.LIST: expected a string, number or boolean, got a list`,
      `${FILE}:7:7: services.web.env_prod["A=B"]: invalid variable name "A=B"`,
      `${FILE}:10:15: services.api.env_prod: expected a mapping, got a string ("just-a-string")`,
      `${FILE}:13:5: services.db.env_prod: expected a mapping, got nothing`,
    ]);
  });

  it("the active profile's ${VAR} problems point into its env_<profile>", () => {
    const text = 'services:\n  web:\n    command: x\n    env_prod:\n      URL: "${HYPHA_TEST_NO_SUCH_VAR}/x"\n';
    expect(errors(text, 'prod')).toEqual([
      `${FILE}:5:12: services.web.env_prod.URL: unknown variable HYPHA_TEST_NO_SUCH_VAR in "\${HYPHA_TEST_NO_SUCH_VAR}" (set it in the environment or an env_file, or write \${HYPHA_TEST_NO_SUCH_VAR:-default})`,
    ]);
  });

  it('other keys stay unknown keys (env-prod is not a profile key)', () => {
    expect(errors('services:\n  web:\n    command: x\n    env-prod: { A: 1 }\n')).toEqual([`${FILE}:4:5: services.web.env-prod: unknown key`]);
  });
});

describe('choosing the profile', () => {
  it('--profile wins over HYPHA_PROFILE; an empty HYPHA_PROFILE is none', () => {
    expect(selectProfile('prod', { HYPHA_PROFILE: 'staging' })).toEqual({ ok: true, profile: 'prod' });
    expect(selectProfile(undefined, { HYPHA_PROFILE: 'staging' })).toEqual({ ok: true, profile: 'staging' });
    expect(selectProfile(undefined, { HYPHA_PROFILE: '' })).toEqual({ ok: true, profile: null });
    expect(selectProfile(undefined, {})).toEqual({ ok: true, profile: null });
  });

  it('a name that no env_<profile> key could have is a usage error naming where it came from', () => {
    expect(selectProfile('Prod', {})).toEqual({ ok: false, error: 'invalid profile name "Prod" in --profile: use lowercase letters, digits, - and _, as in an env_<profile> key' });
    expect(selectProfile('', {})).toMatchObject({ ok: false });
    expect(selectProfile(undefined, { HYPHA_PROFILE: 'a b' })).toEqual({
      ok: false,
      error: 'invalid profile name "a b" in HYPHA_PROFILE: use lowercase letters, digits, - and _, as in an env_<profile> key',
    });
  });
});

describe('JSON Schema', () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(configJsonSchema());

  it('accepts env_<profile> maps at the top level and in services, and refuses bad ones', () => {
    expect(validate({ env_prod: { A: '1' }, services: { web: { command: 'x', env_prod: { B: 2 }, env_file: '.env' } } })).toBe(true);
    expect(validate({ env_prod: { A: [1] } })).toBe(false);
    expect(validate({ services: { web: { command: 'x', env_Prod: { B: '2' } } } })).toBe(false);
    expect(validate({ env_file: { A: '1' } })).toBe(false);
  });
});
