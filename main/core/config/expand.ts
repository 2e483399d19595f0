// `${VAR}` expansion in hypha.yaml values (SPEC §7): `${VAR}`, `${VAR:-default}` (unset or empty),
// `${VAR-default}` (unset only), and `$$` for a literal `$`, the forms docker compose users know.
// A bare `$NAME` is left alone, so a shell command's `$RANDOM` or `$1` still reaches the shell.
// Pure: the caller says where variables come from and where an error is reported.

/** Looks a variable up; undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export type ExpandResult = { ok: true; value: string } | { ok: false; error: string };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function expandString(text: string, lookup: Lookup): ExpandResult {
  if (!text.includes('$')) return { ok: true, value: text };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close < 0) return { ok: false, error: `unclosed "\${" in ${quote(text)} (write $$ for a literal $)` };
    const body = text.slice(dollar + 2, close);
    const part = expandOne(body, lookup);
    if (!part.ok) return part;
    out += part.value;
    i = close + 1;
  }
  return { ok: true, value: out };
}

function expandOne(body: string, lookup: Lookup): ExpandResult {
  const m = /^([^:-]*)(:?-)?([\s\S]*)$/.exec(body) as RegExpExecArray;
  const op = m[2];
  const name = op === undefined ? body : (m[1] as string);
  if (!NAME_RE.test(name)) {
    return { ok: false, error: `invalid variable name ${quote(name)} in "\${${body}}" (write $$ for a literal $)` };
  }
  const value = lookup(name);
  if (op === ':-') return { ok: true, value: value === undefined || value === '' ? (m[3] as string) : value };
  if (op === '-') return { ok: true, value: value ?? (m[3] as string) };
  if (value === undefined) {
    return { ok: false, error: `unknown variable ${name} in "\${${name}}" (set it in the environment or an env_file, or write \${${name}:-default})` };
  }
  return { ok: true, value };
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** A chain of variable layers: later layers win; the base is usually the process environment. */
export class VarScope {
  private readonly own = new Map<string, string>();
  constructor(private readonly parent: Lookup) {}

  set(name: string, value: string): void {
    this.own.set(name, value);
  }

  setAll(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.own.set(k, v);
  }

  readonly get: Lookup = (name) => (this.own.has(name) ? this.own.get(name) : this.parent(name));

  child(): VarScope {
    return new VarScope(this.get);
  }
}

export function processLookup(env: NodeJS.ProcessEnv): Lookup {
  return (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
}
