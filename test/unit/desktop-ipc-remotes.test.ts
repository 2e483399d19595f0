// The status window's remotes calls on the main side: arguments checked before anything runs, and
// a real remotes store behind them, whose failures cross as {error} with their status (502 for a
// remote that cannot be reached, 404 for an unknown name), never as a thrown value.
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorControl } from '../../main/contract/control.js';
import { createRemotes } from '../../main/core/remotes/remotes.js';
import { remotesFile } from '../../main/core/remotes/store.js';
import { supervisorHandlers } from '../../main/desktop/ipc-handlers.js';
import { dispatchIpc, ipcValidators } from '../../main/desktop/ipc-validate.js';
import { freePort } from '../helpers/ports.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterEach(() => removeTempDirs());

describe('remotes over IPC', () => {
  it('checks names, actions and ids, and lets only the known fields of an add through', () => {
    expect(ipcValidators.remotesAct(['server', 'restart', 'web'])).toEqual(['server', 'restart', 'web']);
    expect(() => ipcValidators.remotesAct(['Server', 'restart', 'web'])).toThrow(/invalid remote name/);
    expect(() => ipcValidators.remotesAct(['server', 'nuke', 'web'])).toThrow(/invalid action "nuke"/);
    expect(() => ipcValidators.remotesAct(['server', 'stop', '../x'])).toThrow(/invalid service id/);
    expect(() => ipcValidators.remotesRemove([])).toThrow(/takes 1 argument/);
    expect(ipcValidators.remotesAdd([{ name: 'a', url: 'http://127.0.0.1:1', token: 't', extra: 'dropped' }])).toEqual([{ name: 'a', url: 'http://127.0.0.1:1', token: 't' }]);
    expect(() => ipcValidators.remotesAdd(['x'])).toThrow(/takes \{name, url, token, remotePort\?\}/);
  });

  it('answers from a real store: empty list, 502 for an unreachable remote, 404 for an unknown one', async () => {
    const remotes = createRemotes({ file: remotesFile(tempDir()), timeoutMs: 5_000 });
    const handlers = supervisorHandlers({} as SupervisorControl, remotes);
    expect(await dispatchIpc(handlers, 'remotesList', [])).toEqual({ ok: [] });
    const port = await freePort();
    const added = await dispatchIpc(handlers, 'remotesAdd', [{ name: 'server', url: `http://127.0.0.1:${port}`, token: 't' }]);
    expect(added).toMatchObject({ error: { status: 502, message: expect.stringMatching(/^cannot reach server at .*connection refused/) } });
    expect(await dispatchIpc(handlers, 'remotesAct', ['server', 'restart', 'web'])).toMatchObject({ error: { status: 404, message: expect.stringMatching(/no remote named "server"/) } });
    expect(await dispatchIpc(handlers, 'remotesAdd', [{ name: 'bad name', url: 'x', token: 't' }])).toMatchObject({ error: { status: 400 } });
  });
});
