// HyphaApi inside Electron: the preload exposes `window.hypha`. Calls pass straight through;
// only errors are rebuilt, because structured clone across the bridge drops their class.
import type { HyphaApi, RemotesApi } from '../../../main/contract/api.js';
import { toHyphaError } from './errors.js';

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    throw toHyphaError(thrown);
  }
}

function guardedRemotes(r: RemotesApi): RemotesApi {
  return {
    list: () => guarded(() => r.list()),
    add: (input) => guarded(() => r.add(input)),
    remove: (name) => guarded(() => r.remove(name)),
    act: (name, action, id) => guarded(() => r.act(name, action, id)),
  };
}

export function createIpcApi(bridge: HyphaApi): HyphaApi {
  return {
    list: () => guarded(() => bridge.list()),
    act: (action, id) => guarded(() => bridge.act(action, id)),
    stopStrays: (id) => guarded(() => bridge.stopStrays(id)),
    logs: (id, lines) => guarded(() => bridge.logs(id, lines)),
    events: (id) => guarded(() => bridge.events(id)),
    runs: (id) => guarded(() => bridge.runs(id)),
    settings: (id) => guarded(() => bridge.settings(id)),
    info: () => guarded(() => bridge.info()),
    ...(bridge.remotes ? { remotes: guardedRemotes(bridge.remotes) } : {}),
    subscribe(onMessage, onConnection) {
      const unsubscribe = bridge.subscribe(onMessage, onConnection);
      // IPC has no connection to lose; say so in case the bridge does not.
      onConnection?.({ state: 'open' });
      return unsubscribe;
    },
  };
}
