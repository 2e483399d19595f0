// A finished Mapping → the commented hypha.yaml on stdout, the stderr lines for what was not
// mapped, and the `--check` mapping table. Comments sit above the service they belong to, so a
// person reading the file sees what did not come across next to what did.
import { Document, isMap, isPair, isScalar } from 'yaml';
import type { Mapping, Row } from './mapping.js';

export function renderYaml(m: Mapping, source: string): string {
  const services: Record<string, unknown> = {};
  for (const s of m.services) services[s.id] = s.fields;
  const doc = new Document({ ...m.top, services });
  const head = [
    ` hypha.yaml imported by \`hypha import\` from ${source} (${m.format}).`,
    ' Relative paths are as the source wrote them: keep this file in the same folder.',
    ' Options Hypha could not map are comments below, each with the reason.',
  ];
  if (m.topComments.length > 0) head.push('', ' not mapped (whole file):', ...m.topComments.map((c) => `   ${c}`));
  doc.commentBefore = head.join('\n');
  const node = doc.get('services', true);
  if (isMap(node)) {
    for (const item of node.items) {
      const key: unknown = isPair(item) ? item.key : null;
      if (!isScalar(key)) continue;
      const draft = m.services.find((s) => s.id === key.value);
      if (draft && draft.comments.length > 0) key.commentBefore = [' not mapped:', ...draft.comments.map((c) => `   ${c}`)].join('\n');
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** One stderr line per unmapped option. */
export function warnings(m: Mapping): string[] {
  return m.rows
    .filter((r) => r.key === null || r.partial === true)
    .map((r) => `${r.service === '*' ? '' : `${r.service}: `}${r.option} ${r.key === null ? 'not mapped' : `mapped only as ${r.key}`} — ${r.note}`);
}

export function mappingTable(rows: readonly Row[]): string {
  const head = ['SERVICE', 'SOURCE OPTION', 'HYPHA KEY', 'NOTE'];
  const body = rows.map((r) => [r.service, r.option, r.key ?? '- (comment)', r.note]);
  const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] as number) : c)).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}
