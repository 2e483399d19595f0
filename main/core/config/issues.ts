// Turns zod's issues into short, plain problems that name the key and say what to write instead.
import { z } from 'zod';
import { describeKind, describeValue } from './describe-value.js';
import type { Problem } from './problem.js';
import { apiSchema, configSchema, dependencyOptionsSchema, healthSchema, logSchema, watchSchema, restartSchema, serviceSchema, stopSchema } from './schema.js';
import type { Path, PathSegment } from './yaml-positions.js';

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

/** Passed to safeParse: messages for the issues whose schema gave no message of its own. */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_union')) return 'required';
  switch (iss.code) {
    case 'invalid_union':
      return `invalid value ${describeValue(iss.input)}`;
    case 'invalid_type':
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeKind(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'string' || iss.origin === 'array') return 'must not be empty';
      return `must be at least ${String(iss.minimum)} (got ${describeValue(iss.input)})`;
    case 'too_big':
      if (iss.origin === 'int' || iss.origin === 'number') return `must be at most ${String(iss.maximum)} (got ${describeValue(iss.input)})`;
      return `too long (at most ${String(iss.maximum)})`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')} (got ${describeValue(iss.input)})`;
    case 'invalid_format':
      return `invalid value ${describeValue(iss.input)}`;
    default:
      return undefined;
  }
};

export function issuesToProblems(issues: readonly Issue[], base: Path = []): Problem[] {
  return issues.flatMap((iss) => issueToProblems(iss, base));
}

function issueToProblems(iss: Issue, base: Path): Problem[] {
  const path: Path = [...base, ...iss.path.map(toSegment)];
  switch (iss.code) {
    case 'unrecognized_keys':
      return iss.keys.map((key) => ({ path: [...path, key], target: 'key', message: unknownKeyMessage(path, key) }));
    case 'invalid_key': {
      const inner = iss.issues[0];
      return [{ path, target: 'key', message: inner ? inner.message : iss.message }];
    }
    case 'invalid_union': {
      // A union fails as a whole when every branch fails. If just one branch got past the type
      // check, its own issues say what is wrong far better than "no branch matched".
      const tried = iss.errors.filter((branch) => branch.some((b) => !(b.code === 'invalid_type' && b.path.length === 0)));
      if (tried.length === 1) return issuesToProblems(tried[0], path);
      return [{ path, target: 'value', message: iss.message }];
    }
    default:
      return [{ path, target: 'value', message: iss.message }];
  }
}

function toSegment(p: PropertyKey): PathSegment {
  return typeof p === 'number' ? p : String(p);
}

/** Names people bring from docker compose, process-compose and systemd. */
const FAMILIAR_NAMES: Record<string, string> = {
  healthcheck: 'health',
  readiness_probe: 'health',
  liveness_probe: 'health',
  working_dir: 'cwd',
  workdir: 'cwd',
  environment: 'env',
  cmd: 'command',
  restart_policy: 'restart',
  stop_signal: 'stop',
  stop_grace_period: 'stop',
  ports: 'port',
};

function unknownKeyMessage(path: Path, key: string): string {
  const known = knownKeys(path);
  const familiar = FAMILIAR_NAMES[key.toLowerCase()];
  const guess = known ? (familiar && known.includes(familiar) ? familiar : closest(key, known)) : null;
  return guess ? `unknown key (did you mean "${guess}"?)` : 'unknown key';
}

/** The keys a strict mapping at this path accepts, to suggest the one a typo meant. */
function knownKeys(path: Path): string[] | null {
  const shape = (p: Path): string | null => {
    if (p.length === 0) return 'root';
    if (p.length === 1 && p[0] === 'api') return 'api';
    if (p[0] !== 'services') return null;
    if (p.length === 2) return 'service';
    if (p.length === 3) return String(p[2]);
    if (p.length === 4 && p[2] === 'depends_on') return 'dependency';
    return null;
  };
  switch (shape(path)) {
    case 'root': return Object.keys(configSchema.shape);
    case 'api': return Object.keys(apiSchema.shape);
    case 'service': return Object.keys(serviceSchema.shape);
    case 'health': return Object.keys(healthSchema.shape);
    case 'restart': return Object.keys(restartSchema.shape);
    case 'stop': return Object.keys(stopSchema.shape);
    case 'log': return Object.keys(logSchema.shape);
    case 'readiness': return Object.keys(serviceSchema.shape.readiness.unwrap().shape);
    case 'reload': return Object.keys((serviceSchema.shape.reload.unwrap()).shape);
    case 'watch': return Object.keys((watchSchema.def.options[1] as typeof watchSchema.def.options[1]).shape);
    case 'dependency': return Object.keys(dependencyOptionsSchema.shape);
    default: return null;
  }
}

function closest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.min(w.length, 12) / 3));
  return bestDistance <= allowed ? best : null;
}

/** Optimal string alignment distance: a swap of two neighbours ("prot" → "port") costs 1. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
