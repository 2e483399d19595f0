// A docker-compose file, for the services that are local processes: command, healthcheck,
// depends_on, restart, environment, working_dir, stop_signal/stop_grace_period and ports carry
// over; container-only settings (image, build, volumes, networks …) are comments. A service
// without a command cannot run outside its image, so it is left out (with a comment) and
// dependencies on it are dropped with it.
import { type Mapping, NOT_YET, type Raw, type ServiceDraft, isRecord } from './mapping.js';
import { hasCondition, hasServiceKey } from './schema-keys.js';
import { durationFromMs, envFromList, envString, makeId, msFromGoDuration, signalName } from './values.js';

const CONTAINER_ONLY = new Set([
  'image', 'build', 'volumes', 'networks', 'network_mode', 'container_name', 'hostname', 'labels', 'logging', 'privileged',
  'cap_add', 'cap_drop', 'devices', 'dns', 'extra_hosts', 'ipc', 'pid', 'platform', 'pull_policy', 'read_only', 'secrets',
  'configs', 'security_opt', 'shm_size', 'sysctls', 'tmpfs', 'ulimits', 'volumes_from', 'expose', 'links', 'init', 'stdin_open', 'tty',
]);

const CONDITIONS: Record<string, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed_successfully',
};

export function importCompose(doc: unknown, m: Mapping): void {
  if (!isRecord(doc) || !isRecord(doc.services)) {
    m.skip(null, 'services', isRecord(doc) ? doc.services : doc, 'no services mapping found');
    return;
  }
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'services') continue;
    if (k === 'version' || k === 'name') m.covered(null, k, 'not needed in hypha.yaml');
    else m.skip(null, k, v, 'container resources; Hypha runs local processes');
  }
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  const runnable = Object.entries(doc.services).filter(([name, svc]) => {
    if (isRecord(svc) && svc.command !== undefined) return true;
    m.skip(null, `services.${name}`, isRecord(svc) ? (svc.image ?? svc.build ?? null) : svc, "no command: the image's own command is unknown outside the container; add the service by hand");
    return false;
  });
  for (const [name] of runnable) ids.set(name, makeId(name, taken));
  const completes = new Set<string>();
  for (const [, svc] of runnable) {
    const deps = isRecord(svc) ? svc.depends_on : undefined;
    if (!isRecord(deps)) continue;
    for (const [dep, opts] of Object.entries(deps)) if (isRecord(opts) && opts.condition === 'service_completed_successfully') completes.add(dep);
  }
  for (const [name, svc] of runnable) {
    const s = m.service(ids.get(name) as string);
    if (s.id !== name) m.set(s, 'name', ['name'], name, "id made to fit Hypha's id rule");
    if (completes.has(name)) m.set(s, '(depended on to complete)', ['type'], 'oneshot', 'another service waits for it to complete');
    mapService(svc as Raw, s, m, ids, doc.services as Raw, completes.has(name));
  }
}

function mapService(svc: Raw, s: ServiceDraft, m: Mapping, ids: Map<string, string>, all: Raw, oneshot: boolean): void {
  const done = new Set<string>();
  const handle = (key: string, fn: (v: unknown) => void): void => {
    done.add(key);
    if (svc[key] !== undefined) fn(svc[key]);
  };
  handle('command', (v) => {
    const entry = Array.isArray(svc.entrypoint) ? svc.entrypoint.map(String) : typeof svc.entrypoint === 'string' ? null : [];
    if (entry === null) m.skip(s, 'entrypoint', svc.entrypoint, 'a string entrypoint with a command; write the full command by hand');
    const cmd = Array.isArray(v) ? [...(entry ?? []), ...v.map(String)] : (entry ?? []).length > 0 ? [...(entry ?? []), String(v)] : String(v);
    m.set(s, 'command', ['command'], cmd, Array.isArray(v) ? '' : 'a string runs through the shell');
  });
  done.add('entrypoint');
  handle('working_dir', (v) => m.set(s, 'working_dir', ['cwd'], String(v)));
  handle('environment', (v) => {
    const env = Array.isArray(v) ? envFromList(v) : isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? (process.env[k] ?? '') : envString(x)])) : {};
    m.set(s, 'environment', ['env'], env);
  });
  handle('env_file', (v) => {
    const files = (Array.isArray(v) ? v : [v]).map((f) => (isRecord(f) ? String(f.path) : String(f)));
    m.set(s, 'env_file', ['env_file'], files[0]);
    if (files.length > 1) m.skip(s, 'env_file', files.slice(1), 'Hypha reads one env_file per service');
  });
  handle('restart', (v) => {
    const text = String(v);
    const [word, count] = text.split(':');
    const policy = word === 'no' ? 'never' : word === 'on-failure' ? 'on-failure' : 'always';
    if (oneshot && policy !== 'never') m.skip(s, 'restart', v, 'a oneshot is re-run by retries in Hypha, not restarted');
    else m.set(s, 'restart', ['restart', 'policy'], policy, word === 'unless-stopped' ? 'Hypha keeps a stopped service stopped' : '');
    if (count !== undefined) m.set(s, 'restart', ['restart', 'max_restarts'], Number(count));
  });
  handle('healthcheck', (v) => mapHealthcheck(isRecord(v) ? v : {}, s, m));
  handle('depends_on', (v) => {
    const out: Raw = {};
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((d) => [String(d), null]) : isRecord(v) ? Object.entries(v) : [];
    for (const [dep, opts] of entries) {
      const id = ids.get(dep);
      if (!id) {
        m.skip(s, `depends_on.${dep}`, opts, dep in all ? 'that service has no command and was left out' : 'no such service');
        continue;
      }
      const cond = isRecord(opts) && typeof opts.condition === 'string' ? opts.condition : 'service_started';
      let condition = CONDITIONS[cond] ?? 'started';
      if (condition === 'completed_successfully' && !hasCondition(condition)) condition = 'completed';
      const target = all[dep];
      let weaker = '';
      if (condition === 'healthy' && !(isRecord(target) && isRecord(target.healthcheck) && target.healthcheck.disable !== true)) {
        condition = 'started';
        weaker = `${dep} has no healthcheck, so started`;
      }
      const dependency: Raw = { condition };
      if (isRecord(opts) && opts.restart === true) {
        if (hasServiceKey('depends_on.*.restart')) dependency.restart = true;
        else m.skip(s, `depends_on.${dep}.restart`, true, `${NOT_YET} (depends_on.<id>.restart)`);
      }
      if (isRecord(opts) && opts.required === false) m.skip(s, `depends_on.${dep}.required`, false, 'every dependency is required in Hypha');
      out[id] = dependency;
      if (weaker) m.partly(s, `depends_on.${dep}: ${cond}`, `depends_on.${id}.condition: ${condition}`, weaker);
      else m.rows.push({ service: s.id, option: `depends_on.${dep}: ${cond}`, key: `depends_on.${id}.condition: ${condition}`, note: '' });
    }
    if (Object.keys(out).length > 0) s.fields.depends_on = out;
  });
  handle('stop_signal', (v) => {
    const sig = signalName(v);
    if (sig) m.set(s, 'stop_signal', ['stop', 'signal'], sig);
    else m.skip(s, 'stop_signal', v, 'not a signal Hypha stops with');
  });
  handle('stop_grace_period', (v) => {
    const ms = msFromGoDuration(v);
    if (ms === null) m.skip(s, 'stop_grace_period', v, 'not a duration');
    else m.set(s, 'stop_grace_period', ['stop', 'timeout'], durationFromMs(ms));
  });
  handle('ports', (v) => {
    const list = Array.isArray(v) ? v : [];
    const first = list[0];
    const published = isRecord(first) ? Number(first.published ?? first.target) : Number(String(first).split(':').slice(-2)[0]);
    const target = isRecord(first) ? Number(first.target) : Number(String(first).split(':').pop()?.split('/')[0]);
    if (Number.isInteger(published) && published > 0 && published === target) m.set(s, 'ports', ['port'], published);
    else m.skip(s, 'ports', v, 'a local process listens on one port itself; set port: to the one it binds');
    if (list.length > 1 && published === target) m.skip(s, 'ports', list.slice(1), 'Hypha checks one port per service');
  });
  handle('deploy', (v) => {
    const replicas = isRecord(v) ? v.replicas : undefined;
    if (replicas !== undefined && hasServiceKey('replicas')) m.set(s, 'deploy.replicas', ['replicas'], Number(replicas));
    else m.skip(s, 'deploy', v, replicas !== undefined ? `${NOT_YET} (replicas)` : 'no Hypha equivalent');
  });
  handle('user', (v) => {
    if (hasServiceKey('user')) m.set(s, 'user', ['user'], String(v));
    else m.skip(s, 'user', v, `${NOT_YET} (user)`);
  });
  for (const [k, v] of Object.entries(svc)) {
    if (done.has(k)) continue;
    m.skip(s, k, v, CONTAINER_ONLY.has(k) ? 'container only; Hypha runs the command on this machine' : 'no Hypha equivalent');
  }
}

function mapHealthcheck(h: Raw, s: ServiceDraft, m: Mapping): void {
  if (h.disable === true) {
    m.covered(s, 'healthcheck.disable', 'no health check');
    return;
  }
  const test = h.test;
  const block: Raw = {};
  if (Array.isArray(test) && test[0] === 'NONE') return;
  if (Array.isArray(test) && test[0] === 'CMD') block.exec = test.slice(1).map(String);
  else if (Array.isArray(test) && test[0] === 'CMD-SHELL') block.exec = String(test[1] ?? '');
  else if (typeof test === 'string') block.exec = test;
  else {
    m.skip(s, 'healthcheck.test', test, 'not a test Hypha can run');
    return;
  }
  const dur = (k: string, to: string): void => {
    if (h[k] === undefined) return;
    const ms = msFromGoDuration(h[k]);
    if (ms === null || (ms === 0 && to !== 'start_period')) m.skip(s, `healthcheck.${k}`, h[k], 'not a duration');
    else if (to === 'start_interval' && !hasServiceKey('health.start_interval')) m.skip(s, `healthcheck.${k}`, h[k], `${NOT_YET} (health.start_interval)`);
    else block[to] = durationFromMs(ms);
  };
  dur('interval', 'interval');
  dur('timeout', 'timeout');
  dur('start_period', 'start_period');
  dur('start_interval', 'start_interval');
  if (typeof h.retries === 'number' && h.retries >= 1) block.retries = h.retries;
  m.set(s, 'healthcheck', ['health'], block, Array.isArray(test) && test[0] === 'CMD' ? 'CMD → exec argv' : 'shell test → exec string');
  m.skipRest(s, 'healthcheck.', h, new Set(['test', 'interval', 'timeout', 'start_period', 'start_interval', 'retries', 'disable']));
}
