// How the daemon reads its config, at start and on every reload. The file is read here, at the
// moment the reload's turn comes (core/config/read-source.ts, no yaml or zod), and its text is
// parsed, validated and normalised in a short child process (core/config/child.ts) that answers a
// LoadResult as plain data and exits: yaml, zod and the schema never stay in the daemon's heap
// (~24 MB of RSS for its whole life, measured; issue 16). Where that entry file is not beside this
// one (the Electron app's single bundle, or tests running the TypeScript sources), or the child
// cannot answer, the text is parsed here with the same code: the answer, errors included, is the
// same either way.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigError, LoadResult } from '../contract/config.js';
import type { ParseRequest } from '../core/config/parse-request.js';
import { readConfigSource } from '../core/config/read-source.js';

/** A parse that takes this long is stuck; say so rather than hold every later reload. */
const CHILD_DEADLINE_MS = 60_000;

/** How long an empty config file is given to be written before it is believed. */
const EMPTY_REREAD_MS = 200;

/** What to read: a config file, or (null) the built-in demo config; with the active profile. */
export interface ConfigRequest {
  file: string | null;
  profile: string | null;
}

export type ConfigReader = (req: ConfigRequest) => Promise<LoadResult>;

/** The child's entry in the built tree (dist/main/core/config/child.js), or null when absent. */
export function childEntry(): string | null {
  // path.join, not `new URL(…, import.meta.url)`: the app's bundler would try to bundle that.
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'core', 'config', 'child.js');
  return existsSync(file) ? file : null;
}

/** Reads the config; parses it in a child process where it can, else in this thread. */
export async function readConfig(req: ConfigRequest): Promise<LoadResult> {
  let parse: ParseRequest;
  if (req.file === null) parse = { kind: 'builtin', profile: req.profile };
  else {
    let source = readConfigSource(req.file);
    if (source.ok && source.text === '') {
      // A save in progress (truncate, then write) is empty for an instant, and an empty config
      // would stop every service: an empty file is read once more after a moment.
      await new Promise((r) => setTimeout(r, EMPTY_REREAD_MS));
      source = readConfigSource(req.file);
    }
    if (!source.ok) return { ok: false, errors: [source.error] };
    parse = { kind: 'text', file: source.file, text: source.text, profile: req.profile };
  }
  const entry = childEntry();
  if (entry !== null) {
    const answer = await parseInChild(entry, parse);
    if (answer !== null) return answer;
  }
  return parseInThread(parse);
}

/**
 * The request parsed by a child process; null when the child could not be started or ended
 * without an answer (the caller parses in-thread then). A child that answers nothing within the
 * deadline is killed, and the read is an error at the file's first line.
 */
export function parseInChild(entry: string, req: ParseRequest): Promise<LoadResult | null> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = fork(entry, [], {
        serialization: 'advanced',
        // Not the daemon's flags (--inspect, --max-semi-space-size): a short parser wants none.
        execArgv: [],
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        env: process.env,
        cwd: process.cwd(),
      });
    } catch {
      resolve(null);
      return;
    }
    let settled = false;
    const finish = (r: LoadResult | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, errors: [stuck(req)] });
    }, CHILD_DEADLINE_MS);
    child.once('message', (m) => finish(m as LoadResult));
    child.once('error', () => finish(null));
    // The channel closes after the answer has been read; closed without one, the child died.
    child.once('disconnect', () => finish(null));
    child.send(req, (err) => {
      if (err) {
        child.kill('SIGKILL');
        finish(null);
      }
    });
  });
}

function stuck(req: ParseRequest): ConfigError {
  const file = req.kind === 'text' ? req.file : '<built-in>';
  return { file, line: 1, col: 1, message: `cannot parse config: no answer after ${CHILD_DEADLINE_MS / 1000} s` };
}

/** The same parse in this thread; its modules (yaml, zod) stay loaded from then on. */
export async function parseInThread(req: ParseRequest): Promise<LoadResult> {
  const { parseRequest } = await import('../core/config/parse-request.js');
  return parseRequest(req);
}
