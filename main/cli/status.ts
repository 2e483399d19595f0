// `hypha status [--json]`: the table (with the config file in use, and the active profile, below
// it), or the API's JSON.
import type { ServiceStatus } from '../contract/status.js';
import { Client } from './client.js';
import type { Ctx } from './command.js';
import { statusTable } from './format.js';

/** The line that says which config the daemon runs, and with which profile when one is active. */
export function configLine(file: string | null, profile: string | null = null): string {
  const withProfile = profile === null ? '' : ` · profile: ${profile}`;
  if (file === null) return `config: unknown (the daemon did not say)${withProfile}`;
  if (file === '<built-in>') return `config: built-in demo (the daemon found no hypha.yaml or hypha.yml)${withProfile}`;
  return `config: ${file}${withProfile}`;
}

export async function status(ctx: Ctx): Promise<number> {
  const client = await Client.connect(ctx.env);
  const body = await client.call<{ services: ServiceStatus[]; timestamp: string }>('GET', '/api/services/status');
  if (ctx.values.json) {
    ctx.out(JSON.stringify(body, null, 2));
    return 0;
  }
  const info = await client.request<{ configFile?: string; profile?: string | null }>('GET', '/api/info');
  const known = info.status === 200;
  ctx.out(statusTable(body.services, ctx.color));
  ctx.out('');
  ctx.out(configLine(known ? (info.body.configFile ?? null) : null, known ? (info.body.profile ?? null) : null));
  return 0;
}
