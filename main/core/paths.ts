// Where Hypha's own files are: the folder of its package.json (holding assets/, renderer/dist),
// found from this module's location so it works from main/… (tests), dist/main/… (built) and
// inside a packaged app. The one copy of packageRoot().
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached !== null) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    if (isHyphaPackage(dir)) break;
    const parent = dirname(dir);
    if (parent === dir) {
      // Not found (an unusual install): this file sits in [dist/]main/core.
      dir = join(here, '..', '..');
      break;
    }
    dir = parent;
  }
  cached = dir;
  return dir;
}

/**
 * Inside a packaged Electron app the package lives in app.asar, which a child process cannot
 * read or chdir into; files meant for children are unpacked next to it (electron-builder asarUnpack).
 */
export function unpackedPath(p: string): string {
  const asar = `${sep}app.asar${sep}`;
  return p.includes(asar) ? p.replace(asar, `${sep}app.asar.unpacked${sep}`) : p.endsWith(`${sep}app.asar`) ? `${p}.unpacked` : p;
}

function isHyphaPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return pkg !== null && typeof pkg === 'object' && 'name' in pkg && pkg.name === 'hypha';
  } catch {
    return false;
  }
}

export function hyphaVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function dashboardDir(): string {
  return join(packageRoot(), 'renderer', 'dist');
}
