import { describe, expect, it } from 'vitest';
import { parseSignal } from '../../main/core/reload/signal.js';
import { parseConfigText } from '../../main/core/config/load.js';

describe('parseSignal', () => {
  it('takes names with or without SIG, any case', () => {
    expect(parseSignal('HUP')).toEqual({ ok: true, signal: 'SIGHUP' });
    expect(parseSignal('sigusr1')).toEqual({ ok: true, signal: 'SIGUSR1' });
    expect(parseSignal(' SIGTERM ')).toEqual({ ok: true, signal: 'SIGTERM' });
  });
  it('refuses numbers, junk and non-strings', () => {
    expect(parseSignal('9').ok).toBe(false);
    expect(parseSignal('NOPE')).toEqual({ ok: false, error: 'unknown signal "NOPE" (use e.g. HUP, USR1, TERM)' });
    expect(parseSignal(1).ok).toBe(false);
  });
});

describe('reload: in hypha.yaml', () => {
  it('normalizes the command (with ${VAR}) and the timeout', () => {
    const r = parseConfigText('services:\n  web:\n    command: x\n    reload: { command: "nginx -s reload -p ${HOME_DIR:-/srv}", timeout: 5s }\n', '/cfg/hypha.yaml');
    expect(r.ok && r.config.services[0]?.reload).toEqual({ command: 'nginx -s reload -p /srv', timeoutMs: 5000 });
  });
  it('reports mistakes at file:line:col', () => {
    const r = parseConfigText('services:\n  web:\n    command: x\n    reload:\n      comand: x\n', '/cfg/hypha.yaml');
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '4:5: services.web.reload.command: required',
      '5:7: services.web.reload.comand: unknown key (did you mean "command"?)',
    ]);
  });
});
