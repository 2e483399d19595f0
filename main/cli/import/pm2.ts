// PM2 ecosystem apps → services. PM2's restart words map onto restart.* (a fixed restart_delay
// becomes delay = max_delay, so Hypha's doubling stays flat); watch, instances and
// max_memory_restart map once this Hypha has watch, replicas and max_memory; per-profile env
// (env_production …) maps to the same env_<profile> key (`pm2 start --env production` is
// `hypha daemon --profile production`); cron_restart of a daemon has no key and becomes a comment.
import { basename, extname } from 'node:path';
import { type Mapping, NOT_YET, type Raw, type ServiceDraft, isRecord } from './mapping.js';
import { hasServiceKey } from './schema-keys.js';
import { splitWords } from './words.js';
import { durationFromMs, envString, makeId, memorySize, msFromPm2 } from './values.js';

const INTERPRETERS: Record<string, string> = {
  '.js': 'node', '.mjs': 'node', '.cjs': 'node', '.py': 'python3', '.sh': 'bash', '.rb': 'ruby', '.php': 'php', '.pl': 'perl', '.ts': 'ts-node',
};

const LOG_KEYS = new Set(['out_file', 'error_file', 'log_file', 'output', 'error', 'log', 'merge_logs', 'combine_logs', 'log_date_format', 'log_type', 'disable_logs']);

export function importPm2(value: unknown, m: Mapping): void {
  const apps = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.apps) ? value.apps : isRecord(value) && value.script ? [value] : null;
  if (!apps) {
    m.skip(null, 'apps', value, 'no apps list found (expected module.exports = { apps: [...] })');
    return;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'apps') m.skip(null, k, v, k === 'deploy' ? 'deployment is outside Hypha (see hypha export)' : 'no Hypha equivalent');
    }
  }
  const taken = new Set<string>();
  apps.forEach((app: unknown, i: number) => {
    if (!isRecord(app)) {
      m.skip(null, `apps[${i}]`, app, 'not an app object');
      return;
    }
    const name = typeof app.name === 'string' ? app.name : typeof app.script === 'string' ? basename(app.script, extname(app.script)) : `app-${i}`;
    const s = m.service(makeId(name, taken));
    if (s.id !== name) m.set(s, 'name', ['name'], name, "id made to fit Hypha's id rule");
    mapApp(app, s, m);
  });
}

function words(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.trim() === '' ? [] : splitWords(v);
  return v === undefined ? [] : null;
}

function command(app: Raw, s: ServiceDraft, m: Mapping): void {
  const script = typeof app.script === 'string' ? app.script : undefined;
  if (!script) {
    m.skip(s, 'script', app.script, 'missing; the service will not validate');
    return;
  }
  const args = words(app.args);
  const interpreterArgs = words(app.interpreter_args ?? app.node_args);
  const interpreter = typeof app.interpreter === 'string' ? app.interpreter : INTERPRETERS[extname(script).toLowerCase()];
  if (args === null || interpreterArgs === null) {
    const line = [interpreter && interpreter !== 'none' ? interpreter : '', script, typeof app.args === 'string' ? app.args : ''].filter(Boolean).join(' ');
    m.set(s, 'script + args', ['command'], line, 'args need a shell: run as a string');
    return;
  }
  if (!interpreter || interpreter === 'none') {
    const scriptWords = args.length === 0 ? splitWords(script) : [script];
    m.set(s, 'script + args', ['command'], scriptWords ? [...scriptWords, ...args] : script, '');
    return;
  }
  m.set(s, 'script + interpreter + args', ['command'], [interpreter, ...interpreterArgs, script, ...args], `interpreter ${interpreter}`);
}

/** PM2's `env_<name>` (used with `pm2 start --env <name>`) → Hypha's `env_<profile>`. */
function envProfile(key: string, value: unknown, s: ServiceDraft, m: Mapping): void {
  const name = key.slice('env_'.length);
  if (!isRecord(value)) {
    m.skip(s, key, value, 'not a mapping of variables');
    return;
  }
  // Hypha's profile names are lowercase words; PM2 takes any. A name that differs only so keeps
  // its meaning under the fitted name, which the row and the output's comment say.
  const fitted = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  if (!hasServiceKey('env') || fitted === 'file' || /^-*$/.test(fitted)) {
    m.skip(s, key, value, `no Hypha profile name fits "${name}" (use [a-z0-9_-]+)`);
    return;
  }
  const env = Object.fromEntries(Object.entries(value).map(([k, x]) => [k, envString(x)]));
  const use = `hypha daemon --profile ${fitted} (pm2 --env ${name})`;
  if (fitted === name) m.set(s, key, [`env_${fitted}`], env, use);
  else {
    // Mapped under another name: the row, a comment and a stderr line say which (Mapping.partly).
    s.fields[`env_${fitted}`] = env;
    m.partly(s, key, `env_${fitted}`, `renamed to fit Hypha's profile names ([a-z0-9_-]+): hypha daemon --profile ${fitted}`);
  }
}

function mapApp(app: Raw, s: ServiceDraft, m: Mapping): void {
  command(app, s, m);
  const done = new Set(['name', 'script', 'args', 'interpreter', 'interpreter_args', 'node_args']);
  const handle = (key: string, fn: (v: unknown) => void): void => {
    done.add(key);
    if (app[key] !== undefined) fn(app[key]);
  };
  const ms = (key: string, v: unknown, path: string[], note = ''): void => {
    const n = msFromPm2(v);
    if (n === null) m.skip(s, key, v, 'not a duration');
    else m.set(s, key, path, durationFromMs(n), note);
  };
  handle('cwd', (v) => m.set(s, 'cwd', ['cwd'], String(v)));
  handle('env', (v) => {
    if (isRecord(v)) m.set(s, 'env', ['env'], Object.fromEntries(Object.entries(v).map(([k, x]) => [k, envString(x)])));
  });
  for (const key of Object.keys(app).filter((k) => /^env_.+/.test(k))) handle(key, (v) => envProfile(key, v, s, m));
  done.add('autorestart');
  if (app.autorestart === false) m.set(s, 'autorestart', ['restart', 'policy'], 'never');
  else if (app.stop_exit_codes === undefined) m.set(s, 'autorestart', ['restart', 'policy'], 'always', `PM2 restarts after any exit${app.autorestart === undefined ? ' (its default)' : ''}`);
  handle('stop_exit_codes', (v) => {
    const codes = (Array.isArray(v) ? v : [v]).map(Number);
    if (codes.length === 1 && codes[0] === 0) m.set(s, 'stop_exit_codes', ['restart', 'policy'], 'on-failure', 'exit 0 is not restarted');
    else m.skip(s, 'stop_exit_codes', v, 'Hypha restarts on every non-zero exit under on-failure');
  });
  handle('max_restarts', (v) => m.set(s, 'max_restarts', ['restart', 'max_restarts'], Number(v), 'counted within restart.window (default 5m)'));
  handle('min_uptime', (v) => ms('min_uptime', v, ['restart', 'min_uptime']));
  handle('restart_delay', (v) => {
    ms('restart_delay', v, ['restart', 'delay']);
    ms('restart_delay', v, ['restart', 'max_delay'], 'same as delay: PM2 waits a fixed time');
  });
  handle('exp_backoff_restart_delay', (v) => {
    ms('exp_backoff_restart_delay', v, ['restart', 'delay'], 'doubles per failed run, as PM2');
    const n = msFromPm2(v);
    if (n !== null) m.set(s, 'exp_backoff_restart_delay', ['restart', 'max_delay'], durationFromMs(Math.max(15_000, n)), "PM2's cap (15s)");
  });
  handle('kill_timeout', (v) => ms('kill_timeout', v, ['stop', 'timeout']));
  handle('autostart', (v) => m.set(s, 'autostart', ['autostart'], v !== false));
  handle('instances', (v) => {
    const n = Number(v);
    const cluster = app.exec_mode === 'cluster' || app.exec_mode === 'cluster_mode';
    if (Number.isInteger(n) && n === 1) m.covered(s, 'instances', 'one copy, as Hypha runs');
    else if (cluster) m.skip(s, 'instances', v, "in cluster mode the copies share one port through Node's cluster module; Hypha's copies each need their own (HYPHA_PORT)");
    else if (!hasServiceKey('replicas')) m.skip(s, 'instances', v, `${NOT_YET} (replicas)`);
    else if (Number.isInteger(n) && n > 1) m.set(s, 'instances', ['replicas'], n, 'each copy gets HYPHA_REPLICA (PM2: NODE_APP_INSTANCE)');
    else m.skip(s, 'instances', v, 'replicas needs a fixed number ("max" / -1 depend on the CPU count)');
  });
  handle('exec_mode', (v) => {
    if (v === 'fork' || v === 'fork_mode') m.covered(s, 'exec_mode', 'Hypha runs processes as PM2 fork mode does');
    else m.skip(s, 'exec_mode', v, "cluster mode shares one port through Node's cluster module; Hypha runs independent copies");
  });
  handle('watch', (v) => {
    if (v === false) return;
    if (!hasServiceKey('watch')) {
      m.skip(s, 'watch', v, `${NOT_YET} (watch)`);
      return;
    }
    m.set(s, 'watch', ['watch', 'paths'], Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : ['.']);
  });
  handle('ignore_watch', (v) => {
    if (hasServiceKey('watch.ignore') && app.watch) m.set(s, 'ignore_watch', ['watch', 'ignore'], (Array.isArray(v) ? v : [v]).map(String));
    else m.skip(s, 'ignore_watch', v, hasServiceKey('watch') ? 'watch is off' : `${NOT_YET} (watch.ignore)`);
  });
  handle('watch_delay', (v) => {
    if (hasServiceKey('watch.debounce') && app.watch) ms('watch_delay', v, ['watch', 'debounce']);
    else m.skip(s, 'watch_delay', v, hasServiceKey('watch') ? 'watch is off' : `${NOT_YET} (watch.debounce)`);
  });
  handle('max_memory_restart', (v) => {
    const size = memorySize(v);
    if (!hasServiceKey('max_memory')) m.skip(s, 'max_memory_restart', v, `${NOT_YET} (max_memory)`);
    else if (size) m.set(s, 'max_memory_restart', ['max_memory'], size, 'Hypha restarts after 3 samples above it');
    else m.skip(s, 'max_memory_restart', v, 'not a size Hypha reads (use 300M, 1G)');
  });
  handle('cron_restart', (v) =>
    m.skip(s, 'cron_restart', v, 'Hypha schedules oneshots, not restarts of a daemon; a oneshot running `hypha restart ID` on this schedule does it'),
  );
  handle('time', (v) => {
    if (hasServiceKey('log.timestamps')) m.set(s, 'time', ['log', 'timestamps'], v === true);
    else m.covered(s, 'time', 'Hypha timestamps every log line');
  });
  handle('pid_file', (v) => m.skip(s, 'pid_file', v, 'PM2 writes it; Hypha keeps pids in $HYPHA_HOME/state.json'));
  handle('wait_ready', (v) => m.skip(s, 'wait_ready', v, "no process.send('ready') in Hypha; a health check (http/tcp/exec) gates dependents"));
  handle('listen_timeout', (v) => m.skip(s, 'listen_timeout', v, "no process.send('ready') in Hypha; see health.start_period"));
  for (const key of Object.keys(app)) {
    if (done.has(key)) continue;
    done.add(key);
    m.skip(s, key, app[key], LOG_KEYS.has(key) ? 'Hypha keeps logs under $HYPHA_HOME/logs (hypha logs ID)' : 'no Hypha equivalent');
  }
}
