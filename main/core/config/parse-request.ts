// One config parse as plain data in and out: the text of a file (read by the caller) or "the
// built-in config", with the active profile → a LoadResult. The daemon runs it in a short child
// process (child.ts, host/config-loader.ts), or in its own thread where that child is not built.
import { builtInConfig } from './default.js';
import { parseConfigText } from './load.js';
import type { LoadResult } from '../../contract/config.js';

/** What to parse, with the active profile: a file's text (read by the daemon), or the built-in demo. */
export type ParseRequest =
  | { kind: 'text'; file: string; text: string; profile: string | null }
  | { kind: 'builtin'; profile: string | null };

export function parseRequest(req: ParseRequest): LoadResult {
  return req.kind === 'builtin' ? { ok: true, config: builtInConfig(req.profile) } : parseConfigText(req.text, req.file, { profile: req.profile });
}
