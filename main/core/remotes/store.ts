// The list of remotes on disk: $HYPHA_HOME/remotes.json, mode 0600, always replaced whole through
// an atomic rename (a crash mid-write leaves the old list, never half a file). Each token is kept
// through a SecretBox: the desktop app seals it with the OS keychain (Electron safeStorage), the
// headless daemon keeps it as is — the file's 0600 is then what guards it. An entry records which
// box sealed it, so a token sealed by the keychain is never mistaken for a plain one.
import fs from 'node:fs';
import path from 'node:path';
import { RemoteError, type SecretBox } from '../../contract/remotes.js';
import { setAside, writeAtomic } from '../instance/files.js';
import { checkName, checkPort, checkUrl } from './validate.js';

export const REMOTES_FILE = 'remotes.json';

export function remotesFile(home: string): string {
  return path.join(home, REMOTES_FILE);
}

/** One line of the file. */
interface StoredRemote {
  name: string;
  url: string;
  remotePort: number | null;
  box: SecretBox['kind'];
  token: string;
}

/** A remote with its token opened, or the reason it cannot be opened here. */
export interface RemoteEntry {
  name: string;
  url: string;
  remotePort: number | null;
  token: string | null;
  tokenError: string | null;
}

/** The plain box: the token as is, guarded by the file's 0600. */
export const plainBox: SecretBox = {
  kind: 'plain',
  seal: (token) => token,
  open: (sealed) => sealed,
};

export class RemoteStore {
  private entries: StoredRemote[] = [];
  /** Said once at load: a file that could not be read was moved aside. */
  readonly notes: string[] = [];

  constructor(
    readonly file: string,
    private readonly box: SecretBox = plainBox,
  ) {
    this.load();
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  list(): RemoteEntry[] {
    return this.entries.map((e) => this.opened(e));
  }

  find(name: string): RemoteEntry {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new RemoteError(`no remote named "${name}" (hypha remote list shows them)`, 404);
    return this.opened(e);
  }

  /** With `replace`, a remote of the same name is replaced in place (same position). */
  add(remote: { name: string; url: string; token: string; remotePort: number | null }, replace = false): void {
    checkName(remote.name, replace ? [] : this.names());
    const entry: StoredRemote = { name: remote.name, url: remote.url, remotePort: remote.remotePort, box: this.box.kind, token: this.box.seal(remote.token) };
    const at = this.entries.findIndex((e) => e.name === remote.name);
    const next = at >= 0 ? this.entries.map((e, i) => (i === at ? entry : e)) : [...this.entries, entry];
    this.save(next);
  }

  remove(name: string): void {
    this.find(name);
    this.save(this.entries.filter((e) => e.name !== name));
  }

  private opened(e: StoredRemote): RemoteEntry {
    const base = { name: e.name, url: e.url, remotePort: e.remotePort };
    if (e.box !== this.box.kind) {
      const where = e.box === 'safeStorage' ? "the desktop app's keychain" : 'a plain file';
      return { ...base, token: null, tokenError: `its token was kept by ${where} and cannot be read by this ${this.box.kind === 'safeStorage' ? 'desktop app' : 'daemon'}; remove it and add it again here` };
    }
    try {
      return { ...base, token: this.box.open(e.token), tokenError: null };
    } catch (err) {
      return { ...base, token: null, tokenError: `its token cannot be opened (${(err as Error).message}); remove it and add it again` };
    }
  }

  private save(next: StoredRemote[]): void {
    writeAtomic(this.file, `${JSON.stringify({ remotes: next }, null, 2)}\n`);
    this.entries = next;
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.notes.push(`cannot read ${this.file}: ${(err as Error).message}; no remotes loaded`);
      return;
    }
    try {
      const parsed = JSON.parse(text) as { remotes?: unknown };
      if (!Array.isArray(parsed.remotes)) throw new Error('no "remotes" list');
      const seen: string[] = [];
      for (const raw of parsed.remotes as Partial<StoredRemote>[]) {
        const name = checkName(raw.name, seen);
        seen.push(name);
        const { url } = checkUrl(raw.url);
        if ((raw.box !== 'plain' && raw.box !== 'safeStorage') || typeof raw.token !== 'string') throw new Error(`remote "${name}" has no token`);
        this.entries.push({ name, url, remotePort: checkPort(raw.remotePort), box: raw.box, token: raw.token });
      }
    } catch (err) {
      this.entries = [];
      const aside = setAside(this.file);
      this.notes.push(`${this.file} is damaged (${(err as Error).message}); moved it to ${aside ?? '(could not move it)'} and started with no remotes`);
    }
  }
}
