// One app, two homes: the Electron window has the preload bridge, a browser has HTTP.
import type { HyphaApi } from '../../../main/contract/api.js';
import { createHttpApi } from './http.js';
import { createIpcApi } from './ipc.js';
import { takeToken } from './token.js';

declare global {
  interface Window {
    hypha?: HyphaApi;
  }
}

export type TransportKind = 'ipc' | 'http';

export function pickTransport(win: Window): { api: HyphaApi; kind: TransportKind } {
  if (win.hypha) return { api: createIpcApi(win.hypha), kind: 'ipc' };
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return { api: createHttpApi({ token }), kind: 'http' };
}
