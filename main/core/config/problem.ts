// A config error before it has a position: what is wrong, and where in the value tree.
import type { Path, Target } from './yaml-positions.js';

export interface Problem {
  path: Path;
  target: Target;
  /** Without the path; `withPath` adds it. */
  message: string;
}

/** `services.web.command[0]`; a key that is not a plain word is quoted (`services["a b"]`). */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!PLAIN_KEY.test(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

const PLAIN_KEY = /^[\w-]+$/;

export function withPath(p: Problem): string {
  const where = formatPath(p.path);
  return where === '' ? p.message : `${where}: ${p.message}`;
}
