// The dashboard's files (renderer/dist) as the daemon serves them at `/`, under the strict CSP
// and the usual hardening headers. Only files inside that folder are served. A browser that
// accepts gzip gets the copy the build compressed beside a script or stylesheet (`name.gz`,
// renderer/vite.config.ts), so the first render waits on a third of the bytes; the daemon never
// compresses at run time and holds no file in memory.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export type StaticAnswer = { kind: 'not-built' } | { kind: 'not-found' } | { kind: 'bad-encoding' } | { kind: 'file'; file: string; size: number; ext: string; gzip: boolean };

/** Which file answers `pathname` (already free of dot segments), and whether its gzip copy does. */
export function resolveStatic(dir: string | null, pathname: string, acceptEncoding: string): StaticAnswer {
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) return { kind: 'not-built' };
  let rel: string;
  try {
    rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return { kind: 'bad-encoding' };
  }
  const file = path.resolve(dir, '.' + path.posix.normalize(rel));
  // Path traversal: only files inside the dashboard folder are served.
  if (!file.startsWith(path.resolve(dir) + path.sep) || rel.includes('\0') || file.endsWith('.gz')) return { kind: 'not-found' };
  const st = statFile(file);
  if (!st) return { kind: 'not-found' };
  const ext = path.extname(file);
  if (acceptsGzip(acceptEncoding)) {
    const gz = statFile(`${file}.gz`);
    if (gz) return { kind: 'file', file: `${file}.gz`, size: gz.size, ext, gzip: true };
  }
  return { kind: 'file', file, size: st.size, ext, gzip: false };
}

function statFile(file: string): fs.Stats | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/** `gzip` listed in Accept-Encoding without `q=0`. */
export function acceptsGzip(header: string): boolean {
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function sendStatic(answer: Extract<StaticAnswer, { kind: 'file' }>, res: http.ServerResponse): void {
  res.writeHead(200, {
    'content-type': MIME[answer.ext] ?? 'application/octet-stream',
    'content-length': answer.size,
    ...(answer.gzip ? { 'content-encoding': 'gzip' } : {}),
    vary: 'accept-encoding',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': answer.ext === '.html' ? 'no-cache' : 'public, max-age=3600',
  });
  fs.createReadStream(answer.file).pipe(res);
}
