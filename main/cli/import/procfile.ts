// Procfile (foreman, honcho): `name: command` lines. Each becomes a daemon running the command
// through the shell, as foreman does. foreman hands each process a PORT (5000, 5100, …); where a
// command reads $PORT, the imported service gets that PORT in its env so it behaves the same.
import type { Mapping } from './mapping.js';
import { makeId } from './values.js';

export function importProcfile(text: string, m: Mapping): void {
  const taken = new Set<string>();
  let index = 0;
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line);
    if (!match) {
      m.skip(null, `line ${n + 1}`, line, 'not a "name: command" line');
      continue;
    }
    const [, name, command] = match as unknown as [string, string, string];
    const s = m.service(makeId(name, taken));
    if (s.id !== name) m.set(s, 'name', ['name'], name, 'id made to fit Hypha\'s id rule');
    m.set(s, 'command', ['command'], command, 'run through the shell, as foreman does');
    if (/\$\{?PORT\b/.test(command)) {
      m.set(s, '$PORT', ['env', 'PORT'], String(5000 + 100 * index), "foreman's PORT: 5000 + 100 per process type");
    }
    index++;
  }
}
