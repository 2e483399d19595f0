import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePasswd, runAs } from '../../main/core/users/account.js';
import { parseConfigText } from '../../main/core/config/load.js';

const PASSWD = ['root:x:0:0:root:/root:/bin/bash', '# comment', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin', 'broken:line', ''].join('\n');

describe('user: accounts', () => {
  it('finds an account by name or uid', () => {
    expect(parsePasswd(PASSWD, 'nobody')).toEqual({ name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', shell: '/usr/sbin/nologin' });
    expect(parsePasswd(PASSWD, '0')?.name).toBe('root');
    expect(parsePasswd(PASSWD, 'ghost')).toBeNull();
  });

  it('changes uid only as root, and says why not otherwise', () => {
    expect(runAs(null, 1000)).toEqual({ ok: true, runAs: { env: {} } });
    const asRoot = runAs('root', 0);
    expect(asRoot).toEqual({ ok: true, runAs: { env: { HOME: '/root', USER: 'root', LOGNAME: 'root' } } });
    const nobody = runAs('nobody', 0);
    expect(nobody.ok && nobody.runAs.uid).toBe(parsePasswdUid('nobody'));
    expect(runAs('nobody', 1000)).toEqual({
      ok: false,
      error: 'user nobody: Hypha must run as root to start a service as another user (it runs as uid 1000)',
    });
    expect(runAs('no-such-user-here', 0)).toEqual({ ok: false, error: 'user no-such-user-here: no such user in /etc/passwd' });
    expect(runAs('nobody', null).ok).toBe(false);
  });

  it('shell and user are validated with file:line:col', () => {
    const r = parseConfigText('services:\n  web:\n    command: x\n    shell: ""\n    user: 7\n', '/cfg/hypha.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '4:12: services.web.shell: shell must not be empty',
      '5:11: services.web.user: expected a string, got a number (7)',
    ]);
    const ok = parseConfigText('services:\n  web:\n    command: x\n    shell: /bin/bash\n    user: nobody\n', '/cfg/hypha.yaml');
    expect(ok.ok && ok.config.services[0]).toMatchObject({ shell: '/bin/bash', user: 'nobody' });
  });
});

function parsePasswdUid(name: string): number | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l: string) => l.startsWith(`${name}:`));
  return line ? Number(line.split(':')[2]) : undefined;
}
