// One app, two homes: the Electron window has the preload bridge, a browser has HTTP.
import type { HyphaApi } from '../../../main/contract/api.js';
import { createHttpApi, type EarlyRequests } from './http.js';
import { createIpcApi } from './ipc.js';
import { takeToken } from './token.js';

declare global {
  interface Window {
    hypha?: HyphaApi;
    /** Set by public/assets/boot.js when it started the first requests. */
    __hyphaEarly?: EarlyRequests;
    /** Tells a late public/assets/boot.js that the app has asked for itself. */
    __hyphaStarted?: boolean;
  }
}

export type TransportKind = 'ipc' | 'http';

export function pickTransport(win: Window): { api: HyphaApi; kind: TransportKind } {
  if (win.hypha) return { api: createIpcApi(win.hypha), kind: 'ipc' };
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  win.__hyphaStarted = true;
  const early = win.__hyphaEarly;
  delete win.__hyphaEarly;
  return { api: createHttpApi({ token, ...(early ? { early } : {}) }), kind: 'http' };
}
