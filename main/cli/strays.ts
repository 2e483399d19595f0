// `hypha strays [ID] [--stop]`: copies of services running outside Hypha, and what spawns them.
import type { Stray } from '../contract/status.js';
import { clip } from '../core/strays/verdict.js';
import { readProcessTableAsync } from '../core/process/proctable.js';
import { CliError, Client } from './client.js';
import type { Ctx } from './command.js';
import { formatUptime, table } from './format.js';

interface Scanned {
  id: string;
  strays: Stray[];
}

/** SPEC §6: `hypha strays` scans afresh (GET /api/strays); the status only holds the last periodic scan. */
async function scan(client: Client, id?: string): Promise<Scanned[]> {
  const query = id ? `?id=${encodeURIComponent(id)}` : '';
  return (await client.call<{ services: Scanned[] }>('GET', `/api/strays${query}`)).services;
}

/**
 * This CLI and its ancestors (the shell, the terminal): `--stop` spares them, so the list leaves
 * them out too, to show what a stop would end. Best effort: an unreadable table spares nothing more.
 */
async function ourAncestry(): Promise<Set<number>> {
  const mine = new Set<number>([process.pid]);
  try {
    const byPid = new Map((await readProcessTableAsync()).map((p) => [p.pid, p]));
    for (let cur = byPid.get(process.pid); cur && cur.ppid > 1 && !mine.has(cur.ppid); cur = byPid.get(cur.ppid)) mine.add(cur.ppid);
  } catch {
    // no process table here: the daemon still spares us on --stop
  }
  return mine;
}

function spawnedBy(st: Stray): string {
  if (st.verdict) return st.verdict;
  const parent = st.ancestry[0];
  return parent ? `pid ${parent.pid} (${clip(parent.command, 40)})` : '-';
}

export async function straysCommand(ctx: Ctx): Promise<number> {
  const values = ctx.values;
  const ids = ctx.positionals;
  const tty = ctx.color;
  if (values.stop && ids.length !== 1) throw new CliError('strays --stop takes one service id: hypha strays --stop ID', 2);
  const client = await Client.connect(ctx.env);

  if (values.stop) {
    const id = ids[0] as string;
    const { stopped } = await client.call<{ stopped: number[] }>('POST', `/api/services/${encodeURIComponent(id)}/strays/stop?spare=${process.pid}`);
    if (values.json) process.stdout.write(`${JSON.stringify({ id, stopped })}\n`);
    else process.stdout.write(stopped.length ? `stopped ${stopped.length} stray${stopped.length === 1 ? '' : 's'} of ${id}: ${stopped.join(' ')}\n` : `no strays of ${id}\n`);
    // Copies that are already back mean something keeps starting them: say what.
    const back = (await scan(client, id))[0]?.strays ?? [];
    if (back.length > 0 && stopped.length > 0) {
      process.stderr.write(`${back.length} running again: ${spawnedBy(back[0] as Stray)}\n`);
    }
    return 0;
  }

  const scanned = ids.length === 1 ? await scan(client, ids[0]) : await scan(client);
  for (const id of ids) if (!scanned.some((s) => s.id === id)) throw new CliError(`unknown service: ${id}`, 2);
  const mine = await ourAncestry();
  const chosen = (ids.length > 1 ? scanned.filter((s) => ids.includes(s.id)) : scanned).map((s) => ({ ...s, strays: s.strays.filter((st) => !mine.has(st.pid)) }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(chosen, null, 2)}\n`);
    return 0;
  }
  const rows: string[][] = [];
  for (const s of chosen) {
    for (const st of s.strays) {
      const age = st.startedAt ? formatUptime(Math.max(0, Date.now() - Date.parse(st.startedAt))) : '-';
      rows.push([s.id, String(st.pid), age, clip(st.command, 60), spawnedBy(st)]);
    }
  }
  if (rows.length === 0) {
    process.stdout.write('no strays\n');
    return 0;
  }
  const head = ['SERVICE', 'PID', 'AGE', 'COMMAND', 'SPAWNED BY'];
  process.stdout.write(`${table([tty ? head.map((h) => `\x1b[1m${h}\x1b[0m`) : head, ...rows], [head, ...rows])}\n`);
  return 0;
}
