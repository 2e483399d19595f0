// Issue 18 item 3: reloads are serialised. With a service slow to stop, a config saved and
// reloaded while the previous reload is still stopping it must win: 20 of 20 rounds end with the
// last file's service set running, and each reload's answer says what that reload did. /proc
// (the running service's environment) is the witness.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

function config(mark: string, extra: string): string {
  return `api: { port: 0 }
services:
  slow:
    command: "trap 'sleep 1; exit 0' TERM; echo armed; while :; do sleep 0.1; done"
    env: { MARK: "${mark}" }
    readiness: { log_line: "^armed$" }
    stop: { timeout: 10s }
  ${extra}:
    command: "exec sleep 300"
`;
}

function markOf(pid: number): string | null {
  const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  return env.find((kv) => kv.startsWith('MARK='))?.slice(5) ?? null;
}

describe('hardening: reloads', () => {
  it('two quick reloads with a service slow to stop: the last saved file wins, 20 of 20 rounds', async () => {
    const d = await startDaemon(config('A', 'first'));
    daemons.push(d);
    // Online only once its trap is set: a stop before that would end it at once, with no
    // `stopping` for the test to see (the stop notices an exit within a millisecond).
    const armed = (s: { state: string; status: string }): boolean => s.state === 'running' && s.status === 'online';
    await d.waitFor('slow', armed, 'running with its trap set');
    const failures: string[] = [];
    let prev = 'first';
    for (let round = 0; round < 20; round++) {
      const b = `b${round}`;
      const c = `c${round}`;
      writeFileSync(d.configFile, config(`B${round}`, b));
      const first = d.api<{ added: string[]; removed: string[]; changed: string[] }>('POST', '/api/reload');
      // The first reload is busy stopping the slow service when the second file is saved.
      await d.waitFor('slow', (s) => s.state === 'stopping', 'stopping');
      writeFileSync(d.configFile, config(`C${round}`, c));
      const second = await d.api<{ added: string[]; removed: string[]; changed: string[] }>('POST', '/api/reload');
      const firstAnswer = await first;
      // The file watcher reloads too (each save), so an API reload may find its work done already:
      // then it says so (nothing changed) rather than claiming what another reload did.
      const none: { added: string[]; removed: string[]; changed: string[] } = { added: [], removed: [], changed: [] };
      // Only what the reload did counts here; `previous` (what the watcher applied before) may come along.
      const did = (x: { added: string[]; removed: string[]; changed: string[] }): typeof none => ({ added: x.added, removed: x.removed, changed: x.changed });
      expect([none, { added: [b], removed: [prev], changed: ['slow'] }]).toContainEqual(did(firstAnswer.body));
      const slow = await d.waitFor('slow', armed, 'running again with its trap set');
      const ids = (await d.list()).map((s) => s.id).sort();
      const mark = markOf(slow.pid as number);
      if (mark !== `C${round}` || ids.join() !== [c, 'slow'].sort().join()) failures.push(`round ${round}: MARK=${mark}, services ${ids.join()}`);
      // The second answer tells what it did: it replaced b with c and restarted slow again.
      expect([none, { added: [c], removed: [b], changed: ['slow'] }, { added: [c], removed: [prev], changed: ['slow'] }]).toContainEqual(did(second.body));
      await d.waitFor(c, (s) => s.state === 'running', `${c} running`);
      prev = c;
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
