// The IPC calls answered by the supervisor. Kept apart from ipc.ts (which needs electron) so the
// whole main-side path — validate, call, wrap — runs against a real supervisor under plain Node.
import type { SupervisorControl } from '../contract/control.js';
import type { IpcHandlers } from '../contract/ipc.js';

export function supervisorHandlers(supervisor: SupervisorControl): IpcHandlers {
  return {
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
