// Help text made from the command table: the overview (`hypha --help`) and one page per command
// (`hypha CMD --help`), so help can never forget a command or an option.
import { COMMON_OPTIONS, type CommandSpec } from './command.js';
import type { OptionSpec } from './args.js';

export const EXIT_CODES = 'exit codes: 0 ok, 1 action failed, 2 usage or config error, 3 no daemon running';

export function usageLine(c: CommandSpec): string {
  const opts = (c.options ?? []).map((o) => `[${o.short ? `-${o.short}` : `--${o.name}`}${o.value ? ` ${o.value}` : ''}]`);
  return ['hypha', c.name, c.args ?? '', ...opts].filter((x) => x !== '').join(' ');
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const w = Math.max(...left.map((l) => l.length));
  return options.map((o, i) => `  ${(left[i] as string).padEnd(w)}  ${o.help}`);
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`usage: ${usageLine(c)}`, '', c.summary];
  if (c.details) lines.push('', c.details);
  lines.push('', 'options:', ...optionLines([...(c.options ?? []), ...COMMON_OPTIONS]), '', EXIT_CODES);
  return lines.join('\n');
}

export function overview(commands: readonly CommandSpec[]): string {
  const shown = commands.filter((c) => !c.hidden);
  const left = shown.map((c) => `${c.name}${c.args ? ` ${c.args}` : ''}`);
  const w = Math.max(...left.map((l) => l.length));
  return [
    'usage: hypha <command> [options]',
    '',
    'commands:',
    ...shown.map((c, i) => `  ${(left[i] as string).padEnd(w)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help      help; `hypha <command> --help` for one command',
    '  -V, --version   print the version',
    '  --no-color      no colour (also NO_COLOR=1)',
    '',
    EXIT_CODES,
  ].join('\n');
}
