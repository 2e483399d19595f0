// The `/api/remotes` routes: list, add and remove remotes, and reach a remote's services through
// this daemon, which adds the remote's token. The browser never sees a remote's token: the list
// answers names, URLs and what each remote said; only `POST /api/remotes` carries one, inbound.
// Behind the same Host check and bearer token as every /api route (server.ts checks both first).
import { ACTIONS, type Action } from '../contract/control.js';
import { RemoteError, type RemoteInput, type RemotesControl } from '../contract/remotes.js';

export interface RouteAnswer {
  status: number;
  body: unknown;
}

const notAllowed: RouteAnswer = { status: 405, body: { error: 'method not allowed' } };

/** `parts` is the decoded path after `/api/remotes`. */
export async function routeRemotes(remotes: RemotesControl, method: string, parts: readonly string[], body: unknown): Promise<RouteAnswer> {
  const [name, section, id, action, ...extra] = parts;
  if (name === undefined || name === '') {
    if (method === 'GET') return { status: 200, body: { remotes: await remotes.list() } };
    if (method === 'POST') {
      if (body === undefined) throw new RemoteError('send a JSON body {"name": "server", "url": "http://127.0.0.1:18765", "token": "…"}', 400);
      return { status: 201, body: { ok: true, remote: await remotes.add(body as RemoteInput) } };
    }
    return notAllowed;
  }
  if (section === undefined) {
    if (method !== 'DELETE') return notAllowed;
    await remotes.remove(name);
    return { status: 200, body: { ok: true } };
  }
  if (section !== 'services' || extra.length > 0) throw new RemoteError(`no such route: /api/remotes/${parts.join('/')}`, 404);
  if (id === 'status' && action === undefined) {
    if (method !== 'GET') return notAllowed;
    return { status: 200, body: { services: await remotes.services(name), timestamp: new Date().toISOString() } };
  }
  if (id === undefined) throw new RemoteError(`no such route: /api/remotes/${parts.join('/')}`, 404);
  if (action === undefined) {
    if (method !== 'GET') return notAllowed;
    return { status: 200, body: await remotes.get(name, id) };
  }
  if (!(ACTIONS as readonly string[]).includes(action)) throw new RemoteError(`no such route: /api/remotes/${parts.join('/')}`, 404);
  if (method !== 'POST') return notAllowed;
  const statuses = await remotes.act(name, action as Action, id);
  return { status: 200, body: id === 'all' ? { ok: true, services: statuses } : { ok: true, service: statuses[0] } };
}
