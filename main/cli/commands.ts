// The table of `hypha` commands (SPEC §5 and round 2): one entry per command, from which the
// parser, `--help`, the overview and the shell completions are all made. Add a command by adding
// an entry here. The table itself is cheap: each command's code is imported only when it runs, so
// `hypha status` does not load the supervisor, and `hypha daemon` does not load init, import or
// export (which load yaml and zod; issue 16: the daemon keeps what it loads for its whole life).
import { defaultHome, readDaemonInfo } from '../host/daemon-info.js';
import { CliError } from './client.js';
import type { CommandSpec } from './command.js';
import { completionScript, SHELLS, type Shell } from './completion.js';

const WAIT_OPTIONS = [
  { name: 'no-wait', help: 'answer once the daemon accepted the action' },
  { name: 'timeout', value: 'S', help: 'seconds to wait for the result (default 60)' },
];
const CONFIG_OPTION = { name: 'config', short: 'c', value: 'FILE', help: 'the config file (default ./hypha.yaml or ./hypha.yml)' };
const PROFILE_OPTION = { name: 'profile', value: 'NAME', help: 'environment profile: env_NAME merged over env (default $HYPHA_PROFILE)' };

const noArgs = (name: string, positionals: string[]): void => {
  if (positionals.length > 0) throw new CliError(`${name} takes no arguments (got "${positionals[0]}")`, 2);
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'daemon',
    summary: 'run the supervisor headless in the foreground (API + dashboard)',
    details: 'SIGINT/SIGTERM stop every service, then exit 0; SIGHUP re-reads the config (with the same profile).',
    options: [CONFIG_OPTION, PROFILE_OPTION],
    run: async (ctx) => (await import('./daemon.js')).runDaemon(ctx),
  },
  {
    name: 'status',
    summary: 'show every service, and the config file in use',
    options: [{ name: 'json', help: "the API's JSON instead of the table" }],
    run: async (ctx) => (noArgs('status', ctx.positionals), (await import('./status.js')).status(ctx)),
  },
  ...(['start', 'stop', 'restart'] as const).map(
    (action): CommandSpec => ({
      name: action,
      args: 'ID...|all',
      summary: `${action} services, and wait for the result`,
      details:
        action === 'stop'
          ? 'Waits until each service is stopped.'
          : 'Waits until each service runs (and is healthy where it has a probe); a service without a probe must keep running for 1s.',
      options: WAIT_OPTIONS,
      completes: 'ids',
      run: async (ctx) => (await import('./act.js')).act(action, ctx),
    }),
  ),
  {
    name: 'run',
    args: 'ID',
    summary: 'run a oneshot now, and wait for it to complete',
    options: WAIT_OPTIONS,
    completes: 'ids',
    run: async (ctx) => (await import('./act.js')).act('run', ctx),
  },
  {
    name: 'logs',
    args: 'ID',
    summary: 'the last lines of a service, or follow them',
    options: [
      { name: 'lines', short: 'n', value: 'N', help: 'how many lines (default 100)' },
      { name: 'follow', short: 'f', help: 'keep printing new lines' },
    ],
    completes: 'ids',
    run: async (ctx) => (await import('./logs.js')).logs(ctx),
  },
  {
    name: 'validate',
    summary: 'check the config file, and say which one it is',
    options: [CONFIG_OPTION, PROFILE_OPTION],
    run: async (ctx) => (noArgs('validate', ctx.positionals), (await import('./validate.js')).validate(ctx)),
  },
  {
    name: 'strays',
    args: '[ID]',
    summary: 'copies of services running outside Hypha, with what spawned them',
    details: 'Never ends a pager, editor or shell that reads a service\'s file, nor this command\'s own shell.',
    options: [
      { name: 'stop', help: 'end the strays of one service (their trees too)' },
      { name: 'json', help: 'JSON instead of the table' },
    ],
    completes: 'ids',
    run: async (ctx) => (await import('./strays.js')).straysCommand(ctx),
  },
  {
    name: 'reload',
    args: '[ID]',
    summary: "re-read the config; with ID, run that service's reload.command",
    completes: 'ids',
    run: async (ctx) => {
      if (ctx.positionals.length > 1) throw new CliError('reload takes at most one service id', 2);
      return ctx.positionals[0] !== undefined
        ? (await import('./signal.js')).reloadServiceCommand(ctx.positionals[0], ctx.out)
        : (await import('./reload.js')).reload(ctx);
    },
  },
  {
    name: 'reload-service',
    args: 'ID',
    summary: "run a service's reload.command (same as reload ID)",
    hidden: true,
    completes: 'ids',
    run: async (ctx) => {
      if (ctx.positionals.length !== 1) throw new CliError('reload-service takes a service id', 2);
      return (await import('./signal.js')).reloadServiceCommand(ctx.positionals[0] as string, ctx.out);
    },
  },
  {
    name: 'signal',
    args: 'ID SIGNAL',
    summary: 'send a signal (HUP, USR1 …) to a running service',
    options: [{ name: 'group', help: "to the service's whole process group" }],
    completes: 'ids',
    run: async (ctx) => {
      if (ctx.positionals.length !== 2) throw new CliError('signal takes a service id and a signal, e.g. hypha signal web HUP', 2);
      const { signalCommand } = await import('./signal.js');
      return signalCommand(ctx.positionals[0] as string, ctx.positionals[1] as string, ctx.values.group === true, ctx.out);
    },
  },
  {
    name: 'open',
    summary: 'print (and, with a display, open) the dashboard URL',
    run: async (ctx) => (noArgs('open', ctx.positionals), (await import('./open.js')).open(ctx)),
  },
  {
    name: 'remote',
    args: 'add|list|remove [NAME] [URL]',
    summary: 'another Hypha (e.g. through ssh -L) shown in the tray and dashboard under NAME',
    details:
      'hypha remote add NAME URL --token TOKEN · hypha remote list · hypha remote remove NAME\n' +
      'add checks that URL answers and accepts the token before saving it. Through a tunnel: ssh -L 18765:127.0.0.1:8780 server, then\n' +
      'hypha remote add server http://127.0.0.1:18765 --token TOKEN --remote-port 8780 (TOKEN and 8780 from `hypha open` run on server).',
    options: [
      { name: 'token', value: 'TOKEN', help: "the remote daemon's token (also HYPHA_REMOTE_TOKEN)" },
      { name: 'remote-port', value: 'PORT', help: 'the port Hypha listens on there, when the tunnel\'s local port differs' },
      { name: 'replace', help: 'add: replace the remote of that name (its daemon restarted with a new token)' },
      { name: 'json', help: 'list: JSON instead of the table' },
    ],
    run: async (ctx) => (await import('./remote.js')).remoteCommand(ctx),
  },
  {
    name: 'import',
    args: 'FILE',
    summary: 'PM2 / process-compose / Procfile / supervisord / compose → hypha.yaml',
    details: 'Options: --check, --format FORMAT (hypha import --help for more).',
    options: [{ name: 'check', help: 'only report what would be written' }, { name: 'format', value: 'FORMAT', help: 'the input format, when not guessed' }],
    rawArgs: true,
    run: async (ctx) => (await import('./import/index.js')).importCommand(ctx.positionals),
  },
  {
    name: 'export',
    args: 'systemd|compose|kubernetes',
    summary: 'units, a compose file or manifests from the config',
    details: 'Options: -c FILE, --profile NAME, --out DIR, --check, --user, --image IMAGE (hypha export --help for more).',
    options: [CONFIG_OPTION, PROFILE_OPTION, { name: 'out', short: 'o', value: 'DIR', help: 'where to write' }, { name: 'check', help: 'only report' }],
    rawArgs: true,
    run: async (ctx) => (await import('./export/index.js')).exportCommand(ctx.positionals),
  },
  {
    name: 'init',
    summary: 'write a commented hypha.yaml for this folder (from a Procfile, process-compose or package.json)',
    run: async (ctx) => (await import('./init.js')).init(ctx),
  },
  {
    name: 'completion',
    args: 'bash|zsh|fish',
    summary: 'print the shell completion script',
    details: 'bash: source <(hypha completion bash) · zsh: source <(hypha completion zsh) · fish: hypha completion fish | source',
    completes: 'shells',
    run: (ctx) => {
      const shell = ctx.positionals[0];
      if (ctx.positionals.length !== 1 || !SHELLS.includes(shell as Shell)) {
        throw new CliError(`completion takes one shell: ${SHELLS.join(', ')}${shell ? ` (not "${shell}")` : ''}`, 2);
      }
      process.stdout.write(completionScript(shell as Shell, COMMANDS));
      return 0;
    },
  },
  {
    name: '__ids',
    summary: 'service ids of the running daemon, for completion scripts',
    hidden: true,
    run: async (ctx) => {
      try {
        const info = readDaemonInfo(defaultHome(ctx.env));
        const res = await fetch(`${info.url}/api/services/status`, { headers: { authorization: `Bearer ${info.token}` }, signal: AbortSignal.timeout(1500) });
        const body = (await res.json()) as { services: { id: string }[] };
        for (const s of body.services) ctx.out(s.id);
      } catch {
        // No daemon, or a slow one: complete nothing rather than make the shell wait.
      }
      return 0;
    },
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
