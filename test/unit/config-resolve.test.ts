import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfigPath, resolveHyphaHome, userConfigPath } from '../../main/core/config/resolve.js';

const root = mkdtempSync(join(tmpdir(), 'hypha-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveConfigPath', () => {
  let n = 0;
  let cwd: string;
  let home: string;
  let xdg: string;

  beforeEach(() => {
    const base = join(root, `case-${n++}`);
    cwd = join(base, 'project');
    home = join(base, 'home');
    xdg = join(base, 'xdg');
    for (const d of [cwd, home, xdg]) mkdirSync(d, { recursive: true });
  });

  const put = (file: string): string => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'services: {}\n');
    return file;
  };

  it('follows -c > $HYPHA_CONFIG > ./hypha.yaml > $XDG_CONFIG_HOME > built-in', () => {
    const flag = put(join(cwd, 'flag.yaml'));
    const fromEnv = put(join(cwd, 'env.yaml'));
    const local = put(join(cwd, 'hypha.yaml'));
    const user = put(join(xdg, 'hypha', 'hypha.yaml'));
    const env = { HYPHA_CONFIG: fromEnv, XDG_CONFIG_HOME: xdg };
    const opts = { cwd, home, platform: 'linux' as const };
    expect(resolveConfigPath({ ...opts, env, flag })).toBe(flag);
    expect(resolveConfigPath({ ...opts, env })).toBe(fromEnv);
    expect(resolveConfigPath({ ...opts, env: { XDG_CONFIG_HOME: xdg } })).toBe(local);
    rmSync(local);
    expect(resolveConfigPath({ ...opts, env: { XDG_CONFIG_HOME: xdg } })).toBe(user);
    rmSync(user);
    expect(resolveConfigPath({ ...opts, env: { XDG_CONFIG_HOME: xdg } })).toBeNull();
  });

  it('returns -c and $HYPHA_CONFIG files even when missing, resolved against cwd', () => {
    put(join(cwd, 'hypha.yaml'));
    expect(resolveConfigPath({ cwd, home, env: {}, flag: 'nope.yaml' })).toBe(join(cwd, 'nope.yaml'));
    expect(resolveConfigPath({ cwd, home, env: { HYPHA_CONFIG: '../gone.yaml' } })).toBe(join(cwd, '..', 'gone.yaml'));
  });

  it('an empty $HYPHA_CONFIG is as if unset', () => {
    const local = put(join(cwd, 'hypha.yaml'));
    expect(resolveConfigPath({ cwd, home, env: { HYPHA_CONFIG: '' } })).toBe(local);
  });

  it('accepts hypha.yml beside hypha.yaml (hypha.yaml first), here and in the user folder (issue 15)', () => {
    const yml = put(join(cwd, 'hypha.yml'));
    const opts = { cwd, home, env: { XDG_CONFIG_HOME: xdg }, platform: 'linux' as const };
    expect(resolveConfigPath(opts)).toBe(yml);
    const yaml = put(join(cwd, 'hypha.yaml'));
    expect(resolveConfigPath(opts)).toBe(yaml);
    rmSync(yaml);
    rmSync(yml);
    const userYml = put(join(xdg, 'hypha', 'hypha.yml'));
    expect(resolveConfigPath(opts)).toBe(userYml);
  });

  it('a folder named hypha.yaml is not a config file', () => {
    mkdirSync(join(cwd, 'hypha.yaml'));
    expect(resolveConfigPath({ cwd, home, env: { XDG_CONFIG_HOME: xdg }, platform: 'linux' })).toBeNull();
  });

  it('defaults to ~/.config/hypha/hypha.yaml without $XDG_CONFIG_HOME', () => {
    const user = put(join(home, '.config', 'hypha', 'hypha.yaml'));
    expect(resolveConfigPath({ cwd, home, env: {}, platform: 'linux' })).toBe(user);
    expect(resolveConfigPath({ cwd, home, env: { XDG_CONFIG_HOME: 'relative/ignored' }, platform: 'linux' })).toBe(user);
  });

  it('uses ~/Library/Application Support/Hypha on macOS', () => {
    const user = put(join(home, 'Library', 'Application Support', 'Hypha', 'hypha.yaml'));
    expect(resolveConfigPath({ cwd, home, env: {}, platform: 'darwin' })).toBe(user);
  });
});

describe('userConfigPath', () => {
  it('per platform', () => {
    expect(userConfigPath({}, 'linux', '/home/u')).toBe('/home/u/.config/hypha/hypha.yaml');
    expect(userConfigPath({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/hypha/hypha.yaml');
    expect(userConfigPath({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Hypha/hypha.yaml');
    expect(userConfigPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Hypha\\hypha.yaml',
    );
    expect(userConfigPath({}, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Hypha\\hypha.yaml');
  });
});

describe('resolveHyphaHome', () => {
  it('$HYPHA_HOME > $XDG_STATE_HOME/hypha > platform default', () => {
    expect(resolveHyphaHome({ HYPHA_HOME: '/srv/hypha', XDG_STATE_HOME: '/s' }, 'linux', '/home/u')).toBe('/srv/hypha');
    expect(resolveHyphaHome({ XDG_STATE_HOME: '/s' }, 'linux', '/home/u')).toBe('/s/hypha');
    expect(resolveHyphaHome({ XDG_STATE_HOME: 'rel' }, 'linux', '/home/u')).toBe('/home/u/.local/state/hypha');
    expect(resolveHyphaHome({}, 'linux', '/home/u')).toBe('/home/u/.local/state/hypha');
    expect(resolveHyphaHome({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Hypha');
    expect(resolveHyphaHome({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Hypha',
    );
  });

  it('defaults to this process', () => {
    expect(resolveHyphaHome({ HYPHA_HOME: '/tmp/h' })).toBe('/tmp/h');
    expect(typeof resolveHyphaHome()).toBe('string');
  });
});
