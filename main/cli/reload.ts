// `hypha reload`: re-read the config. When the file watcher already applied the change a moment
// ago, the reload finds nothing to do: it says when and what was applied instead of "-".
import { CliError, Client } from './client.js';
import type { Ctx } from './command.js';

interface ReloadAnswer {
  added?: string[];
  removed?: string[];
  changed?: string[];
  previous?: { at: string; message: string; by: string } | null;
  error?: string;
  errors?: string[];
}

function hhmmss(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The words for a reload's answer. */
export function reloadLine(b: ReloadAnswer): string {
  const none = !b.added?.length && !b.removed?.length && !b.changed?.length;
  const prev = b.previous;
  if (none && prev && prev.by !== 'api' && !/: 0 added, 0 removed, 0 changed$/.test(prev.message)) {
    // "reloaded /x/hypha.yaml: 1 added, 0 removed, 2 changed" → "1 added, 0 removed, 2 changed"
    const what = prev.message.replace(/^reloaded .*?: (?=\d+ added)/, '');
    return `already applied at ${hhmmss(prev.at)} by the ${prev.by}: ${what}`;
  }
  if (none) return 'reloaded: nothing changed';
  return `reloaded: added ${b.added?.join(', ') || '-'}; removed ${b.removed?.join(', ') || '-'}; changed ${b.changed?.join(', ') || '-'}`;
}

export async function reload(ctx: Ctx): Promise<number> {
  const client = await Client.connect(ctx.env);
  const r = await client.request<ReloadAnswer>('POST', '/api/reload');
  if (r.status === 400) {
    for (const e of r.body.errors ?? [r.body.error ?? 'invalid config']) ctx.err(e);
    return 2;
  }
  if (r.status !== 200) throw new CliError(r.body.error ?? `HTTP ${r.status}`, 1);
  ctx.out(reloadLine(r.body));
  return 0;
}
