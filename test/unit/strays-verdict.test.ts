// A stray's verdict is one line a person can act on: who spawned it, past `sh -c` wrappers; an
// orphan; another Hypha's child; a systemd unit; and, for copies that keep coming back, the source.
import { describe, expect, it } from 'vitest';
import { processName, respawnVerdict, spawnVerdict, spawner, type VerdictInput } from '../../main/core/strays/verdict.js';

const init = { pid: 1, command: '/sbin/init splash' };
const cron = { pid: 812, command: '/usr/sbin/cron -f' };

function verdict(over: Partial<VerdictInput>): string {
  return spawnVerdict({ ancestry: [], env: null, home: '/home/u/.local/state/hypha', unit: null, platform: 'linux', ...over });
}

describe('processName', () => {
  it('names programs by their executable and scripts by the script', () => {
    expect(processName('/usr/sbin/cron -f')).toBe('cron');
    expect(processName('/bin/sh /work/test/fixtures/cron-loop.sh')).toBe('cron-loop.sh');
    expect(processName('node --enable-source-maps /srv/app/server.mjs --port 80')).toBe('server.mjs');
    expect(processName('python3.12 -u run.py')).toBe('run.py');
    expect(processName('-bash')).toBe('bash');
    expect(processName('/bin/sh -c python run.py')).toBe('sh -c "python run.py"');
    expect(processName('C:\\Tools\\agent.exe --x')).toBe('agent');
  });
});

describe('spawnVerdict', () => {
  it('names the spawner past a `sh -c` wrapper, then shows the wrapper', () => {
    const ancestry = [{ pid: 900, command: '/bin/sh -c python run.py' }, cron, init];
    expect(verdict({ ancestry })).toBe('spawned by cron (pid 812) → /bin/sh -c python run.py');
  });

  it('names a looping script by its file', () => {
    const ancestry = [{ pid: 4567, command: '/bin/sh /tmp/cron-loop.sh' }, { pid: 300, command: 'bash' }, init];
    expect(verdict({ ancestry })).toBe('spawned by cron-loop.sh (pid 4567)');
  });

  it('calls a child of init or a reaper orphaned', () => {
    expect(verdict({ ancestry: [init] })).toBe('parent gone (orphaned)');
    expect(verdict({ ancestry: [{ pid: 1500, command: '/lib/systemd/systemd --user' }, init] })).toBe('parent gone (orphaned)');
    expect(verdict({ ancestry: [{ pid: 77, command: 'sh -c node x.mjs' }, init] })).toBe(
      'spawned by sh -c node x.mjs, whose parent is gone (orphaned)',
    );
  });

  it('names the systemd unit a reaped child runs in, and launchd on macOS', () => {
    expect(verdict({ ancestry: [init], unit: 'backup.service' })).toBe('started by systemd unit backup.service');
    expect(verdict({ ancestry: [init], platform: 'darwin' })).toBe('started by launchd (a launch agent, or its parent is gone)');
  });

  it('tells a child of another Hypha by its HYPHA_HOME, and not one of ours', () => {
    const env = { service: 'web', home: '/tmp/other-home', run: 'abc' };
    expect(verdict({ ancestry: [init], env })).toBe('started by another Hypha (HYPHA_HOME /tmp/other-home, service web)');
    // A shell that merely has HYPHA_HOME set (no HYPHA_SERVICE) is no Hypha child.
    expect(verdict({ ancestry: [cron, init], env: { service: null, home: '/tmp/x', run: null } })).toBe('spawned by cron (pid 812)');
  });

  it('finds the source through several wrappers', () => {
    const ancestry = [{ pid: 3, command: 'timeout 60 python job.py' }, { pid: 2, command: 'bash -c timeout 60 python job.py' }, cron, init];
    expect(spawner(ancestry).source).toEqual(cron);
    expect(verdict({ ancestry })).toBe('spawned by cron (pid 812) → bash -c timeout 60 python job.py → timeout 60 python job.py');
  });
});

describe('respawnVerdict', () => {
  it('names the source and what to do about it', () => {
    expect(respawnVerdict({ pid: 4567, command: '/bin/sh ./cron-loop.sh' }, null)).toBe(
      'respawning: new copies keep appearing, spawned by cron-loop.sh (pid 4567) — disable that script or cron job',
    );
    expect(respawnVerdict(cron, null)).toContain('disable that cron job');
    expect(respawnVerdict(null, 'sync.service')).toBe('respawning: new copies keep appearing, started by systemd unit sync.service — stop and disable sync.service');
    expect(respawnVerdict(null, null)).toMatch(/their parents are gone — look for a cron job, a systemd timer or a script/);
  });
});
