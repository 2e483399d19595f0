// Where Hypha's own files are: the package root (holding package.json, assets/, renderer/dist),
// found from this module's location so it works from main/ under tests and dist/main/ when built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hypha') return (root = dir);
      } catch {
        // Not ours; keep walking up.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the hypha package root');
    dir = up;
  }
}

export function hyphaVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function dashboardDir(): string {
  return path.join(packageRoot(), 'renderer', 'dist');
}
