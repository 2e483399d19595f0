// A config error before it has a position: what is wrong, and where in the value tree.
import type { Path, Target } from './yaml-positions.js';

export interface Problem {
  path: Path;
  target: Target;
  /** Without the path; `withPath` adds it. */
  message: string;
}

/** `services.web.command[0]` */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

export function withPath(p: Problem): string {
  const where = formatPath(p.path);
  return where === '' ? p.message : `${where}: ${p.message}`;
}
