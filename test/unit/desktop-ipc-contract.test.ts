import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../main/contract/control.js';
import { ipcCallNames, ipcChannels, type IpcHandlers } from '../../main/contract/ipc.js';
import { dispatchIpc, ipcValidators, isTrustedSender, toIpcError } from '../../main/desktop/ipc-validate.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('channels', () => {
  it('has a channel for every call, all distinct', () => {
    for (const name of ipcCallNames) expect(ipcChannels[name]).toMatch(/^hypha:/);
    expect(new Set(Object.values(ipcChannels)).size).toBe(Object.keys(ipcChannels).length);
  });
});

describe('argument validation', () => {
  const rejects = (fn: () => unknown, pattern: RegExp) => {
    expect(fn).toThrow(CommandError);
    expect(fn).toThrow(pattern);
  };

  it('accepts well-formed calls', () => {
    expect(ipcValidators.act(['restart', 'db'])).toEqual(['restart', 'db']);
    expect(ipcValidators.act(['start', 'all'])).toEqual(['start', 'all']);
    expect(ipcValidators.logs(['my_svc-2', 200])).toEqual(['my_svc-2', 200]);
    expect(ipcValidators.list([])).toEqual([]);
  });

  it('refuses actions outside the list', () => {
    rejects(() => ipcValidators.act(['delete', 'db']), /invalid action "delete": expected one of start, stop, restart, run/);
    rejects(() => ipcValidators.act([{ toString: () => 'start' }, 'db']), /invalid action/);
  });

  it('refuses ids that do not match the id pattern', () => {
    for (const bad of ['', 'Db', '../etc', 'a b', '-x', 'x'.repeat(64), 42, null]) {
      rejects(() => ipcValidators.events([bad]), /invalid service id/);
    }
    // 'all' is only meaningful for actions.
    rejects(() => ipcValidators.stopStrays(['all']), /invalid service id "all"/);
  });

  it('refuses wrong arity and out-of-range line counts', () => {
    rejects(() => ipcValidators.list(['extra']), /list takes 0 arguments, got 1/);
    rejects(() => ipcValidators.act(['start']), /act takes 2 arguments, got 1/);
    for (const bad of [-1, 1.5, Number.NaN, 10_001, '10']) rejects(() => ipcValidators.logs(['db', bad]), /invalid line count/);
  });
});

describe('error envelopes', () => {
  it('keep the status of a CommandError and make anything else a 500', () => {
    expect(toIpcError(new CommandError('unknown service: x', 404))).toEqual({ error: { message: 'unknown service: x', status: 404 } });
    expect(toIpcError(new Error('disk full'))).toEqual({ error: { message: 'disk full', status: 500 } });
    expect(toIpcError('odd')).toEqual({ error: { message: 'odd', status: 500 } });
  });

  it('dispatch validates before calling and never throws', async () => {
    const called: string[] = [];
    const handlers = {
      act: (action: string, id: string) => {
        called.push(`${action} ${id}`);
        return [];
      },
    } as unknown as IpcHandlers;
    expect(await dispatchIpc(handlers, 'act', ['start', 'db'])).toEqual({ ok: [] });
    expect(await dispatchIpc(handlers, 'act', ['nuke', 'db'])).toMatchObject({ error: { status: 400 } });
    expect(called).toEqual(['start db']);
  });
});

describe('isTrustedSender', () => {
  const page = path.join(root, 'renderer', 'dist', 'index.html');
  const pageUrl = pathToFileURL(page).href;
  const facts = { senderId: 3, windowId: 3, frameUrl: `${pageUrl}#/service/db`, pageFile: page };

  it('trusts our window showing our page', () => {
    expect(isTrustedSender(facts)).toBe(true);
    expect(isTrustedSender({ ...facts, frameUrl: pageUrl })).toBe(true);
  });

  it('refuses other webContents, no window, a gone frame, other origins and other files', () => {
    expect(isTrustedSender({ ...facts, senderId: 4 })).toBe(false);
    expect(isTrustedSender({ ...facts, windowId: null })).toBe(false);
    expect(isTrustedSender({ ...facts, frameUrl: null })).toBe(false);
    expect(isTrustedSender({ ...facts, frameUrl: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender({ ...facts, frameUrl: 'http://127.0.0.1:8780/' })).toBe(false);
    expect(isTrustedSender({ ...facts, frameUrl: pathToFileURL(path.join(root, 'other.html')).href })).toBe(false);
    expect(isTrustedSender({ ...facts, frameUrl: 'not a url' })).toBe(false);
  });
});
