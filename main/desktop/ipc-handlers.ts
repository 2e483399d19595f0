// The IPC calls answered by the supervisor. Kept apart from ipc.ts (which needs electron) so the
// whole main-side path — validate, call, wrap — runs against a real supervisor under plain Node.
import type { SupervisorControl } from '../contract/control.js';
import type { IpcHandlers } from '../contract/ipc.js';
import { RemoteError, type RemotesControl } from '../contract/remotes.js';

const noRemotes: Pick<RemotesControl, 'list' | 'add' | 'remove' | 'act'> = {
  list: async () => [],
  add: async () => {
    throw new RemoteError('this app keeps no remotes', 400);
  },
  remove: async (name) => {
    throw new RemoteError(`no remote named "${name}"`, 404);
  },
  act: async (name) => {
    throw new RemoteError(`no remote named "${name}"`, 404);
  },
};

export function supervisorHandlers(supervisor: SupervisorControl, remotes: Pick<RemotesControl, 'list' | 'add' | 'remove' | 'act'> = noRemotes): IpcHandlers {
  return {
    remotesList: () => remotes.list(),
    remotesAdd: (input) => remotes.add(input),
    remotesRemove: async (name) => (await remotes.remove(name), null),
    remotesAct: (name, action, id) => remotes.act(name, action, id),
    list: () => supervisor.list(),
    act: (action, id) => supervisor.act(action, id),
    stopStrays: (id) => supervisor.stopStrays(id),
    logs: (id, lines) => supervisor.logs(id, lines),
    events: (id) => supervisor.events(id),
    runs: (id) => supervisor.runs(id),
    settings: (id) => supervisor.settings(id),
    info: () => ({ version: supervisor.version, configFile: supervisor.configFile, profile: supervisor.profile }),
  };
}
