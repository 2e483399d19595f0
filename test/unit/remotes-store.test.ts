// The remotes list on disk: 0600, replaced whole (no temp file left behind, a damaged file set
// aside), tokens kept through the secret box with the box's kind recorded, and every field of a
// remote checked with a message a person can act on.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError, type SecretBox } from '../../main/contract/remotes.js';
import { plainBox, RemoteStore, remotesFile } from '../../main/core/remotes/store.js';
import { checkRemoteInput, checkUrl, isLoopbackHost } from '../../main/core/remotes/validate.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterEach(() => removeTempDirs());

const remote = (name: string, token = 'tok-1') => ({ name, url: 'http://127.0.0.1:18765', token, remotePort: 8780 });

/** A stand-in keychain: reversible, and visibly not the plain token. */
const reversingBox: SecretBox = {
  kind: 'safeStorage',
  seal: (t) => Buffer.from([...t].reverse().join('')).toString('base64'),
  open: (s) => [...Buffer.from(s, 'base64').toString()].reverse().join(''),
};

describe('RemoteStore', () => {
  it('writes remotes.json with mode 0600 and reads it back', () => {
    const file = remotesFile(tempDir());
    const store = new RemoteStore(file);
    store.add(remote('server'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = new RemoteStore(file);
    expect(again.list()).toEqual([{ name: 'server', url: 'http://127.0.0.1:18765', remotePort: 8780, token: 'tok-1', tokenError: null }]);
  });

  it('replaces the file whole through a rename: the inode changes, no temp file is left', () => {
    const dir = tempDir();
    const file = remotesFile(dir);
    const store = new RemoteStore(file);
    store.add(remote('a'));
    const before = fs.statSync(file).ino;
    store.add(remote('b'));
    expect(fs.statSync(file).ino).not.toBe(before);
    store.remove('a');
    expect(fs.readdirSync(dir)).toEqual(['remotes.json']);
    expect(new RemoteStore(file).names()).toEqual(['b']);
  });

  it('keeps a 0600 mode even when the file was widened by hand before the next write', () => {
    const file = remotesFile(tempDir());
    const store = new RemoteStore(file);
    store.add(remote('a'));
    fs.chmodSync(file, 0o644);
    store.add(remote('b'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('seals tokens with the box, records which box, and a plain daemon says it cannot open them', () => {
    const file = remotesFile(tempDir());
    new RemoteStore(file, reversingBox).add(remote('server', 'secret-token'));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('secret-token');
    expect(JSON.parse(text).remotes[0].box).toBe('safeStorage');
    expect(new RemoteStore(file, reversingBox).find('server').token).toBe('secret-token');
    const plain = new RemoteStore(file, plainBox).find('server');
    expect(plain.token).toBeNull();
    expect(plain.tokenError).toMatch(/kept by the desktop app's keychain .* remove it and add it again/);
  });

  it('refuses a second remote of the same name (409) and an unknown name on remove (404)', () => {
    const store = new RemoteStore(remotesFile(tempDir()));
    store.add(remote('server'));
    expect(() => store.add(remote('server'))).toThrow(expect.objectContaining({ status: 409, message: expect.stringMatching(/exists already/) }));
    expect(() => store.remove('nope')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('replaces a remote of the same name in place when asked (a new token after its daemon restarted)', () => {
    const file = remotesFile(tempDir());
    const store = new RemoteStore(file);
    store.add(remote('a', 'old'));
    store.add(remote('b'));
    store.add(remote('a', 'new'), true);
    expect(new RemoteStore(file).list().map((r) => [r.name, r.token])).toEqual([['a', 'new'], ['b', 'tok-1']]);
  });

  it('moves a damaged file aside and starts empty, saying so', () => {
    const dir = tempDir();
    const file = remotesFile(dir);
    fs.writeFileSync(file, '{"remotes": [', { mode: 0o600 });
    const store = new RemoteStore(file);
    expect(store.names()).toEqual([]);
    expect(store.notes[0]).toMatch(/is damaged .* moved it to .*remotes\.json\.bad-/);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('remotes.json.bad-'))).toBe(true);
  });
});

describe('checking what a person typed', () => {
  const err = (fn: () => unknown): RemoteError => {
    try {
      fn();
    } catch (e) {
      return e as RemoteError;
    }
    throw new Error('did not throw');
  };

  it('accepts a tunnel URL and keeps only its origin', () => {
    expect(checkRemoteInput({ name: 'server-2', url: 'http://127.0.0.1:18765/', token: ' abc ' }, [])).toEqual({
      name: 'server-2',
      url: 'http://127.0.0.1:18765',
      token: 'abc',
      remotePort: null,
      replace: false,
    });
    expect(checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1', token: 't', replace: true }, ['a']).replace).toBe(true);
  });

  it('refuses bad names, schemes, paths, credentials, tokens and ports with a 400 that says what to give', () => {
    expect(err(() => checkRemoteInput({ name: 'Server', url: 'http://127.0.0.1:1', token: 't' }, [])).message).toMatch(/invalid remote name "Server": use 1–32 of a-z, 0-9 and -/);
    expect(err(() => checkRemoteInput({ name: 'x'.repeat(33), url: 'http://127.0.0.1:1', token: 't' }, [])).status).toBe(400);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'ftp://127.0.0.1:1', token: 't' }, [])).message).toMatch(/only http:\/\/ and https:\/\//);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'file:///etc/passwd', token: 't' }, [])).message).toMatch(/only http/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1/#token=x', token: 't' }, [])).message).toMatch(/only the origin/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://u:p@127.0.0.1:1', token: 't' }, [])).message).toMatch(/no user or password/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'not a url', token: 't' }, [])).message).toMatch(/not a URL/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1', token: '' }, [])).message).toMatch(/daemon.json/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1', token: 'a b' }, [])).message).toMatch(/spaces/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1', token: 't', remotePort: 70000 }, [])).message).toMatch(/invalid remote port/);
    expect(err(() => checkRemoteInput({ name: 'a', url: 'http://127.0.0.1:1', token: 't' }, ['a'])).status).toBe(409);
    expect(err(() => checkRemoteInput(null, [])).status).toBe(400);
  });

  it('warns when plain http leaves this machine, and not for loopback or https', () => {
    expect(checkUrl('http://127.0.0.1:18765').warning).toBeUndefined();
    expect(checkUrl('http://localhost:18765').warning).toBeUndefined();
    expect(checkUrl('http://[::1]:18765').warning).toBeUndefined();
    expect(checkUrl('https://hypha.example.org').warning).toBeUndefined();
    expect(checkUrl('http://192.168.1.20:8780').warning).toMatch(/unencrypted; prefer an ssh tunnel/);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.evil.com')).toBe(false);
  });
});

it('keeps the file next to the other HYPHA_HOME files', () => {
  expect(remotesFile('/h')).toBe(path.join('/h', 'remotes.json'));
});
