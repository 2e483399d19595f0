// The small grammar of systemd unit files that an export needs: quoting one argv word for
// ExecStart= (systemd splits on spaces, expands $VAR and %specifiers, so those are escaped),
// quoting Environment= assignments, and turning a 5-field cron line into an OnCalendar= value.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** `%` starts a specifier in every unit setting; `%%` is a literal percent. */
export function escapeSpecifiers(s: string): string {
  return s.replaceAll('%', '%%');
}

/** One argv word for Exec*=: plain when safe, else double-quoted with \\ \" and $$ escaped. */
export function quoteWord(word: string): string {
  const escaped = escapeSpecifiers(word).replaceAll('$', '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped) && escaped !== '') return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

export function execLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

/** `Environment="K=V"`, with systemd's C-style escapes inside the quotes. */
export function environmentLine(key: string, value: string): string {
  const kv = escapeSpecifiers(`${key}=${value}`).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `Environment="${kv}"`;
}

/** systemd wants an absolute program path (its PATH is short): find it on this PATH, as `which`. */
export function resolveProgram(program: string, path = process.env.PATH ?? ''): string | null {
  if (isAbsolute(program)) return program;
  if (program.includes('/')) return null;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(part: string, lowest: number, names: string[] = []): string | null {
  const named = part.toLowerCase().replace(/[a-z]{3}/g, (n) => {
    const i = names.indexOf(n);
    return i < 0 ? n : String(i + (names === MONTHS ? 1 : 0));
  });
  const items = named.split(',').map((item) => {
    const step = /^(\*|\d+)\/(\d+)$/.exec(item);
    if (step) return `${step[1] === '*' ? lowest : step[1]}/${step[2]}`;
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) return `${range[1]}..${range[2]}`;
    if (item === '*' || /^\d+$/.test(item)) return item;
    return null;
  });
  return items.includes(null) ? null : items.join(',');
}

function weekdays(part: string): string | null {
  if (part === '*') return '';
  const named = part.toLowerCase().replace(/[a-z]{3}/g, (n) => String(WEEKDAYS.indexOf(n)));
  const items = named.split(',').map((item) => {
    const range = /^(\d)-(\d)$/.exec(item);
    if (range) return `${DAYS[Number(range[1])]}..${DAYS[Number(range[2])]}`;
    if (/^\d$/.test(item)) return DAYS[Number(item)] ?? null;
    return null;
  });
  return items.some((i) => i === null || i === undefined) ? null : `${items.join(',')} `;
}

/** "*\/15 9-17 * * 1-5" → "Mon..Fri *-*-* 9..17:0/15:00", or null when it has no equivalent. */
export function cronToOnCalendar(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [min, hour, dom, mon, dow] = parts as [string, string, string, string, string];
  const f = { min: field(min, 0), hour: field(hour, 0), dom: field(dom, 1), mon: field(mon, 1, MONTHS), dow: weekdays(dow) };
  if (f.min === null || f.hour === null || f.dom === null || f.mon === null || f.dow === null) return null;
  return `${f.dow}*-${f.mon}-${f.dom} ${f.hour}:${f.min}:00`;
}
