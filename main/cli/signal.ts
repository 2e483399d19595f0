// `hypha signal ID SIGNAL [--group]` and `hypha reload ID` (SPEC §7): a signal to a running
// service, or its reload.command (systemctl reload). The written id of a service with
// `replicas:` reaches every copy.
import type { ServiceStatus } from '../contract/status.js';
import { CliError, Client } from './client.js';

type Answer = { services?: ServiceStatus[]; error?: string };

function exitFor(status: number): 1 | 2 {
  return status === 400 || status === 404 ? 2 : 1;
}

export async function signalCommand(id: string, signal: string, group: boolean, out: (s: string) => void): Promise<number> {
  const client = await Client.connect();
  const r = await client.request<Answer>('POST', `/api/services/${encodeURIComponent(id)}/signal`, { json: { signal, group } });
  if (r.status !== 200) throw new CliError(r.body.error ?? `HTTP ${r.status}`, exitFor(r.status));
  for (const s of r.body.services ?? []) out(`${s.id}: sent ${signal.toUpperCase().replace(/^(?!SIG)/, 'SIG')} to ${group ? 'process group' : 'pid'} ${s.pid}`);
  return 0;
}

export async function reloadServiceCommand(id: string, out: (s: string) => void): Promise<number> {
  const client = await Client.connect();
  const r = await client.request<Answer>('POST', `/api/services/${encodeURIComponent(id)}/reload`, { timeoutMs: 15 * 60_000 });
  if (r.status !== 200) throw new CliError(r.body.error ?? `HTTP ${r.status}`, exitFor(r.status));
  for (const s of r.body.services ?? []) out(`${s.id}: reloaded`);
  return 0;
}
