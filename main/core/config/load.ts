// hypha.yaml → HyphaConfig, or every error at once with file:line:col. Never throws: whatever
// the file holds, the answer is a LoadResult.
import { dirname, isAbsolute, resolve } from 'node:path';
import { crossChecks } from './checks.js';
import { describeKind } from './describe-value.js';
import { errorMap, issuesToProblems } from './issues.js';
import { normalizeConfig } from './normalize.js';
import { splitProfiles } from './profiles.js';
import { withPath, type Problem } from './problem.js';
import { EXTENSION_KEY_PATTERN, configSchema } from './schema.js';
import type { ConfigError, LoadResult } from '../../contract/config.js';
import { PositionIndex } from './yaml-positions.js';
import { readYaml } from './yaml-read.js';
import { readConfigSource } from './read-source.js';

const extensionKey = new RegExp(EXTENSION_KEY_PATTERN);

export interface LoadOptions {
  /** The active environment profile (profiles.ts); null or absent = none. */
  profile?: string | null;
}

export function loadConfigFile(path: string, opts: LoadOptions = {}): LoadResult {
  const source = readConfigSource(path);
  return source.ok ? parseConfigText(source.text, source.file, opts) : { ok: false, errors: [source.error] };
}

/** `file` names the source in errors; relative paths in the config resolve against its folder. */
export function parseConfigText(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  try {
    return parse(text, file, opts);
  } catch (e) {
    // Last line of defence (e.g. a stack overflow on absurd nesting): still an answer, not a throw.
    return failAtStart(file, `cannot parse config: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parse(text: string, file: string, opts: LoadOptions): LoadResult {
  const yaml = readYaml(text);
  const yamlErrors = yaml.problems.map((p) => at(file, p.line, p.col, p.message));
  if (!yaml.ok) return fail(yamlErrors);

  const positions = new PositionIndex(yaml.doc, yaml.lines);
  const profiles = splitProfiles(withoutExtensionKeys(yaml.value ?? {}));
  const raw = profiles.raw;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const pos = positions.locate([], 'value');
    const message = `the top level must be a mapping (api:, services:), got ${describeKind(raw)}`;
    return fail([...yamlErrors, at(file, pos.line, pos.col, message)]);
  }

  const parsed = configSchema.safeParse(raw, { error: errorMap });
  const problems: Problem[] = [
    ...(parsed.success ? [] : issuesToProblems(parsed.error.issues)),
    ...profiles.problems,
    ...crossChecks(raw, (path) => positions.locate(path, 'value')),
  ];
  const errors = [
    ...yamlErrors,
    ...firstPerPath(problems)
      // A `__proto__` key is already reported by readYaml.
      .filter((p) => p.path[p.path.length - 1] !== '__proto__')
      .map((p) => {
        const pos = positions.locate(p.path, p.target);
        return at(file, pos.line, pos.col, withPath(p));
      }),
  ];
  if (errors.length > 0 || !parsed.success) return fail(errors);

  const expansion: Problem[] = [];
  const config = normalizeConfig(parsed.data, {
    file,
    serviceOrder: positions.keysInOrder(['services']),
    dir: isAbsolute(file) ? dirname(file) : resolve(dirname(file)),
    sourceText: (path) => positions.sourceText(path),
    problems: expansion,
    profile: opts.profile ?? null,
    profileEnvs: profiles.envs,
  });
  if (expansion.length > 0) {
    return fail(firstPerPath(expansion).map((p) => {
      const pos = positions.locate(p.path, p.target);
      return at(file, pos.line, pos.col, withPath(p));
    }));
  }
  return { ok: true, config };
}

/** One message per value is enough: for 1e23 as a port, "out of range" says it all. */
function firstPerPath(problems: readonly Problem[]): Problem[] {
  const byPath = new Map<string, Problem>();
  for (const p of problems) {
    const key = `${p.target}:${JSON.stringify(p.path)}`;
    if (!byPath.has(key)) byPath.set(key, p);
  }
  return [...byPath.values()];
}

/** Drops `x-…` keys at the top level and in services: homes for anchors, as in docker compose. */
function withoutExtensionKeys(raw: unknown): unknown {
  const top = stripExtensions(raw);
  if (!isPlainRecord(top) || !isPlainRecord(top.services)) return top;
  const services = Object.fromEntries(Object.entries(top.services).map(([id, svc]) => [id, stripExtensions(svc)]));
  return { ...top, services };
}

function stripExtensions(v: unknown): unknown {
  if (!isPlainRecord(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !extensionKey.test(k)));
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(errors: ConfigError[]): LoadResult {
  const byKey = new Map<string, ConfigError>();
  for (const e of errors) byKey.set(`${e.line}:${e.col}:${e.message}`, e);
  const unique = [...byKey.values()];
  unique.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, errors: unique };
}

function failAtStart(file: string, message: string): LoadResult {
  return { ok: false, errors: [at(file, 1, 1, message)] };
}

function at(file: string, line: number, col: number, message: string): ConfigError {
  return { file, line, col, message };
}
