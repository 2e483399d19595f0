// `hypha strays [ID] [--stop]`: copies of services running outside Hypha, and what spawns them.
import { parseArgs } from 'node:util';
import type { ServiceStatus } from '../core/types.js';
import { CliError, Client } from './client.js';
import { formatUptime, table } from './format.js';

export async function straysCommand(args: string[], tty: boolean): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { stop: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const ids = parsed.positionals;
  if (parsed.values.stop && ids.length !== 1) throw new CliError('strays --stop takes one service id: hypha strays --stop ID', 2);
  const client = await Client.connect();
  if (parsed.values.stop) {
    const id = ids[0] as string;
    const { stopped } = await client.call<{ stopped: number[] }>('POST', `/api/services/${encodeURIComponent(id)}/strays/stop`);
    process.stdout.write(stopped.length ? `stopped ${stopped.length} stray${stopped.length === 1 ? '' : 's'} of ${id}: ${stopped.join(' ')}\n` : `no strays of ${id}\n`);
    return 0;
  }
  // The status carries the latest scan; ask for a fresh one per service (SPEC §6: scan afresh).
  const { services } = await client.call<{ services: ServiceStatus[] }>('GET', '/api/services/status?strays=fresh');
  for (const id of ids) if (!services.some((s) => s.id === id)) throw new CliError(`unknown service: ${id}`, 2);
  const chosen = ids.length ? services.filter((s) => ids.includes(s.id)) : services;
  const rows: string[][] = [];
  for (const s of chosen) {
    for (const st of s.strays) {
      const age = st.startedAt ? formatUptime(Date.now() - Date.parse(st.startedAt)) : '-';
      const by = st.verdict ?? (st.ancestry.map((a) => `${a.command.split(' ')[0]} (${a.pid})`).join(' ← ') || '-');
      rows.push([s.id, String(st.pid), age, st.command.slice(0, 60), by]);
    }
  }
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(chosen.map((s) => ({ id: s.id, strays: s.strays })), null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no strays\n');
    return 0;
  }
  const head = ['SERVICE', 'PID', 'AGE', 'COMMAND', 'SPAWNED BY'];
  process.stdout.write(`${table([tty ? head.map((h) => `\x1b[1m${h}\x1b[0m`) : head, ...rows], [head, ...rows])}\n`);
  return 0;
}
