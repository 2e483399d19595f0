// Issue 13 item 8: `user:` runs a service as another account (Hypha as root), `shell:` picks the
// shell for string commands. The witness is /proc: the process's Uid line and its argv.
import { chmodSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { startDaemon, useDaemons } from '../helpers/daemon.js';
import { lookupAccount } from '../../main/core/users/account.js';

const daemons = useDaemons();
const isRoot = process.getuid?.() === 0;
const nobody = lookupAccount('nobody');

function uidOf(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:')) ?? '';
  return line.split(/\s+/).slice(1).filter(Boolean).map(Number);
}

function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

describe.skipIf(process.platform !== 'linux')('user: and shell:', () => {
  it.skipIf(!isRoot || !nobody.ok)('user: nobody runs the service with nobody\'s uid and HOME, and stop leaves nothing', async () => {
    const dir = tempDir('hypha-user-');
    chmodSync(dir, 0o755); // nobody must be able to enter its working folder
    const d = await startDaemon(`api: { port: 0 }\nservices:\n  low:\n    user: nobody\n    command: ["sleep", "1000"]\n`, { dir });
    daemons.push(d);
    const s = await d.waitFor('low', (x) => x.state === 'running' && x.pid !== null, 'running');
    const uid = nobody.ok ? nobody.account.uid : -1;
    expect(uidOf(s.pid as number)).toEqual([uid, uid, uid, uid]);
    expect(environOf(s.pid as number)).toContain(`HOME=${nobody.ok ? nobody.account.home : ''}`);
    expect(environOf(s.pid as number)).toContain('USER=nobody');
    // Where Hypha contains by cgroup, the user's process is inside its run's cgroup too (it joins
    // while still root, then drops to the account), and status says so truthfully.
    const where = readFileSync(`/proc/${s.pid}/cgroup`, 'utf8');
    if (s.containment === 'cgroup') expect(where).toMatch(/\/hypha\.[^/\n]+\/low\./);
    else expect(where).not.toMatch(/\/hypha\./);
    await d.api('POST', '/api/services/low/stop');
    await d.waitFor('low', (x) => x.state === 'stopped', 'stopped');
    expect(() => readFileSync(`/proc/${s.pid}/status`)).toThrow();
  });

  it('an unknown user fails the start with a clear lastError', async () => {
    const d = await startDaemon(`api: { port: 0 }\nservices:\n  ghost:\n    user: no-such-user-hypha\n    command: ["sleep", "1000"]\n`);
    daemons.push(d);
    const s = await d.waitFor('ghost', (x) => x.state === 'failed', 'failed');
    expect(s.lastError).toBe('user no-such-user-hypha: no such user in /etc/passwd');
  });

  it('shell: /bin/bash runs a string command with bash (arrays and $RANDOM work)', async () => {
    const d = await startDaemon(
      `api: { port: 0 }\nservices:\n  b:\n    shell: /bin/bash\n    command: 'a=(x y z); echo "n=$\${#a[@]} r=$RANDOM shell=$BASH_VERSION"; exec sleep 1000'\n`,
    );
    daemons.push(d);
    await d.waitFor('b', (x) => x.state === 'running', 'running');
    const lines = await waitFor(async () => {
      const r = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/b/logs?lines=20');
      return r.body.lines.find((l) => l.text.startsWith('n='))?.text;
    }, { message: 'the bash line in the log' });
    expect(lines).toMatch(/^n=3 r=\d+ shell=\d/);
  });

  it('a missing shell fails the start', async () => {
    const d = await startDaemon(`api: { port: 0 }\nservices:\n  b:\n    shell: /no/such/shell\n    command: echo hi\n`);
    daemons.push(d);
    const s = await d.waitFor('b', (x) => x.state === 'failed', 'failed');
    expect(s.lastError).toBe('shell not found: /no/such/shell');
  });
});
