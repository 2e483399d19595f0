// supervisord's INI dialect: `[section]`, `key = value` (or `key: value`), `;` and `#` comments
// (inline only after whitespace), and indented continuation lines. Small enough to read by hand,
// and a general INI library would get the inline-comment and continuation rules wrong.

export interface IniSection {
  name: string;
  line: number;
  values: Record<string, string>;
}

export function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | null = null;
  let lastKey: string | null = null;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (/^\s*([;#]|$)/.test(raw)) continue;
    if (/^\s/.test(raw) && current && lastKey) {
      current.values[lastKey] = `${current.values[lastKey]} ${stripComment(raw.trim())}`.trim();
      continue;
    }
    const head = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (head) {
      current = { name: (head[1] as string).trim(), line: i + 1, values: {} };
      sections.push(current);
      lastKey = null;
      continue;
    }
    const kv = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(raw);
    if (kv && current) {
      lastKey = (kv[1] as string).toLowerCase();
      current.values[lastKey] = stripComment(kv[2] as string);
    }
  }
  return sections;
}

function stripComment(v: string): string {
  return v.replace(/\s+;.*$/, '').trim();
}
