// `hypha` — the CLI of SPEC §5. Exit codes: 0 ok · 1 the action failed · 2 usage or config error ·
// 3 no daemon running. Every failure is one plain line on stderr, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../core/config/default.js';
import { formatConfigError } from '../contract/config.js';
import type { LogLine, ServiceStatus } from '../contract/status.js';
import { reloadServiceCommand, signalCommand } from './signal.js';
import { CliError, Client } from './client.js';
import { statusTable, paint } from './format.js';
import { runDaemon } from './daemon.js';
import { followEvents, linesAfter } from './follow.js';
import { straysCommand } from './strays.js';
import { hyphaVersion } from '../core/paths.js';
import { failureLine, verdict } from './verdict.js';
import { importCommand } from './import/index.js';
import { exportCommand } from './export/index.js';

const USAGE = `usage: hypha <command> [options]

  daemon [-c FILE]                 run the supervisor headless (API + dashboard)
  status [--json]                  show every service
  start|stop|restart ID...|all     act, and wait for the result [--no-wait] [--timeout S]
  run ID                           run a oneshot now [--no-wait] [--timeout S]
  logs ID [-n N] [-f]              last lines, or follow
  validate [-c FILE]               check a config file
  strays [ID] [--stop]             copies of services running outside Hypha
  reload [ID]                      re-read the config; with ID, run its reload.command
  signal ID SIGNAL [--group]       send a signal (HUP, USR1 …) to a running service
  open                             print (and open) the dashboard URL
  import FILE [--check]            PM2 / process-compose / Procfile / supervisord / compose → hypha.yaml
  export systemd|compose|kubernetes [--out DIR] [--check]   units, compose file or manifests

exit codes: 0 ok, 1 action failed, 2 usage or config error, 3 no daemon running`;

const tty = process.stdout.isTTY === true;
const out = (s: string): void => void process.stdout.write(`${s}\n`);

function usage(message: string): never {
  throw new CliError(`${message}\n${USAGE}`, 2);
}

function parse(args: string[], options: ParseArgsConfig['options']): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    usage((err as Error).message);
  }
}

async function status(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const client = await Client.connect();
  const body = await client.call<{ services: ServiceStatus[]; timestamp: string }>('GET', '/api/services/status');
  if (values.json) out(JSON.stringify(body, null, 2));
  else out(statusTable(body.services, tty));
  return 0;
}

async function act(action: 'start' | 'stop' | 'restart' | 'run', args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } });
  if (positionals.length === 0) usage(`${action} needs a service id (or all)`);
  if (action === 'run' && positionals.length !== 1) usage('run takes exactly one oneshot id');
  const timeoutS = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) usage(`--timeout must be a number of seconds, not "${String(values.timeout)}"`);
  const client = await Client.connect();
  const { services } = await client.call<{ services: ServiceStatus[] }>('GET', '/api/services/status');
  const known = new Map(services.map((s) => [s.id, s]));
  // A service written with `replicas: N` is addressed by its id too: it means every copy.
  const copies = (id: string): string[] => services.filter((s) => !known.has(id) && s.replica?.of === id).map((s) => s.id);
  const ids = positionals.includes('all') ? services.map((s) => s.id) : positionals.flatMap((id) => (copies(id).length > 0 ? copies(id) : [id]));
  for (const id of ids) if (!known.has(id)) throw new CliError(`unknown service: ${id}`, 2);
  if (positionals.includes('all')) await client.call('POST', `/api/services/all/${action}`);
  else for (const id of ids) await client.call('POST', `/api/services/${encodeURIComponent(id)}/${action}`);
  if (values['no-wait']) {
    out(`${action}: ${ids.join(', ')} accepted`);
    return 0;
  }
  const deadline = Date.now() + timeoutS * 1000;
  const pending = new Set(ids);
  let failed = 0;
  let last = new Map<string, ServiceStatus>();
  while (pending.size > 0) {
    const now = await client.call<{ services: ServiceStatus[] }>('GET', '/api/services/status');
    last = new Map(now.services.map((s) => [s.id, s]));
    for (const id of [...pending]) {
      const s = last.get(id);
      if (!s) {
        pending.delete(id);
        failed++;
        process.stderr.write(`${id}: removed while waiting\n`);
        continue;
      }
      const v = verdict(action, s, known.get(id));
      if (v === 'wait') continue;
      pending.delete(id);
      if (v === 'done') out(`${id}: ${paint(s.status, 32, tty)}${s.pid ? ` (pid ${s.pid})` : ''}`);
      else {
        failed++;
        process.stderr.write(`${failureLine(s)}\n`);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      for (const id of pending) {
        const s = last.get(id);
        process.stderr.write(`${id}: not ${action === 'stop' ? 'stopped' : 'up'} after ${timeoutS}s (state ${s?.state}${s?.lastError ? `, ${s.lastError}` : ''})\n`);
      }
      return 1;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return failed > 0 ? 1 : 0;
}

function printLine(id: string | null, l: LogLine): void {
  const prefix = id ? `${id} | ` : '';
  const text = l.stream === 'stderr' ? paint(l.text, 31, tty) : l.stream === 'supervisor' ? paint(`[hypha] ${l.text}`, 36, tty) : l.text;
  out(`${paint(l.ts.slice(11, 23), 90, tty)} ${prefix}${text}`);
}

async function logs(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { n: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' } });
  if (positionals.length !== 1) usage('logs takes one service id');
  const id = positionals[0] as string;
  const n = values.n === undefined ? 100 : Number(values.n);
  if (!Number.isInteger(n) || n < 0) usage(`-n must be a whole number, not "${String(values.n)}"`);
  const client = await Client.connect();
  const tail = async (): Promise<LogLine[]> =>
    (await client.call<{ lines: LogLine[] }>('GET', `/api/services/${encodeURIComponent(id)}/logs?lines=${n}`)).lines;
  if (!values.follow) {
    for (const l of await tail()) printLine(null, l);
    return 0;
  }
  // Subscribe first, then read the tail: a line written in between arrives on the stream and is
  // printed once, after the tail, instead of falling into the gap.
  const early: LogLine[] = [];
  let live = false;
  const stream = await followEvents(client, (event, data) => {
    if (event !== 'log') return;
    const d = data as { id: string; line: LogLine };
    if (d.id !== id) return;
    if (live) printLine(null, d.line);
    else early.push(d.line);
  });
  let lines: LogLine[];
  try {
    lines = await tail();
  } catch (err) {
    stream.close(); // an open stream would keep the CLI from exiting
    throw err;
  }
  for (const l of lines) printLine(null, l);
  for (const l of linesAfter(lines, early)) printLine(null, l);
  live = true;
  await stream.ended;
  throw new CliError('the daemon closed the event stream', 1);
}

function validate(args: string[]): number {
  const { values } = parse(args, { config: { type: 'string', short: 'c' } });
  const r = loadConfig({ flag: values.config as string | undefined, env: process.env, cwd: process.cwd() });
  if (r.ok) {
    out('ok');
    return 0;
  }
  for (const e of r.errors) process.stderr.write(`${formatConfigError(e)}\n`);
  return 2;
}

async function reload(): Promise<number> {
  const client = await Client.connect();
  const r = await client.request<{ added?: string[]; removed?: string[]; changed?: string[]; error?: string; errors?: string[] }>('POST', '/api/reload');
  if (r.status === 400) {
    for (const e of r.body.errors ?? [r.body.error ?? 'invalid config']) process.stderr.write(`${e}\n`);
    return 2;
  }
  if (r.status !== 200) throw new CliError(r.body.error ?? `HTTP ${r.status}`, 1);
  const b = r.body;
  out(`reloaded: added ${b.added?.join(', ') || '-'}; removed ${b.removed?.join(', ') || '-'}; changed ${b.changed?.join(', ') || '-'}`);
  return 0;
}

async function open(): Promise<number> {
  const client = await Client.connect();
  const url = `${client.info.url}/#token=${client.info.token}`;
  out(url);
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (hasDisplay) {
    const { execa } = await import('execa');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    execa(opener, [url], { detached: true, stdio: 'ignore', reject: false }).unref?.();
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'daemon':
      return runDaemon(rest);
    case 'status':
      return status(rest);
    case 'start':
    case 'stop':
    case 'restart':
    case 'run':
      return act(cmd, rest);
    case 'logs':
      return logs(rest);
    case 'validate':
      return validate(rest);
    case 'strays':
      return straysCommand(rest, tty);
    case 'reload':
    case 'reload-service': {
      // `hypha reload` re-reads the config; `hypha reload ID` runs that service's reload.command.
      const { positionals } = parse(rest, {});
      if (positionals.length > 1) usage('reload takes at most one service id');
      if (positionals[0] !== undefined) return reloadServiceCommand(positionals[0], out);
      if (cmd === 'reload-service') usage('reload-service takes a service id');
      return reload();
    }
    case 'signal': {
      const { values, positionals } = parse(rest, { group: { type: 'boolean' } });
      if (positionals.length !== 2) usage('signal takes a service id and a signal, e.g. hypha signal web HUP');
      return signalCommand(positionals[0] as string, positionals[1] as string, values.group === true, out);
    }
    case 'open':
      return open();
    case 'import':
      return importCommand(rest);
    case 'export':
      return exportCommand(rest);
    case '--version':
    case 'version':
      out(hyphaVersion());
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      usage(`unknown command: ${cmd}`);
  }
}

/**
 * A reader that went away (`hypha logs web | head`) is not an error worth a stack trace. The
 * daemon carries on without its output; any other command has nobody left to tell, so it ends.
 */
function onOutputClosed(daemon: boolean): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (daemon) return;
      process.exit(err.code === 'EPIPE' ? 0 : 1);
    });
  }
}

export async function runCli(argv: string[]): Promise<void> {
  onOutputClosed(argv[0] === 'daemon');
  let code: number;
  try {
    code = await main(argv);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`hypha: ${err.message}\n`);
      code = err.exitCode;
    } else {
      process.stderr.write(`hypha: ${(err as Error)?.message ?? String(err)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
}
