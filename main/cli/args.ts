// The CLI's argument reader: options as the field writes them (`--lines 5`, `--lines=5`, `-n 5`,
// `-n5`, `-fn 5`, `--` ends options), with errors in one line a person can act on instead of
// Node's parseArgs text. An option that takes a value takes the next word whatever it looks like
// (`logs -n -5` is then refused for being negative, not for looking like an option). Pure.

export interface OptionSpec {
  /** Long name, without dashes. */
  name: string;
  short?: string;
  /** The value's placeholder (`N`, `FILE`); absent for a flag. */
  value?: string;
  help: string;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

/** A usage error: one line, said about `hypha <command>`. */
export class UsageError extends Error {}

function findLong(specs: readonly OptionSpec[], name: string): OptionSpec | undefined {
  return specs.find((s) => s.name === name);
}

function label(s: OptionSpec): string {
  return s.short ? `-${s.short}/--${s.name}` : `--${s.name}`;
}

export function parseArgv(args: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const values: Values = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = findLong(specs, name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
      if (!spec.value) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        values[spec.name] = true;
        continue;
      }
      if (eq >= 0) values[spec.name] = a.slice(eq + 1);
      else if (i + 1 < args.length) values[spec.name] = args[++i];
      else throw new UsageError(`${label(spec)} needs a value: --${spec.name} ${spec.value}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A cluster of short flags; one that takes a value takes the rest of the word, or the next.
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] as string;
        const spec = specs.find((s) => s.short === ch);
        if (!spec) throw new UsageError(`unknown option -${ch}`);
        if (!spec.value) {
          values[spec.name] = true;
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== '') values[spec.name] = rest;
        else if (i + 1 < args.length) values[spec.name] = args[++i];
        else throw new UsageError(`${label(spec)} needs a value: -${ch} ${spec.value}`);
        break;
      }
      continue;
    }
    positionals.push(a);
  }
  return { values, positionals };
}
