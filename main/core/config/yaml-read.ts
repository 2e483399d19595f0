// YAML text → a plain value plus what is needed to find positions later, or syntax errors.
// Syntax problems are reported here; what the value means is checked elsewhere.
import { LineCounter, isAlias, isScalar, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import { describeValue } from './describe-value.js';
import type { Position } from './yaml-positions.js';

export interface YamlProblem extends Position {
  message: string;
}

export type YamlRead =
  | { ok: true; doc: Document; lines: LineCounter; value: unknown; problems: YamlProblem[] }
  | { ok: false; problems: YamlProblem[] };

/** Alias expansions allowed before a "billion laughs" file is refused. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Duplicate keys and `__proto__` keys are reported but leave a value worth checking further
 * (`ok: true` with problems); any other syntax error stops here, as later errors would be noise.
 */
export function readYaml(text: string): YamlRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: true, uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings];
  const starts = syntax.length > 0 ? lineStarts(text) : [];
  const problems = firstPerLine(syntax.map((e) => syntaxProblem(e, doc, text, starts)));
  if (syntax.some((e) => e.code !== 'DUPLICATE_KEY')) return { ok: false, problems };

  const aliases = unresolvedAliases(doc, lines);
  if (aliases.length > 0) return { ok: false, problems: [...problems, ...aliases] };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, problems: [...problems, { line: 1, col: 1, message: `invalid YAML: cannot expand aliases: ${why}` }] };
  }
  return { ok: true, doc, lines, value, problems: [...problems, ...prototypeKeys(doc, lines)] };
}

/** One syntax error per line, at most MAX_SYNTAX_ERRORS: past the first, most are its echoes. */
const MAX_SYNTAX_ERRORS = 10;

function firstPerLine(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<number>();
  return problems
    .filter((p) => p.message.startsWith('duplicate key') || (!seen.has(p.line) && seen.add(p.line)))
    .slice(0, MAX_SYNTAX_ERRORS);
}

/**
 * The position from the error's offset, counted from our own line starts: after some syntax errors
 * (a plain scalar broken over lines) the parser's `linePos` misses a line break.
 */
function syntaxProblem(e: YAMLError, doc: Document, text: string, starts: readonly number[]): YamlProblem {
  const pos = positionOf(starts, Math.max(0, Math.min(e.pos[0], text.length)));
  if (e.code === 'DUPLICATE_KEY') {
    const key = keyTextAt(doc, e.pos[0]) ?? /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim() ?? '';
    return { ...pos, message: `duplicate key ${describeValue(key)}` };
  }
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
  const message =
    e.code === 'MULTIPLE_DOCS'
      ? 'only one document is allowed (remove the extra --- line)'
      : /call stack/i.test(first)
        ? 'nested too deeply'
        : first;
  return { ...pos, message: `invalid YAML: ${message}` };
}

/** Offsets where each line begins (line 1 at 0), counted once per file with errors. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionOf(starts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - (starts[lo] as number) + 1 };
}

/** The text of the mapping key that starts at `offset`. */
function keyTextAt(doc: Document, offset: number): string | null {
  let found: string | null = null;
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function unresolvedAliases(doc: Document, lines: LineCounter): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return;
      problems.push({
        ...lines.linePos(node.range?.[0] ?? 0),
        message: `invalid YAML: unknown alias *${node.source} (define &${node.source} before using it)`,
      });
    },
  });
  return problems;
}

/** `__proto__` as a key would quietly vanish from the parsed value instead of being reported. */
function prototypeKeys(doc: Document, lines: LineCounter): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.value !== '__proto__') return;
      problems.push({ ...lines.linePos(pair.key.range?.[0] ?? 0), message: '"__proto__" cannot be used as a key' });
    },
  });
  return problems;
}
