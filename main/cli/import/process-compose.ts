// process-compose.yaml → services. The names are close on purpose (depends_on conditions,
// liveness_probe → health, availability → restart, shutdown → stop). A readiness_probe maps to
// readiness where this Hypha has it; before that, a service with only a readiness probe gets it as
// its health check with restart_on_unhealthy: false, which gates dependents the same way and
// never restarts. A process another waits on to complete becomes a oneshot.
import { type Mapping, NOT_YET, type Raw, type ServiceDraft, isRecord } from './mapping.js';
import { probeBlock } from './probes.js';
import { hasCondition, hasServiceKey, hasTopKey } from './schema-keys.js';
import { durationFromMs, envFromList, envString, makeId, signalName } from './values.js';

const RESTART: Record<string, string> = { always: 'always', on_failure: 'on-failure', exit_on_failure: 'on-failure', no: 'never' };

export function importProcessCompose(doc: unknown, m: Mapping): void {
  if (!isRecord(doc) || !isRecord(doc.processes)) {
    m.skip(null, 'processes', isRecord(doc) ? doc.processes : doc, 'no processes mapping found');
    return;
  }
  const processes = doc.processes;
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const name of Object.keys(processes)) ids.set(name, makeId(name, taken));
  const globalEnv = Array.isArray(doc.environment) ? envFromList(doc.environment) : isRecord(doc.environment) ? mapEnv(doc.environment) : null;
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'processes') continue;
    if (k === 'environment' && globalEnv) {
      if (hasTopKey('env')) m.set(null, 'environment', ['env'], globalEnv);
      else m.covered(null, 'environment', 'merged into every service env below');
    } else if (k === 'version') m.covered(null, k, 'format version; hypha.yaml has none');
    else if (k === 'shell' && isRecord(v) && typeof v.shell_command === 'string' && hasServiceKey('shell')) {
      m.covered(null, 'shell', 'set per service below');
    } else m.skip(null, k, v, k === 'log_location' || k === 'log_level' ? 'Hypha keeps logs under $HYPHA_HOME/logs' : 'no Hypha equivalent');
  }
  // A process someone waits on to complete is a job, not a daemon.
  const awaited = new Set<string>();
  for (const p of Object.values(processes)) {
    if (!isRecord(p) || !isRecord(p.depends_on)) continue;
    for (const [dep, opts] of Object.entries(p.depends_on)) {
      if (isRecord(opts) && typeof opts.condition === 'string' && /^process_completed/.test(opts.condition)) awaited.add(dep);
    }
  }
  for (const [name, p] of Object.entries(processes)) {
    const s = m.service(ids.get(name) as string);
    if (s.id !== name) m.set(s, 'name', ['name'], name, "id made to fit Hypha's id rule");
    if (!isRecord(p)) {
      m.skip(s, name, p, 'not a process mapping');
      continue;
    }
    if (awaited.has(name)) m.set(s, '(depended on to complete)', ['type'], 'oneshot', 'another process waits for it to complete');
    const shell = isRecord(doc.shell) && typeof doc.shell.shell_command === 'string' ? doc.shell.shell_command : null;
    if (shell && hasServiceKey('shell') && typeof p.command === 'string') m.set(s, 'shell.shell_command', ['shell'], shell);
    mapProcess(p, s, m, { ids, processes, globalEnv: hasTopKey('env') ? null : globalEnv, oneshot: awaited.has(name) });
  }
}

interface Context {
  ids: Map<string, string>;
  processes: Raw;
  globalEnv: Record<string, string> | null;
  oneshot: boolean;
}

function mapEnv(env: Raw): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, envString(v)]));
}

function mapProcess(p: Raw, s: ServiceDraft, m: Mapping, ctx: Context): void {
  const done = new Set<string>();
  const handle = (key: string, fn: (v: unknown) => void): void => {
    done.add(key);
    if (p[key] !== undefined) fn(p[key]);
  };
  handle('command', (v) => m.set(s, 'command', ['command'], String(v), 'run through the shell'));
  handle('entrypoint', (v) => {
    if (Array.isArray(v) && p.command === undefined) m.set(s, 'entrypoint', ['command'], v.map(String));
    else m.skip(s, 'entrypoint', v, 'with command set too; write the full command by hand');
  });
  handle('description', (v) => m.skip(s, 'description', v, 'no Hypha equivalent (kept here as a note)'));
  handle('working_dir', (v) => m.set(s, 'working_dir', ['cwd'], String(v)));
  const env = { ...(ctx.globalEnv ?? {}), ...(Array.isArray(p.environment) ? envFromList(p.environment) : isRecord(p.environment) ? mapEnv(p.environment) : {}) };
  done.add('environment');
  if (Object.keys(env).length > 0) m.set(s, 'environment', ['env'], env, ctx.globalEnv && Object.keys(ctx.globalEnv).length > 0 ? 'with the top-level environment merged under it' : '');
  handle('env_file', (v) => m.set(s, 'env_file', ['env_file'], String(v)));
  handle('disabled', (v) => m.set(s, 'disabled', ['autostart'], v !== true));
  handle('availability', (v) => mapAvailability(isRecord(v) ? v : {}, s, m, ctx.oneshot));
  handle('depends_on', (v) => mapDependsOn(isRecord(v) ? v : {}, s, m, ctx));
  handle('liveness_probe', (v) => {
    const block = isRecord(v) ? probeBlock(v, 'liveness_probe', s, m) : null;
    if (block) m.set(s, 'liveness_probe', ['health'], block);
  });
  handle('readiness_probe', (v) => {
    if (!isRecord(v)) return;
    if (hasServiceKey('readiness')) {
      const block = probeBlock(v, 'readiness_probe', s, m);
      if (!block) return;
      for (const k of Object.keys(block)) {
        if (hasServiceKey(`readiness.${k}`)) continue;
        m.skip(s, `readiness_probe (${k})`, block[k], `readiness has no ${k} in this Hypha`);
        delete block[k];
      }
      m.set(s, 'readiness_probe', ['readiness'], block);
    } else if (p.liveness_probe === undefined) {
      const block = probeBlock(v, 'readiness_probe', s, m);
      if (block) m.set(s, 'readiness_probe', ['health'], { ...block, restart_on_unhealthy: false }, 'as a health check that never restarts (no readiness key in this Hypha yet)');
    } else m.skip(s, 'readiness_probe', v, `${NOT_YET} (readiness; health holds the liveness probe)`);
  });
  handle('ready_log_line', (v) => {
    if (hasServiceKey('readiness.log_line') && p.readiness_probe !== undefined) m.skip(s, 'ready_log_line', v, 'readiness already holds the readiness_probe (one form per service)');
    else if (hasServiceKey('readiness.log_line')) m.set(s, 'ready_log_line', ['readiness', 'log_line'], escapeRegex(String(v)));
    else m.skip(s, 'ready_log_line', v, `${NOT_YET} (readiness.log_line)`);
  });
  handle('shutdown', (v) => mapShutdown(isRecord(v) ? v : {}, s, m));
  handle('replicas', (v) => {
    if (v === 1) m.covered(s, 'replicas', 'one copy, as Hypha runs');
    else if (hasServiceKey('replicas')) m.set(s, 'replicas', ['replicas'], Number(v), 'each copy gets HYPHA_REPLICA');
    else m.skip(s, 'replicas', v, `${NOT_YET} (replicas)`);
  });
  handle('success_exit_codes', (v) => {
    if (hasServiceKey('success_exit_codes') && ctx.oneshot) m.set(s, 'success_exit_codes', ['success_exit_codes'], v);
    else m.skip(s, 'success_exit_codes', v, hasServiceKey('success_exit_codes') ? 'only for oneshots in Hypha' : `${NOT_YET} (success_exit_codes)`);
  });
  handle('is_daemon', (v) => {
    if (v !== true) return;
    m.skip(s, 'is_daemon', v, hasServiceKey('pidfile') ? 'set pidfile: to the file the program writes its pid to' : `${NOT_YET} (pidfile)`);
  });
  handle('watch', (v) => m.skip(s, 'watch', v, hasServiceKey('watch') ? 'write watch.paths by hand' : `${NOT_YET} (watch)`));
  m.skipRest(s, '', p, done, 'no Hypha equivalent');
}

function mapAvailability(a: Raw, s: ServiceDraft, m: Mapping, oneshot: boolean): void {
  const done = new Set(['restart', 'backoff_seconds', 'max_restarts']);
  if (typeof a.restart === 'string') {
    const policy = RESTART[a.restart];
    if (!policy) m.skip(s, 'availability.restart', a.restart, 'unknown restart policy');
    else if (oneshot && policy !== 'never') m.skip(s, 'availability.restart', a.restart, 'a oneshot is re-run by retries in Hypha, not restarted');
    else m.set(s, 'availability.restart', ['restart', 'policy'], policy, a.restart === 'exit_on_failure' ? 'Hypha does not stop the others when it fails' : '');
  }
  if (typeof a.backoff_seconds === 'number') {
    const d = durationFromMs(a.backoff_seconds * 1000);
    m.set(s, 'availability.backoff_seconds', ['restart', 'delay'], d);
    m.set(s, 'availability.backoff_seconds', ['restart', 'max_delay'], d, 'same as delay: process-compose waits a fixed time');
  }
  if (typeof a.max_restarts === 'number') {
    if (a.max_restarts === 0) m.covered(s, 'availability.max_restarts', 'process-compose 0 = unlimited; Hypha keeps its default limit');
    else m.set(s, 'availability.max_restarts', ['restart', 'max_restarts'], a.max_restarts, 'counted within restart.window (default 5m)');
  }
  m.skipRest(s, 'availability.', a, done, 'no Hypha equivalent (Hypha never ends the others because one ended)');
}

function mapDependsOn(deps: Raw, s: ServiceDraft, m: Mapping, ctx: Context): void {
  const out: Raw = {};
  for (const [name, opts] of Object.entries(deps)) {
    const id = ctx.ids.get(name);
    if (!id) {
      m.skip(s, `depends_on.${name}`, opts, 'no such process in this file');
      continue;
    }
    const cond = isRecord(opts) && typeof opts.condition === 'string' ? opts.condition : 'process_started';
    const target = ctx.processes[name];
    const targetHasProbe = isRecord(target) && (target.liveness_probe !== undefined || target.readiness_probe !== undefined);
    let condition: string;
    let note = '';
    switch (cond) {
      case 'process_healthy':
        condition = targetHasProbe ? 'healthy' : 'started';
        if (!targetHasProbe) note = `${name} has no probe, so started`;
        break;
      case 'process_log_ready':
        condition = hasServiceKey('readiness.log_line') ? 'healthy' : 'started';
        if (condition === 'started') note = `${NOT_YET}: readiness by a log line; started instead`;
        break;
      case 'process_completed':
        condition = 'completed';
        if (!hasCondition('completed_successfully')) note = "this Hypha's completed waits for exit 0";
        break;
      case 'process_completed_successfully':
        condition = hasCondition('completed_successfully') ? 'completed_successfully' : 'completed';
        break;
      default:
        condition = 'started';
    }
    out[id] = { condition };
    const option = `depends_on.${name}.condition: ${cond}`;
    const key = `depends_on.${id}.condition: ${condition}`;
    if (note) m.partly(s, option, key, note);
    else m.rows.push({ service: s.id, option, key, note });
    if (isRecord(opts)) {
      for (const [k, v] of Object.entries(opts)) if (k !== 'condition') m.skip(s, `depends_on.${name}.${k}`, v, 'no Hypha equivalent');
    }
  }
  if (Object.keys(out).length > 0) s.fields.depends_on = out;
}

function mapShutdown(sh: Raw, s: ServiceDraft, m: Mapping): void {
  const done = new Set(['command', 'signal', 'timeout_seconds']);
  if (sh.command !== undefined) {
    if (hasServiceKey('stop.command')) m.set(s, 'shutdown.command', ['stop', 'command'], String(sh.command), 'runs first on stop, then the signal');
    else m.skip(s, 'shutdown.command', sh.command, `${NOT_YET} (stop.command)`);
  }
  if (sh.signal !== undefined) {
    const sig = signalName(sh.signal);
    if (sig) m.set(s, 'shutdown.signal', ['stop', 'signal'], sig);
    else m.skip(s, 'shutdown.signal', sh.signal, 'not a signal Hypha stops with');
  }
  if (typeof sh.timeout_seconds === 'number') m.set(s, 'shutdown.timeout_seconds', ['stop', 'timeout'], durationFromMs(sh.timeout_seconds * 1000));
  if (sh.parent_only === true) {
    done.add('parent_only');
    m.skip(s, 'shutdown.parent_only', true, 'Hypha always signals the whole group and every descendant');
  }
  m.skipRest(s, 'shutdown.', sh, done);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
