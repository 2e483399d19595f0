// What an export did with each hypha.yaml setting: the target field it became, or why it could
// not be said in the target. Unexpressible settings become comments in the output (beside the
// service they belong to) and a line on stderr; `--check` prints every row as a table.

export interface ExportRow {
  service: string;
  key: string;
  to: string | null;
  note: string;
}

export class Report {
  readonly rows: ExportRow[] = [];
  private readonly lost = new Map<string, string[]>();

  map(service: string, key: string, to: string, note = ''): void {
    this.rows.push({ service, key, to, note });
  }

  /** A setting the target cannot express: a row, and a comment line for that service. */
  lose(service: string, key: string, reason: string): void {
    this.rows.push({ service, key, to: null, note: reason });
    const list = this.lost.get(service) ?? [];
    list.push(`${key}: ${reason}`);
    this.lost.set(service, list);
  }

  /** Comment lines for a service ("not expressible here: …"). */
  comments(service: string): string[] {
    return this.lost.get(service) ?? [];
  }

  warnings(target: string): string[] {
    return this.rows.filter((r) => r.to === null).map((r) => `${r.service}: ${r.key} not expressible in ${target} — ${r.note}`);
  }

  table(): string {
    const head = ['SERVICE', 'HYPHA KEY', 'BECOMES', 'NOTE'];
    const body = this.rows.map((r) => [r.service, r.key, r.to ?? '- (comment)', r.note]);
    const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] as number) : c)).join('  ').trimEnd();
    return [line(head), ...body.map(line)].join('\n');
  }
}

/** One file of an export: its name (for --out) and text. */
export interface OutFile {
  name: string;
  text: string;
}
