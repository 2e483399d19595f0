// The main-side half of the IPC contract: one ipcMain.handle per call, each checking the sender,
// validating its arguments and answering with an {ok}|{error} envelope. Messages reach the window
// through window-feed.ts, only while a window exists.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { SupervisorControl } from '../contract/control.js';
import type { RemotesControl } from '../contract/remotes.js';
import type { Disposable } from '../contract/status.js';
import { ipcCallNames, ipcChannels } from '../contract/ipc.js';
import { dispatchIpc, isTrustedSender } from './ipc-validate.js';
import { supervisorHandlers } from './ipc-handlers.js';
import type { StatusWindow } from './window.js';

export function registerIpc(supervisor: SupervisorControl, window: StatusWindow, page: string, remotes?: RemotesControl): Disposable {
  const handlers = supervisorHandlers(supervisor, remotes);
  for (const name of ipcCallNames) {
    ipcMain.handle(ipcChannels[name], (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const trusted = isTrustedSender({
        senderId: event.sender.id,
        windowId: window.contentsId,
        frameUrl: event.senderFrame?.url ?? null,
        pageFile: page,
      });
      if (!trusted) return { error: { message: 'forbidden: not the Hypha status window', status: 403 } };
      return dispatchIpc(handlers, name, args);
    });
  }
  return {
    dispose() {
      for (const name of ipcCallNames) ipcMain.removeHandler(ipcChannels[name]);
    },
  };
}
