// `hypha remote add NAME URL --token T [--remote-port P] | list [--json] | remove NAME`: another
// Hypha (usually through `ssh -L`) whose services the tray and dashboard then show under NAME. The
// running daemon keeps the list and the tokens (POST/DELETE /api/remotes), so the CLI, the tray
// and the dashboard always agree; the daemon checks the remote answers before it saves anything.
import type { RemoteView } from '../contract/remotes.js';
import { CliError, Client } from './client.js';
import type { Ctx } from './command.js';
import { table } from './format.js';

const USAGE = 'usage: hypha remote add NAME URL --token TOKEN [--remote-port PORT] [--replace] | hypha remote list [--json] | hypha remote remove NAME';

function summary(r: RemoteView): string {
  if (!r.reachable) return `unreachable: ${r.error ?? 'no answer'}`;
  const services = r.services ?? [];
  const online = services.filter((s) => s.status === 'online').length;
  return `${online} of ${services.length} online${r.version ? ` · v${r.version}` : ''}`;
}

async function failed<T>(p: Promise<{ status: number; body: T & { error?: string } }>): Promise<T> {
  const r = await p;
  if (r.status >= 200 && r.status < 300) return r.body;
  const message = typeof r.body === 'object' && r.body && typeof r.body.error === 'string' ? r.body.error : `HTTP ${r.status}`;
  throw new CliError(message, r.status === 400 || r.status === 404 || r.status === 409 ? 2 : 1);
}

export async function remoteCommand(ctx: Ctx): Promise<number> {
  const [sub, ...args] = ctx.positionals;
  switch (sub) {
    case 'add': {
      if (args.length !== 2) throw new CliError(`remote add takes a name and a URL (${USAGE})`, 2);
      const token = typeof ctx.values.token === 'string' ? ctx.values.token : ctx.env.HYPHA_REMOTE_TOKEN;
      if (!token) throw new CliError('remote add needs --token TOKEN (or HYPHA_REMOTE_TOKEN): the token in the remote\'s daemon.json, or the #token= of `hypha open` run there', 2);
      const port = ctx.values['remote-port'];
      const client = await Client.connect(ctx.env);
      const input = { name: args[0], url: args[1], token, ...(typeof port === 'string' ? { remotePort: Number(port) } : {}), ...(ctx.values.replace ? { replace: true } : {}) };
      const answer = await failed(client.request<{ remote: RemoteView }>('POST', '/api/remotes', { json: input }));
      const r = answer.remote;
      if (r.warning) ctx.err(`warning: ${r.warning}`);
      ctx.out(`${ctx.values.replace ? 'saved' : 'added'} ${r.name} (${r.url}): ${summary(r)}`);
      return 0;
    }
    case 'list': {
      if (args.length > 0) throw new CliError('remote list takes no arguments', 2);
      const client = await Client.connect(ctx.env);
      const { remotes } = await failed(client.request<{ remotes: RemoteView[] }>('GET', '/api/remotes'));
      if (ctx.values.json) {
        ctx.out(JSON.stringify({ remotes }, null, 2));
        return 0;
      }
      if (remotes.length === 0) {
        ctx.out('no remotes (add one with: hypha remote add NAME URL --token TOKEN)');
        return 0;
      }
      const rows = [['NAME', 'URL', 'STATE'], ...remotes.map((r) => [r.name, r.remotePort ? `${r.url} (port ${r.remotePort} there)` : r.url, summary(r)])];
      ctx.out(table(rows));
      return 0;
    }
    case 'remove': {
      if (args.length !== 1) throw new CliError('remote remove takes one name', 2);
      const client = await Client.connect(ctx.env);
      await failed(client.request<{ ok: boolean }>('DELETE', `/api/remotes/${encodeURIComponent(args[0] as string)}`));
      ctx.out(`removed ${args[0]}`);
      return 0;
    }
    default:
      throw new CliError(sub === undefined ? USAGE : `unknown remote command "${sub}" (${USAGE})`, 2);
  }
}
