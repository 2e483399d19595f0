import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../main/core/config/load.js';
import type { HyphaConfig, ServiceConfig } from '../../main/contract/config.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'configs');
const FILE = '/cfg/hypha.yaml';

function config(text: string, file = FILE): HyphaConfig {
  const r = parseConfigText(text, file);
  if (!r.ok) throw new Error(`expected a valid config, got:\n${r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n')}`);
  return r.config;
}

/** `line:col: message` for each error, in reported order. */
function errors(text: string): string[] {
  const r = parseConfigText(text, FILE);
  if (r.ok) return [];
  for (const e of r.errors) expect(e.file).toBe(FILE);
  return r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('the SPEC §1 example', () => {
  const file = join(FIXTURES, 'full.yaml');
  const r = loadConfigFile(file);

  it('loads and normalizes every field', () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.config;
    expect(c.file).toBe(file);
    expect(c.dir).toBe(FIXTURES);
    expect(c.api).toEqual({ port: 8780 });
    expect(c.services.map((s) => s.id)).toEqual(['mycobrain', 'maintenance', 'db']);
    const [myco, maintenance, db] = c.services;
    expect(myco).toEqual<ServiceConfig>({
      id: 'mycobrain',
      name: 'MycoBrain Service',
      type: 'daemon',
      command: 'node assets/demo/mycobrain.mjs',
      cwd: FIXTURES,
      env: { PORT: '8765' },
      envFile: join(FIXTURES, '.env'),
      globalEnvFile: null,
      shell: null,
      user: null,
      log: { maxSizeBytes: 10 * 1024 * 1024, keep: 2, timestamps: true, file: null },
      maxMemoryBytes: null,
      readiness: null,
      reload: null,
      watch: null,
      port: 8765,
      replica: null,
      autostart: true,
      dependsOn: [{ id: 'db', condition: 'healthy', restart: false }],
      health: {
        probe: { kind: 'http', url: 'http://127.0.0.1:8765/health' },
        intervalMs: 10_000,
        timeoutMs: 2000,
        retries: 3,
        startPeriodMs: 5000,
        startIntervalMs: 250,
        restartOnUnhealthy: true,
      },
      restart: { policy: 'on-failure', delayMs: 1000, maxDelayMs: 60_000, minUptimeMs: 5000, maxRestarts: 10, windowMs: 300_000 },
      stop: { command: null, signal: 'SIGTERM', timeoutMs: 10_000 },
      match: 'mycobrain\\.mjs',
      strays: 'report',
      pidfile: null,
      schedule: null,
      timeoutMs: null,
      retries: 0,
      successExitCodes: [0],
    });
    expect(maintenance).toMatchObject({
      type: 'oneshot',
      command: ['node', 'scripts/cleanup.mjs'],
      autostart: false,
      schedule: '1h',
      timeoutMs: 30 * 60_000,
      retries: 3,
      health: null,
      port: null,
      replica: null,
    });
    expect(maintenance.restart.policy).toBe('never');
    expect(db.cwd).toBe(resolve(FIXTURES, '..', 'db'));
    expect(db.health?.probe).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5432 });
  });
});

describe('defaults', () => {
  it('an empty file, a comment-only file and an empty services: are valid with no services', () => {
    for (const text of ['', '   \n', '# nothing yet\n', 'services:\n', 'api:\nservices: {}\n']) {
      expect(config(text)).toEqual({ file: FILE, dir: '/cfg', api: { port: 8780 }, profile: null, profiles: [], services: [] });
    }
  });

  it('fills every default of a daemon', () => {
    const [s] = config(lines('services:', '  web:', '    command: ./serve')).services;
    expect(s).toEqual<ServiceConfig>({
      id: 'web',
      name: 'web',
      type: 'daemon',
      command: './serve',
      cwd: '/cfg',
      env: {},
      envFile: null,
      globalEnvFile: null,
      shell: null,
      user: null,
      log: { maxSizeBytes: 10 * 1024 * 1024, keep: 2, timestamps: true, file: null },
      maxMemoryBytes: null,
      readiness: null,
      reload: null,
      watch: null,
      port: null,
      replica: null,
      autostart: true,
      dependsOn: [],
      health: null,
      restart: { policy: 'on-failure', delayMs: 1000, maxDelayMs: 60_000, minUptimeMs: 5000, maxRestarts: 10, windowMs: 300_000 },
      stop: { command: null, signal: 'SIGTERM', timeoutMs: 10_000 },
      match: null,
      strays: 'report',
      pidfile: null,
      schedule: null,
      timeoutMs: null,
      retries: 0,
      successExitCodes: [0],
    });
  });

  it('fills health defaults and a oneshot restart policy of never', () => {
    const c = config(
      lines(
        'services:',
        '  web:',
        '    command: x',
        '    health: { exec: ["true"] }',
        '  job:',
        '    type: oneshot',
        '    command: x',
      ),
    );
    expect(c.services[0].health).toEqual({
      probe: { kind: 'exec', command: ['true'] },
      intervalMs: 10_000,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 0,
      startIntervalMs: 250,
      restartOnUnhealthy: true,
    });
    expect(c.services[1]).toMatchObject({ type: 'oneshot', schedule: null, timeoutMs: null, retries: 0, autostart: true, successExitCodes: [0] });
    expect(c.services[1].restart.policy).toBe('never');
  });

  it('reads durations in every form', () => {
    const [s] = config(
      lines(
        'services:',
        '  web:',
        '    command: x',
        '    restart: { delay: 500ms, max_delay: 1m30s, min_uptime: 2.5, window: 1h, max_restarts: 0 }',
        '    stop: { timeout: "7" }',
      ),
    ).services;
    expect(s.restart).toMatchObject({ delayMs: 500, maxDelayMs: 90_000, minUptimeMs: 2500, windowMs: 3_600_000, maxRestarts: 0 });
    expect(s.stop.timeoutMs).toBe(7000);
  });

  it('a restart delay above the default cap raises the cap instead of being cut to 60s', () => {
    const [s] = config(lines('services:', '  web:', '    command: x', '    restart: { delay: 2m }')).services;
    expect(s.restart).toMatchObject({ delayMs: 120_000, maxDelayMs: 120_000 });
  });

  it('stringifies env values, keeping numbers as written', () => {
    const [s] = config(
      lines('services:', '  web:', '    command: x', '    env: { A: 1, B: true, C: text, D: 1.10, E: 0x1F, F: "" }'),
    ).services;
    expect(s.env).toEqual({ A: '1', B: 'true', C: 'text', D: '1.10', E: '0x1F', F: '' });
  });

  it('keeps services in file order, numeric-looking ids included', () => {
    const c = config(lines('services:', '  zeta: { command: x }', '  "8080": { command: x }', '  alpha: { command: x }'));
    expect(c.services.map((s) => s.id)).toEqual(['zeta', '8080', 'alpha']);
  });

  it('depends_on as a list or a mapping', () => {
    const c = config(
      lines(
        'services:',
        '  db: { command: x, health: { tcp: "localhost:5432" } }',
        '  cache: { command: x }',
        '  job: { type: oneshot, command: x }',
        '  a: { command: x, depends_on: [db, cache] }',
        '  b:',
        '    command: x',
        '    depends_on: { db: { condition: healthy, restart: true }, cache: {}, job: { condition: completed } }',
        '  c: { command: x, depends_on: { job: { condition: completed_successfully } } }',
      ),
    );
    expect(c.services[3].dependsOn).toEqual([
      { id: 'db', condition: 'started', restart: false },
      { id: 'cache', condition: 'started', restart: false },
    ]);
    expect(c.services[4].dependsOn).toEqual([
      { id: 'db', condition: 'healthy', restart: true },
      { id: 'cache', condition: 'started', restart: false },
      { id: 'job', condition: 'completed', restart: false },
    ]);
    expect(c.services[5].dependsOn).toEqual([{ id: 'job', condition: 'completed_successfully', restart: false }]);
  });

  it('x- keys hold anchors to reuse and are otherwise ignored', () => {
    const c = config(
      lines(
        'x-defaults: &defaults',
        '  restart: { delay: 3s }',
        '  stop: { signal: SIGINT }',
        'services:',
        '  web:',
        '    <<: *defaults',
        '    x-note: anything',
        '    command: x',
      ),
    );
    expect(c.services[0].restart.delayMs).toBe(3000);
    expect(c.services[0].stop.signal).toBe('SIGINT');
  });

  it('an IPv6 tcp target loses its brackets', () => {
    const [s] = config(lines('services:', '  db:', '    command: x', '    health: { tcp: "[::1]:5432" }')).services;
    expect(s.health?.probe).toEqual({ kind: 'tcp', host: '::1', port: 5432 });
  });
});

describe('paths', () => {
  it('resolves cwd and env_file against the config file folder', () => {
    const c = config(
      lines(
        'services:',
        '  a: { command: x, cwd: ../srv, env_file: conf/.env }',
        '  b: { command: x, cwd: /abs/dir, env_file: /etc/b.env }',
        '  c: { command: x, cwd: ~/projects/c }',
      ),
      '/home/u/hypha/hypha.yaml',
    );
    expect(c.dir).toBe('/home/u/hypha');
    expect(c.services[0]).toMatchObject({ cwd: '/home/u/srv', envFile: '/home/u/hypha/conf/.env' });
    expect(c.services[1]).toMatchObject({ cwd: '/abs/dir', envFile: '/etc/b.env' });
    expect(c.services[2].cwd).toBe(join(homedir(), 'projects', 'c'));
  });

  it('a relative file name resolves against the current folder', () => {
    const c = config('services: { a: { command: x } }', 'sub/hypha.yaml');
    expect(c.dir).toBe(resolve('sub'));
    expect(c.services[0].cwd).toBe(resolve('sub'));
  });
});

describe('errors name the key and the exact line:col', () => {
  const svc = (...rest: string[]) => lines('services:', '  a:', '    command: x', ...rest);

  it.each<[string, string, string[]]>([
    ['YAML syntax', lines('services:', '  a:', '\tcommand: x'), ['3:1: invalid YAML: Tabs are not allowed as indentation']],
    ['an unclosed flow list', lines('services:', '  a:', '    command: [x', 'api: {}'), [
      '4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]],
    ['a second YAML document', lines('services: {}', '---', 'api: {}'), [
      '2:1: invalid YAML: only one document is allowed (remove the extra --- line)',
    ]],
    ['an unknown alias', lines('services:', '  a: *base'), ['2:6: invalid YAML: unknown alias *base (define &base before using it)']],
    ['a duplicate key (at the second one)', svc('    port: 1', '    port: 2'), ['5:5: duplicate key "port"']],
    ['a duplicate service id', lines('services:', '  a: { command: x }', '  a: { command: y }'), ['3:3: duplicate key "a"']],
    ['a list at the top level', lines('- a', '- b'), ['1:1: the top level must be a mapping (api:, services:), got a list']],
    ['a scalar at the top level', lines('', 'hello'), ['2:1: the top level must be a mapping (api:, services:), got a string ("hello")']],
    ['an unknown top-level key', lines('apii:', '  port: 1'), ['1:1: apii: unknown key (did you mean "api"?)']],
    ['an unknown service key', svc('    prot: 80'), ['4:5: services.a.prot: unknown key (did you mean "port"?)']],
    ['a docker compose name', svc('    healthcheck: {}'), ['4:5: services.a.healthcheck: unknown key (did you mean "health"?)']],
    ['an unknown nested key', svc('    restart:', '      tries: 3'), ['5:7: services.a.restart.tries: unknown key']],
    ['a wrong type', svc('    autostart: yes'), ['4:16: services.a.autostart: expected true or false, got a string ("yes")']],
    ['services as a list', lines('services:', '  - a'), ['2:3: services: expected a mapping, got a list']],
    ['an empty service', lines('services:', '  a:'), ['2:3: services.a: expected a mapping, got nothing']],
    ['a missing command', lines('services:', '  a:', '    name: A'), ['2:3: services.a.command: required']],
    ['an empty command string', lines('services:', '  a:', '    command: "  "'), ['3:14: services.a.command: empty command']],
    ['an empty command list', lines('services:', '  a:', '    command: []'), ['3:14: services.a.command: empty command']],
    ['a non-string in a command list', lines('services:', '  a:', '    command: [sleep, 5]'), [
      '3:22: services.a.command[1]: expected a string, got a number (5)',
    ]],
    ['a bad duration', svc('    restart:', '      delay: 10 parsecs'), [
      '5:14: services.a.restart.delay: invalid duration "10 parsecs" (use 500ms, 10s, 5m, 1h or seconds)',
    ]],
    ['a negative duration', svc('    stop: { timeout: -1 }'), [
      '4:22: services.a.stop.timeout: invalid duration -1 (use 500ms, 10s, 5m, 1h or seconds)',
    ]],
    ['a boolean duration', svc('    health: { http: "http://x/", interval: true }'), [
      '4:44: services.a.health.interval: invalid duration true (use 500ms, 10s, 5m, 1h or seconds)',
    ]],
    ['a unit that is not supported', svc('    restart: { window: 30d }'), [
      '4:24: services.a.restart.window: invalid duration "30d" (use 500ms, 10s, 5m, 1h or seconds)',
    ]],
    ['a too long duration', svc('    restart: { window: 1000h }'), ['4:24: services.a.restart.window: too long (at most 24 days)']],
    ['a zero interval', svc('    health: { tcp: "h:1", interval: 0 }'), ['4:37: services.a.health.interval: must be more than 0']],
    ['an invalid id', lines('services:', '  Web:', '    command: x'), [
      '2:3: services.Web: invalid service id "Web": must match ^[a-z0-9][a-z0-9_-]{0,62}$ (lowercase letters, digits, - and _; "all" is reserved)',
    ]],
    ['a too long id', lines('services:', `  ${'a'.repeat(64)}: { command: x }`), [
      `2:3: services.${'a'.repeat(64)}: invalid service id "${'a'.repeat(40)}…": must match ^[a-z0-9][a-z0-9_-]{0,62}$ (lowercase letters, digits, - and _; "all" is reserved)`,
    ]],
    ['the reserved id all', lines('services:', '  all:', '    command: x'), [
      '2:3: services.all: service id "all" is reserved (it means every service in the API and CLI)',
    ]],
    ['an unknown depends_on target', svc('    depends_on: [db]'), ['4:18: services.a.depends_on[0]: unknown service "db"']],
    ['an unknown depends_on target (map)', svc('    depends_on:', '      db: { condition: started }'), [
      '5:7: services.a.depends_on.db: unknown service "db"',
    ]],
    ['a self dependency', svc('    depends_on:', '      a: {}'), ['5:7: services.a.depends_on.a: a service cannot depend on itself']],
    ['a bad condition', lines('services:', '  db: { command: x }', '  a:', '    command: x', '    depends_on: { db: { condition: ready } }'), [
      '5:36: services.a.depends_on.db.condition: must be one of started, healthy, completed, completed_successfully (got "ready")',
    ]],
    ['depends_on restart that is not a boolean', lines('services:', '  db: { command: x }', '  a:', '    command: x', '    depends_on: { db: { restart: yes please } }'), [
      '5:34: services.a.depends_on.db.restart: expected true or false, got a string ("yes please")',
    ]],
    ['a bad start_interval', lines('services:', '  a:', '    command: x', '    health: { http: "http://127.0.0.1:1/", start_interval: 0s }'), [
      '4:60: services.a.health.start_interval: must be more than 0',
    ]],
    ['success_exit_codes out of range, not a list, or on a daemon', lines(
      'services:',
      '  a: { type: oneshot, command: x, success_exit_codes: [0, 256] }',
      '  b: { type: oneshot, command: x, success_exit_codes: 0 }',
      '  c: { command: x, success_exit_codes: [0] }',
    ), [
      '2:59: services.a.success_exit_codes[1]: exit code 256 is out of range (0-255)',
      '3:55: services.b.success_exit_codes: expected a list of exit codes, e.g. [0, 3], got 0',
      '4:20: services.c.success_exit_codes: only allowed for type: oneshot',
    ]],
    ['condition healthy on a service without a probe', lines('services:', '  db: { command: x }', '  a:', '    command: x', '    depends_on:', '      db: { condition: healthy }'), [
      '6:7: services.a.depends_on.db: condition healthy needs a health or readiness check on "db", which has neither',
    ]],
    ['a dependency cycle', lines(
      'services:',
      '  a:',
      '    command: x',
      '    depends_on: [b]',
      '  b:',
      '    command: x',
      '    depends_on:',
      '      c: { condition: started }',
      '  c:',
      '    command: x',
      '    depends_on: [a]',
    ), ['4:18: services.a.depends_on[0]: dependency cycle a -> b -> c -> a']],
    ['a duplicate service port (at its second use)', lines('services:', '  a:', '    command: x', '    port: 9000', '  b:', '    command: x', '    port: 9000'), [
      '7:11: services.b.port: port 9000 is already used by services.a',
    ]],
    ['a service port equal to api.port', lines('api:', '  port: 9100', 'services:', '  a:', '    command: x', '    port: 9100'), [
      '6:11: services.a.port: port 9100 is already used by the api (api.port)',
    ]],
    ['api.port equal to an earlier service port', lines('services:', '  a:', '    command: x', '    port: 9100', 'api:', '  port: 9100'), [
      '6:9: api.port: port 9100 is already used by services.a',
    ]],
    ['a service port equal to the default api port', svc('    port: 8780'), [
      '4:11: services.a.port: port 8780 is already used by the api (api.port default)',
    ]],
    ['a port out of range', svc('    port: 70000'), ['4:11: services.a.port: port 70000 is out of range (1-65535)']],
    ['a service port 0', svc('    port: 0'), ['4:11: services.a.port: port 0 is out of range (1-65535)']],
    ['a fractional port', svc('    port: 80.5'), ['4:11: services.a.port: expected a whole port number, got 80.5']],
    ['a huge port', svc('    port: 1e400'), ['4:11: services.a.port: expected a number, got Infinity']],
    ['an api port out of range', lines('api:', '  port: -1'), ['2:9: api.port: port -1 is out of range (0-65535)']],
    ['health without a probe', svc('    health:', '      interval: 5s'), ['4:5: services.a.health: needs exactly one of http, tcp or exec']],
    ['health with two probes', svc('    health:', '      http: http://127.0.0.1/', '      exec: "true"'), [
      '6:7: services.a.health.exec: use only one of http, tcp or exec (found http and exec)',
    ]],
    ['a bad http URL', svc('    health:', '      http: localhost:8080/health'), [
      '5:13: services.a.health.http: invalid URL "localhost:8080/health" (use e.g. http://127.0.0.1:8080/health)',
    ]],
    ['a tcp target without a port', svc('    health:', '      tcp: localhost'), [
      '5:12: services.a.health.tcp: invalid tcp target "localhost" (use "host:port", e.g. "127.0.0.1:5432")',
    ]],
    ['a tcp target given as a number', svc('    health:', '      tcp: 5432'), ['5:12: services.a.health.tcp: expected a string, got a number (5432)']],
    ['an invalid match regex', svc('    match: "([a"'), ['4:12: services.a.match: invalid regex "([a": Unterminated character class']],
    ['an unknown strays mode', svc('    strays: kill'), ['4:13: services.a.strays: must be one of report, stop (got "kill")']],
    ['a bad stop signal', svc('    stop: { signal: SIGFOO }'), [
      '4:21: services.a.stop.signal: unknown stop signal "SIGFOO" (use one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, SIGUSR1, SIGUSR2, SIGABRT, SIGALRM, SIGWINCH)',
    ]],
    ['an invalid cron field', lines('services:', '  job:', '    type: oneshot', '    command: x', '    schedule: "61 * * * *"'), [
      '5:15: services.job.schedule: invalid cron expression "61 * * * *": Invalid value for minute: 61',
    ]],
    ['a 6-field cron expression', lines('services:', '  job:', '    type: oneshot', '    command: x', '    schedule: "0 0 * * * *"'), [
      '5:15: services.job.schedule: invalid schedule "0 0 * * * *" (use an interval like 1h, or a 5-field cron expression like "*/15 * * * *")',
    ]],
    ['a cron expression that never runs', lines('services:', '  job:', '    type: oneshot', '    command: x', '    schedule: "0 0 30 2 *"'), [
      '5:15: services.job.schedule: cron expression "0 0 30 2 *" never runs',
    ]],
    ['a zero interval schedule', lines('services:', '  job:', '    type: oneshot', '    command: x', '    schedule: 0s'), [
      '5:15: services.job.schedule: the interval must be more than 0',
    ]],
    ['oneshot keys on a daemon', svc('    schedule: 1h', '    timeout: 1m', '    retries: 2'), [
      '4:5: services.a.schedule: only allowed for type: oneshot',
      '5:5: services.a.timeout: only allowed for type: oneshot',
      '6:5: services.a.retries: only allowed for type: oneshot',
    ]],
    ['max_delay shorter than delay', svc('    restart: { delay: 10s, max_delay: 5s }'), [
      '4:39: services.a.restart.max_delay: must not be shorter than restart.delay',
    ]],
    ['an env value that is a list', svc('    env:', '      A: [1]'), ['5:10: services.a.env.A: expected a string, number or boolean, got a list']],
    ['an unknown tag', svc('    name: !!foo bar'), ['4:11: invalid YAML: Unresolved tag: tag:yaml.org,2002:foo']],
    ['a __proto__ key', lines('services:', '  __proto__:', '    command: x'), ['2:3: "__proto__" cannot be used as a key']],
  ])('%s', (_name, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('points into the anchor when a merged value is wrong', () => {
    expect(errors(lines('x-base: &base', '  restart: { delay: soon }', 'services:', '  a:', '    <<: *base', '    command: x'))).toEqual([
      '2:21: services.a.restart.delay: invalid duration "soon" (use 500ms, 10s, 5m, 1h or seconds)',
    ]);
  });

  it('reports all errors at once, sorted by position', () => {
    const text = lines(
      'api:',
      '  port: 99999', // 2:9
      'services:',
      '  web:',
      '    command: ""', // 5:14
      '    depends_on: [ghost]', // 6:18
      '    restart:',
      '      delay: 10 parsecs', // 8:14
      '      polcy: always', // 9:7
      '  Bad: { command: x }', // 10:3
      '  db:',
      '    command: x',
      '    port: 5000',
      '  cache:',
      '    command: x',
      '    port: 5000', // 16:11
      '    health: {}', // 17:5
    );
    expect(errors(text)).toEqual([
      '2:9: api.port: port 99999 is out of range (0-65535)',
      '5:14: services.web.command: empty command',
      '6:18: services.web.depends_on[0]: unknown service "ghost"',
      '8:14: services.web.restart.delay: invalid duration "10 parsecs" (use 500ms, 10s, 5m, 1h or seconds)',
      '9:7: services.web.restart.polcy: unknown key (did you mean "policy"?)',
      '10:3: services.Bad: invalid service id "Bad": must match ^[a-z0-9][a-z0-9_-]{0,62}$ (lowercase letters, digits, - and _; "all" is reserved)',
      '16:11: services.cache.port: port 5000 is already used by services.db',
      '17:5: services.cache.health: needs exactly one of http, tcp or exec',
    ]);
  });

  it('reports duplicate keys together with the other errors', () => {
    expect(errors(lines('services:', '  a:', '    command: x', '    command: y', '    port: nope'))).toEqual([
      '4:5: duplicate key "command"',
      '5:11: services.a.port: expected a number, got a string ("nope")',
    ]);
  });
});

describe('reading files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hypha-config-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is one error at 1:1', () => {
    const file = join(dir, 'missing.yaml');
    expect(loadConfigFile(file)).toEqual({
      ok: false,
      errors: [{ file, line: 1, col: 1, message: 'cannot read config file: no such file (ENOENT)' }],
    });
  });

  it('a directory is one error at 1:1', () => {
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    expect(loadConfigFile(sub)).toEqual({
      ok: false,
      errors: [{ file: sub, line: 1, col: 1, message: 'cannot read config file: it is a directory' }],
    });
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('an unreadable file is one error at 1:1', () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'services: {}\n');
    chmodSync(file, 0o000);
    expect(loadConfigFile(file)).toEqual({
      ok: false,
      errors: [{ file, line: 1, col: 1, message: 'cannot read config file: permission denied (EACCES)' }],
    });
  });

  it('a file with errors is reported with its absolute path', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'services:\n  a: {}\n');
    const r = loadConfigFile(file);
    expect(r).toEqual({ ok: false, errors: [{ file, line: 2, col: 3, message: 'services.a.command: required' }] });
  });
});

describe('never throws', () => {
  const wellFormed = (r: ReturnType<typeof parseConfigText>): void => {
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
      expect(Number.isInteger(e.col) && e.col >= 1).toBe(true);
      expect(e.message.length).toBeGreaterThan(0);
    }
  };

  it('on absurd inputs', () => {
    const absurd = [
      '['.repeat(50_000),
      Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
      `services: ${'['.repeat(5000)}${']'.repeat(5000)}`,
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      '\u0000\u0001\u0002',
      'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      'services:\n  a:\n    command: x\n    port: 99999999999999999999999999999\n    retries: 1e999\n',
      '🍄: 🌲\nservices:\n  é: { command: "ünï" }\n',
      '? [a, b]\n: c\n',
      'services:\n  ? { a: 1 }\n  : { command: x }\n',
    ];
    for (const text of absurd) wellFormed(parseConfigText(text, FILE));
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        wellFormed(parseConfigText(text, FILE));
      }),
      { numRuns: 300 },
    );
  });

  it('on random values in every service key', () => {
    const keys = ['name', 'type', 'command', 'cwd', 'env', 'env_file', 'port', 'autostart', 'depends_on', 'health', 'restart', 'stop', 'match', 'strays', 'schedule', 'timeout', 'retries'];
    const service = fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'all', 'X'), service, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 }), (services, api) => {
        wellFormed(parseConfigText(JSON.stringify({ api, services }), FILE));
      }),
      { numRuns: 300 },
    );
  });
});
