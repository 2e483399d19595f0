// `hypha` — the CLI of SPEC §5. Exit codes: 0 ok · 1 the action failed · 2 usage or config error ·
// 3 no daemon running. Every failure is one plain line on stderr, never a stack trace nor the whole
// usage; `hypha CMD --help` shows one command. The commands are the table in commands.ts.
import { parseArgv, UsageError } from './args.js';
import { CliError } from './client.js';
import { COMMON_OPTIONS, type Ctx } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { wantColor } from './format.js';
import { commandHelp, overview } from './help.js';
import { hyphaVersion } from '../core/paths.js';

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const err = (s: string): void => void process.stderr.write(`${s}\n`);

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // `hypha --no-color status` as well as `hypha status --no-color`.
  const lead = argv.findIndex((a) => a !== '--no-color');
  const [cmd, ...rest] = lead > 0 ? [argv[lead] as string, ...argv.slice(0, lead), ...argv.slice(lead + 1)] : argv;
  switch (cmd) {
    case undefined:
      err(overview(COMMANDS));
      return 2;
    case 'help':
    case '--help':
    case '-h': {
      const about = rest[0] !== undefined ? findCommand(rest[0]) : undefined;
      if (rest[0] !== undefined && !about) throw new CliError(`unknown command: ${rest[0]} (hypha --help lists them)`, 2);
      out(about ? commandHelp(about) : overview(COMMANDS));
      return 0;
    }
    case '--version':
    case '-V':
    case 'version':
      out(hyphaVersion());
      return 0;
  }
  const spec = findCommand(cmd);
  if (!spec) {
    const hint = cmd.startsWith('-') ? `unknown option: ${cmd}` : `unknown command: ${cmd}`;
    throw new CliError(`${hint} (hypha --help lists the commands)`, 2);
  }
  let parsed;
  try {
    parsed = spec.rawArgs
      ? { values: { 'no-color': rest.includes('--no-color') }, positionals: rest.filter((a) => a !== '--no-color') }
      : parseArgv(rest, [...(spec.options ?? []), ...COMMON_OPTIONS]);
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`${spec.name}: ${e.message} (see hypha ${spec.name} --help)`, 2);
    throw e;
  }
  if (parsed.values.help) {
    out(commandHelp(spec));
    return 0;
  }
  const ctx: Ctx = {
    values: parsed.values,
    positionals: parsed.positionals,
    color: wantColor(process.stdout, env, parsed.values['no-color'] === true),
    env,
    cwd: process.cwd(),
    out,
    err,
  };
  return spec.run(ctx);
}

/**
 * A reader that went away (`hypha logs web | head`) is not an error worth a stack trace. The
 * daemon carries on without its output; any other command has nobody left to tell, so it ends.
 */
function onOutputClosed(daemon: boolean): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (daemon) return;
      process.exit(e.code === 'EPIPE' ? 0 : 1);
    });
  }
}

export async function runCli(argv: string[]): Promise<void> {
  onOutputClosed(argv[0] === 'daemon');
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // One line, always: a message with newlines is cut to its first.
    process.stderr.write(`hypha: ${message.split('\n')[0]}\n`);
    code = e instanceof CliError ? e.exitCode : 1;
  }
  process.exitCode = code;
}
