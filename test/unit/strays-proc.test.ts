// What /proc adds about a stray: the Hypha variables of its environment (read from a real
// process) and the systemd unit of its cgroup.
import { afterEach, describe, expect, it } from 'vitest';
import { hyphaEnvOf, parseHyphaEnv, unitInCgroup } from '../../main/core/strays/proc.js';
import { fixtureReaper, spawnFixture } from '../helpers/index.js';

afterEach(() => fixtureReaper.reapAll());

describe('parseHyphaEnv', () => {
  it('picks the three variables and nothing that merely contains their names', () => {
    const raw = ['PATH=/bin', 'HYPHA_SERVICE=web', 'HYPHA_HOME=/tmp/h', 'HYPHA_RUN=abc', 'XHYPHA_HOME=/nope', ''].join('\0');
    expect(parseHyphaEnv(raw)).toEqual({ service: 'web', home: '/tmp/h', run: 'abc' });
    expect(parseHyphaEnv('PATH=/bin\0HOME=/root\0')).toEqual({ service: null, home: null, run: null });
  });
});

describe('unitInCgroup', () => {
  it('names a service unit, not the user manager, a scope or the root', () => {
    expect(unitInCgroup('0::/user.slice/user-1000.slice/user@1000.service/app.slice/sync.service\n')).toBe('sync.service');
    expect(unitInCgroup('0::/system.slice/cron.service\n')).toBe('cron.service');
    expect(unitInCgroup('0::/user.slice/user-1000.slice/user@1000.service\n')).toBeNull();
    expect(unitInCgroup('0::/user.slice/user-1000.slice/session-2.scope\n')).toBeNull();
    expect(unitInCgroup('0::/\n')).toBeNull();
    expect(unitInCgroup('12:pids:/\n1:name=systemd:/system.slice/backup.service\n')).toBe('backup.service');
  });
});

describe.runIf(process.platform === 'linux')('hyphaEnvOf', () => {
  it('reads the variables of a live process, and null once it is gone', async () => {
    const f = spawnFixture('stray-copy.sh', { HYPHA_SERVICE: 'web', HYPHA_HOME: '/tmp/other-hypha', HYPHA_RUN: 'mark-1' });
    await f.ready();
    expect(hyphaEnvOf(f.pid)).toEqual({ service: 'web', home: '/tmp/other-hypha', run: 'mark-1' });
    process.kill(-f.pid, 'SIGKILL'); // its group: the shell and its sleeping child
    await f.exited;
    expect(hyphaEnvOf(f.pid)).toBeNull();
  });
});
