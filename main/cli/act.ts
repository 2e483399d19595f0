// `hypha start|stop|restart ID...|all` and `hypha run ID`: send the action, then wait until each
// service is where it was asked to go or clearly is not (SPEC §6 "CLI waiting"). While waiting it
// shows progress: a line rewritten in place on a TTY, else a line every PROGRESS_EVERY_MS. The
// final words carry the state and the health, and a service without a probe is reported as what
// it is: running, watched for a second, not "online".
import type { ServiceStatus } from '../contract/status.js';
import { CliError, Client } from './client.js';
import type { Ctx } from './command.js';
import { paint } from './format.js';
import { awaitingReadiness, failureLine, SETTLE_MS, verdict, type WaitAction } from './verdict.js';

/** Off a TTY, how often a "still waiting" line is printed. */
export const PROGRESS_EVERY_MS = 5000;

/** `state running, health unknown`: where a service is, in words. */
export function whereItIs(s: ServiceStatus | undefined): string {
  if (!s) return 'state unknown';
  const parts = [`state ${s.state}`];
  // `unhealthy: HTTP 503 after 3 checks` already says the health: no word twice.
  if (s.health === 'none') {
    if (s.type === 'daemon') parts.push('no health check');
  } else if (!s.lastError?.startsWith(s.health)) parts.push(`health ${s.health}`);
  if (awaitingReadiness(s)) parts.push('not ready yet');
  if (s.lastError) parts.push(s.lastError);
  return parts.join(', ');
}

/** What `start` says of a service it saw get there; `waitedReady`: it was seen running but not ready. */
export function doneLine(s: ServiceStatus, color: boolean, waitedReady = false): string {
  const pid = s.pid ? `, pid ${s.pid}` : '';
  if (s.type === 'daemon' && s.health === 'none' && s.state === 'running' && waitedReady) {
    return `${s.id}: ${paint('online', 32, color)} (ready; no health check)${pid}`;
  }
  if (s.type === 'daemon' && s.health === 'none' && s.state === 'running') {
    return `${s.id}: ${paint('running', 32, color)} (no health check; watched for ${SETTLE_MS / 1000}s)${pid}`;
  }
  return `${s.id}: ${paint(s.status, 32, color)}${s.pid ? ` (pid ${s.pid})` : ''}`;
}

export async function act(action: WaitAction, ctx: Ctx): Promise<number> {
  const { values, positionals } = ctx;
  if (positionals.length === 0) throw new CliError(`${action} needs a service id (or all): hypha ${action} ID`, 2);
  if (action === 'run' && positionals.length !== 1) throw new CliError('run takes exactly one oneshot id: hypha run ID', 2);
  const timeoutS = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new CliError(`--timeout must be a number of seconds, not "${String(values.timeout)}"`, 2);
  const client = await Client.connect(ctx.env);
  const { services } = await client.call<{ services: ServiceStatus[] }>('GET', '/api/services/status');
  const known = new Map(services.map((s) => [s.id, s]));
  // A service written with `replicas: N` is addressed by its id too: it means every copy.
  const copies = (id: string): string[] => services.filter((s) => !known.has(id) && s.replica?.of === id).map((s) => s.id);
  const ids = positionals.includes('all') ? services.map((s) => s.id) : positionals.flatMap((id) => (copies(id).length > 0 ? copies(id) : [id]));
  for (const id of ids) if (!known.has(id)) throw new CliError(`unknown service: ${id}`, 2);
  if (positionals.includes('all')) await client.call('POST', `/api/services/all/${action}`);
  else for (const id of ids) await client.call('POST', `/api/services/${encodeURIComponent(id)}/${action}`);
  if (values['no-wait']) {
    ctx.out(`${action}: ${ids.join(', ')} accepted`);
    return 0;
  }
  const started = Date.now();
  const deadline = started + timeoutS * 1000;
  const pending = new Set(ids);
  const live = process.stderr.isTTY === true;
  let progressShown = false;
  let lastProgress = started;
  const clearProgress = (): void => {
    if (live && progressShown) process.stderr.write('\r\x1b[2K');
    progressShown = false;
  };
  let failed = 0;
  let last = new Map<string, ServiceStatus>();
  // Seen running but not ready (a readiness probe or log line still to pass).
  const notReady = new Set<string>();
  while (pending.size > 0) {
    const now = await client.call<{ services: ServiceStatus[] }>('GET', '/api/services/status');
    last = new Map(now.services.map((s) => [s.id, s]));
    for (const id of [...pending]) {
      const s = last.get(id);
      if (!s) {
        pending.delete(id);
        failed++;
        clearProgress();
        ctx.err(`${id}: removed while waiting`);
        continue;
      }
      if (awaitingReadiness(s)) notReady.add(id);
      const v = verdict(action, s, known.get(id));
      if (v === 'wait') continue;
      pending.delete(id);
      clearProgress();
      if (v === 'done') ctx.out(action === 'stop' ? `${id}: ${paint(s.status, 32, ctx.color)}` : doneLine(s, ctx.color, notReady.has(id)));
      else {
        failed++;
        ctx.err(failureLine(s));
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      clearProgress();
      for (const id of pending) ctx.err(`${id}: not ${action === 'stop' ? 'stopped' : 'up'} after ${timeoutS}s (${whereItIs(last.get(id))})`);
      return 1;
    }
    const waited = Math.round((Date.now() - started) / 1000);
    const words = `waiting for ${[...pending].map((id) => `${id} (${whereItIs(last.get(id))})`).join('; ')} ${waited}s of ${timeoutS}s`;
    if (live) {
      process.stderr.write(`\r\x1b[2K${words.slice(0, (process.stderr.columns ?? 80) - 1)}`);
      progressShown = true;
    } else if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      ctx.err(words);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return failed > 0 ? 1 : 0;
}
