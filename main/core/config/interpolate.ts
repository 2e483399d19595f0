// Applies `${VAR}` expansion (expand.ts) to the values SPEC §7 names — `command`, `env` and `cwd` —
// with variables layered as a person reads the file: the process environment, then the top-level
// env_file and env, then the service's env_file and env (each env key can use the ones above it),
// then Hypha's own per-copy variables (HYPHA_REPLICA). The active profile's `env_<profile>` map
// (profiles.ts) is one more layer right after the `env` beside it. Problems are collected with their path so
// the loader can name file:line:col; a value that fails to expand is kept as written.
import { readEnvFile } from './env-file.js';
import { expandString, processLookup, VarScope } from './expand.js';
import type { Problem } from './problem.js';
import type { Path } from './yaml-positions.js';

type EnvInput = Record<string, string | number | boolean>;

/** The active profile's `env_<profile>` map at one level, and where it is written. */
export interface ProfileLayer {
  env: EnvInput;
  at: Path;
}

export interface InterpolateOptions {
  processEnv: NodeJS.ProcessEnv;
  /** The env value as written (`1.10` stays "1.10"), by its path. */
  sourceText?: (path: Path) => string | null;
}

export class Interpolator {
  readonly problems: Problem[] = [];
  private readonly base: VarScope;

  constructor(private readonly opts: InterpolateOptions) {
    this.base = new VarScope(processLookup(opts.processEnv));
  }

  /** The top-level layer: its env_file (read now, for expansion only) and its env, expanded. */
  topLevel(env: EnvInput | undefined, envFile: string | null, profile?: ProfileLayer): { env: Record<string, string>; scope: VarScope } {
    const scope = this.base.child();
    const expanded = this.layer(scope, env, envFile, ['env'], profile);
    return { env: expanded, scope };
  }

  /** A service's env over the top-level scope; `extra` (HYPHA_REPLICA …) is visible to command, env and cwd. */
  service(
    parent: VarScope,
    at: Path,
    env: EnvInput | undefined,
    envFile: string | null,
    extra: Record<string, string> = {},
    profile?: ProfileLayer,
  ): { env: Record<string, string>; scope: VarScope } {
    const scope = parent.child();
    scope.setAll(extra);
    const expanded = this.layer(scope, env, envFile, [...at, 'env'], profile);
    return { env: expanded, scope };
  }

  /** Expands one string; on an error records it at `path` and keeps the text as written. */
  string(scope: VarScope, path: Path, text: string): string {
    const r = expandString(text, scope.get);
    if (r.ok) return r.value;
    this.problems.push({ path, target: 'value', message: r.error });
    return text;
  }

  command(scope: VarScope, path: Path, command: string | string[]): string | string[] {
    if (typeof command === 'string') return this.string(scope, path, command);
    return command.map((arg, i) => this.string(scope, [...path, i], arg));
  }

  private layer(scope: VarScope, env: EnvInput | undefined, envFile: string | null, at: Path, profile?: ProfileLayer): Record<string, string> {
    if (envFile) {
      // Read again at every spawn (env-file.ts); here only so its variables can be used in ${…}.
      const file = readEnvFile(envFile);
      if (file.ok) scope.setAll(file.env);
    }
    const out: Record<string, string> = {};
    // The profile's values come after env's, so they win and can use env's (`${BASE}/prod`).
    for (const [values, where] of [[env ?? {}, at], [profile?.env ?? {}, profile?.at ?? at]] as const) {
      for (const [key, value] of Object.entries(values)) {
        const path = [...where, key];
        const text = typeof value === 'number' ? (this.opts.sourceText?.(path) ?? String(value)) : String(value);
        const expanded = typeof value === 'string' ? this.string(scope, path, text) : text;
        out[key] = expanded;
        scope.set(key, expanded);
      }
    }
    return out;
  }
}
