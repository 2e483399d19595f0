// The record an importer builds while it reads another tool's config: the hypha.yaml values it
// could map, and one row per source option (mapped to which key, or not mapped and why). Nothing
// an importer reads may vanish: every option ends up as a row, and every unmapped one also as a
// comment above its service in the output and a line on stderr.

export type Raw = Record<string, unknown>;

/** One source option and what became of it: `key` null means it was not mapped. */
export interface Row {
  service: string;
  option: string;
  key: string | null;
  note: string;
  /** Mapped, but to something weaker than the source said: also a comment and a stderr line. */
  partial?: boolean;
}

export interface ServiceDraft {
  id: string;
  fields: Raw;
  /** Unmapped options, as comment lines above the service. */
  comments: string[];
}

export class Mapping {
  readonly rows: Row[] = [];
  readonly services: ServiceDraft[] = [];
  /** Top-level hypha.yaml keys besides services (e.g. env). */
  readonly top: Raw = {};
  /** Comment lines for the head of the file (options that belong to no service). */
  readonly topComments: string[] = [];

  constructor(readonly format: string) {}

  service(id: string): ServiceDraft {
    const draft: ServiceDraft = { id, fields: {}, comments: [] };
    this.services.push(draft);
    return draft;
  }

  /** Sets `path` in the service (or the top level when `s` is null) and records the row. */
  set(s: ServiceDraft | null, option: string, path: readonly string[], value: unknown, note = ''): void {
    let target = s ? s.fields : this.top;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[part] = {};
      target = target[part] as Raw;
    }
    target[path[path.length - 1] as string] = value;
    this.rows.push({ service: s?.id ?? '*', option, key: path.join('.'), note });
  }

  /** An option that has no place in hypha.yaml: a row, and a comment with the value and reason. */
  skip(s: ServiceDraft | null, option: string, value: unknown, reason: string): void {
    this.rows.push({ service: s?.id ?? '*', option, key: null, note: reason });
    const line = `${option}: ${show(value)} — ${reason}`;
    if (s) s.comments.push(line);
    else this.topComments.push(line);
  }

  /** Mapped to a weaker form (e.g. healthy → started): a row with its key, a comment and a stderr line. */
  partly(s: ServiceDraft, option: string, key: string, reason: string): void {
    this.rows.push({ service: s.id, option, key, note: reason, partial: true });
    s.comments.push(`${option} — ${reason}`);
  }

  /** An option Hypha covers without a key (its default already does it): a row, no comment. */
  covered(s: ServiceDraft | null, option: string, note: string): void {
    this.rows.push({ service: s?.id ?? '*', option, key: '(built in)', note });
  }

  /** Every option of `source` that no branch above consumed. */
  skipRest(s: ServiceDraft | null, prefix: string, source: Raw, handled: ReadonlySet<string>, reason = 'no Hypha equivalent'): void {
    for (const [k, v] of Object.entries(source)) {
      if (!handled.has(k) && v !== undefined) this.skip(s, `${prefix}${k}`, v, reason);
    }
  }
}

/** A short, one-line rendering of a value for a comment. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

export const NOT_YET = 'not supported by this Hypha yet';

export function isRecord(v: unknown): v is Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
