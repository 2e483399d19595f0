// What one CLI command is: its name, one line for the overview, its usage and options (from which
// `--help`, the parser and the shell completions are made), and what it does. The table of all
// commands is commands.ts; a new command is one more entry there.
import type { OptionSpec, Values } from './args.js';

export interface Ctx {
  values: Values;
  positionals: string[];
  /** Colour on stdout (a TTY, no NO_COLOR, no --no-color). */
  color: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(line: string): void;
  err(line: string): void;
}

export interface CommandSpec {
  name: string;
  /** Other names (`start` also answers to nothing else today; kept for `help`). */
  aliases?: string[];
  /** Arguments after the name, as the usage line shows them: `ID...|all`. */
  args?: string;
  summary: string;
  /** More lines for `hypha CMD --help`. */
  details?: string;
  options?: OptionSpec[];
  /** What the positionals complete to in shells: service ids, shells, or nothing. */
  completes?: 'ids' | 'shells' | 'none';
  /** Not listed in the overview (helpers for completion scripts). */
  hidden?: boolean;
  /**
   * The command reads its own arguments (and its own --help): `run` gets them untouched as
   * `positionals`. For commands with a parser of their own (import, export).
   */
  rawArgs?: boolean;
  run(ctx: Ctx): Promise<number> | number;
}

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'help', short: 'h', help: 'show this help' },
  { name: 'no-color', help: 'no colour (also NO_COLOR=1)' },
];
