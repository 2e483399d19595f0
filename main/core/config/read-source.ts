// Reading a config file's text, with the errors a user can act on (no such file, permission
// denied, too large …) at the file's first line. Apart from load.ts, which parses the text with
// yaml and zod, so that the daemon can read the file itself, at the moment a reload's turn comes,
// and hand only the text to the short child process that parses it (host/config-loader.ts).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigError } from '../../contract/config.js';

/** A config this big is not a config; refusing it keeps a stray `-c` on a huge file cheap. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

export type ConfigSource = { ok: true; file: string; text: string } | { ok: false; error: ConfigError };

/** `path` resolved against the working directory; the text, or why it cannot be read. */
export function readConfigSource(path: string): ConfigSource {
  const file = resolve(path);
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return atStart(file, 'cannot read config file: it is a directory');
    if (stat.size > MAX_CONFIG_BYTES) return atStart(file, `cannot read config file: too large (${stat.size} bytes)`);
    return { ok: true, file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = errorCode(e);
    const why = code && READ_ERRORS[code] ? `${READ_ERRORS[code]} (${code})` : (code ?? String(e));
    return atStart(file, `cannot read config file: ${why}`);
  }
}

function atStart(file: string, message: string): ConfigSource {
  return { ok: false, error: { file, line: 1, col: 1, message } };
}

function errorCode(e: unknown): string | null {
  if (e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return null;
}
