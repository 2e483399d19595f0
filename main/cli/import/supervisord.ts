// supervisord.conf: each `[program:x]` becomes a service. supervisord's words map closely
// (autorestart → restart.policy, startsecs → min_uptime, stopsignal/stopwaitsecs → stop); its
// own sections ([supervisord], [inet_http_server] …) and per-program logging are comments.
import { dirname } from 'node:path';
import { type Mapping, NOT_YET, type ServiceDraft } from './mapping.js';
import { parseIni } from './ini.js';
import { hasServiceKey } from './schema-keys.js';
import { durationFromMs, makeId, memorySize, signalName } from './values.js';

const LOG_KEYS = new Set([
  'stdout_logfile', 'stderr_logfile', 'stdout_logfile_maxbytes', 'stderr_logfile_maxbytes', 'stdout_logfile_backups',
  'stderr_logfile_backups', 'redirect_stderr', 'stdout_capture_maxbytes', 'stderr_capture_maxbytes', 'stdout_events_enabled',
  'stderr_events_enabled', 'stdout_syslog', 'stderr_syslog',
]);

export function importSupervisord(text: string, file: string, m: Mapping): void {
  const taken = new Set<string>();
  for (const section of parseIni(text)) {
    const program = /^program:(.+)$/.exec(section.name);
    if (!program) {
      const why = /^(group|eventlistener|fcgi-program|include)/.test(section.name)
        ? 'no Hypha equivalent (list the services, or use depends_on for order)'
        : "supervisord's own settings; Hypha's daemon needs none of them";
      m.skip(null, `[${section.name}]`, Object.keys(section.values).join(', '), why);
      continue;
    }
    const name = (program[1] as string).trim();
    const s = m.service(makeId(name, taken));
    if (s.id !== name) m.set(s, `[program:${name}]`, ['name'], name, "id made to fit Hypha's id rule");
    mapProgram(section.values, name, dirname(file), s, m);
  }
}

function expand(v: string, name: string, here: string): string {
  return v.replaceAll('%(program_name)s', name).replaceAll('%(here)s', here).replaceAll('%(process_num)s', '0').replaceAll('%(process_num)02d', '00');
}

function bool(v: string): boolean {
  return /^(true|yes|on|1)$/i.test(v);
}

function mapProgram(values: Record<string, string>, name: string, here: string, s: ServiceDraft, m: Mapping): void {
  for (const [key, raw] of Object.entries(values)) {
    const v = expand(raw, name, here);
    switch (key) {
      case 'command':
        m.set(s, key, ['command'], v, /%\(/.test(v) ? 'contains a %(…)s expansion Hypha does not do' : '');
        break;
      case 'directory':
        m.set(s, key, ['cwd'], v);
        break;
      case 'environment':
        m.set(s, key, ['env'], parseEnvironment(v));
        break;
      case 'autostart':
        m.set(s, key, ['autostart'], bool(v));
        break;
      case 'autorestart': {
        const policy = /^unexpected$/i.test(v) ? 'on-failure' : bool(v) ? 'always' : 'never';
        m.set(s, key, ['restart', 'policy'], policy, policy === 'on-failure' ? 'unexpected = an exit code not in exitcodes' : '');
        break;
      }
      case 'startsecs':
        m.set(s, key, ['restart', 'min_uptime'], durationFromMs(Number(v) * 1000), 'a run this long counts as started');
        break;
      case 'startretries':
        m.set(s, key, ['restart', 'max_restarts'], Number(v), 'supervisord counts tries while starting; Hypha counts restarts in restart.window');
        break;
      case 'stopsignal': {
        const sig = signalName(v);
        if (sig) m.set(s, key, ['stop', 'signal'], sig);
        else m.skip(s, key, v, 'not a signal Hypha stops with');
        break;
      }
      case 'stopwaitsecs':
        m.set(s, key, ['stop', 'timeout'], durationFromMs(Number(v) * 1000));
        break;
      case 'stopasgroup':
      case 'killasgroup':
        m.covered(s, key, 'always so in Hypha: stop goes to the whole group and every descendant');
        break;
      case 'exitcodes':
        if (v.split(',').map((c) => c.trim()).join(',') === '0') m.covered(s, key, 'exit 0 is the expected exit in Hypha too');
        else m.skip(s, key, v, hasServiceKey('success_exit_codes') ? 'success_exit_codes is for oneshots; a daemon under on-failure restarts on every non-zero exit' : `${NOT_YET} (success_exit_codes)`);
        break;
      case 'numprocs':
        if (Number(v) === 1) m.covered(s, key, 'one copy, as Hypha runs');
        else if (hasServiceKey('replicas')) m.set(s, key, ['replicas'], Number(v));
        else m.skip(s, key, v, `${NOT_YET} (replicas)`);
        break;
      case 'user':
        if (hasServiceKey('user')) m.set(s, key, ['user'], v);
        else m.skip(s, key, v, `${NOT_YET} (user)`);
        break;
      case 'priority':
        m.skip(s, key, v, 'Hypha orders starts by depends_on, not by a number');
        break;
      case 'stdout_logfile_maxbytes':
        if (hasServiceKey('log.max_size') && memorySize(v)) m.set(s, key, ['log', 'max_size'], memorySize(v));
        else m.skip(s, key, v, hasServiceKey('log') ? 'not a size Hypha reads' : `${NOT_YET} (log.max_size)`);
        break;
      case 'stdout_logfile_backups':
        if (hasServiceKey('log.keep')) m.set(s, key, ['log', 'keep'], Number(v));
        else m.skip(s, key, v, `${NOT_YET} (log.keep)`);
        break;
      default:
        m.skip(s, key, v, LOG_KEYS.has(key) ? 'Hypha keeps logs under $HYPHA_HOME/logs (hypha logs ID)' : 'no Hypha equivalent');
    }
  }
  if (values.command === undefined) m.skip(s, 'command', null, 'missing in the program section; the service will not validate');
}

/** `KEY="val",KEY2=val2` — supervisord's environment syntax (quotes optional, commas between). */
export function parseEnvironment(v: string): Record<string, string> {
  const env: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("([^"]*)"|'([^']*)'|([^,]*))\s*(,|$)/gy;
  for (const match of v.matchAll(re)) env[match[1] as string] = match[3] ?? match[4] ?? (match[5] ?? '').trim();
  return env;
}
