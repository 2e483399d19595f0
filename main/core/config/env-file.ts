// A service's env_file: KEY=VALUE lines in the dotenv style most tools share. It is read at every
// spawn (not at load), so editing it takes effect on the next restart without a reload.
import { readFileSync } from 'node:fs';

export type EnvFileResult = { ok: true; env: Record<string, string> } | { ok: false; error: string };

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

export function readEnvFile(path: string): EnvFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : String(e);
    return { ok: false, error: `cannot read env_file ${path}: ${code}` };
  }
  const parsed = parseEnvText(text);
  return parsed.ok ? parsed : { ok: false, error: `env_file ${path}:${parsed.line}: ${parsed.error}` };
}

export type EnvTextResult = { ok: true; env: Record<string, string> } | { ok: false; line: number; error: string };

export function parseEnvText(text: string): EnvTextResult {
  const env: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const entry = parseLine(line);
    if ('error' in entry) return { ok: false, line: i + 1, error: entry.error };
    env[entry.key] = entry.value;
  }
  return { ok: true, env };
}

function parseLine(line: string): { key: string; value: string } | { error: string } {
  const body = line.replace(/^export\s+/, '');
  const eq = body.indexOf('=');
  if (eq < 0) return { error: `expected KEY=VALUE, got ${quote(line)}` };
  const key = body.slice(0, eq).trim();
  if (!KEY_RE.test(key)) return { error: `invalid variable name ${quote(key)}` };
  const rest = body.slice(eq + 1).trim();
  const value = parseValue(rest);
  return 'error' in value ? { error: `${key}: ${value.error}` } : { key, value: value.value };
}

function parseValue(rest: string): { value: string } | { error: string } {
  const q = rest[0];
  if (q === '"' || q === "'") {
    let value = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== q; i++) {
      if (q === '"' && rest[i] === '\\' && i + 1 < rest.length) {
        const next = rest[++i];
        value += ESCAPES[next] ?? `\\${next}`;
      } else {
        value += rest[i];
      }
    }
    if (i >= rest.length) return { error: `missing closing ${q}` };
    const after = rest.slice(i + 1).trim();
    if (after !== '' && !after.startsWith('#')) return { error: `unexpected text after the closing ${q}: ${quote(after)}` };
    return { value };
  }
  // Unquoted: a `#` after whitespace starts a comment; one inside a word (a URL fragment) does not.
  return { value: rest.replace(/\s+#.*$/, '').trim() };
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** Several env files, later ones winning (the top-level env_file, then the service's); nulls skipped. */
export function readEnvFiles(paths: readonly (string | null)[]): EnvFileResult {
  const env: Record<string, string> = {};
  for (const path of paths) {
    if (!path) continue;
    const r = readEnvFile(path);
    if (!r.ok) return r;
    Object.assign(env, r.env);
  }
  return { ok: true, env };
}
