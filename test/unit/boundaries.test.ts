// The architecture's import rules (.dependency-cruiser.cjs) hold for the tree, and the checker
// can fail: a copy of the rules run over a tiny tree with a core → api import must refuse it.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';
import { tempDir, removeTempDirs } from '../helpers/index.js';

const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(cwd: string, paths: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DEPCRUISE, ...paths, '--config', '.dependency-cruiser.cjs'], { cwd, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

describe('boundaries', () => {
  it('the tree keeps every rule', async () => {
    const r = await cruise(ROOT, ['main', 'preload', 'renderer/src']);
    expect(r.out).toMatch(/no dependency violations found/);
    expect(r.code).toBe(0);
  });

  it('a core → api import, a renderer → core import and a desktop import from core are refused', async () => {
    const dir = tempDir('hypha-bounds-');
    try {
      cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
      for (const d of ['main/core', 'main/api', 'main/desktop', 'main/contract', 'renderer/src']) mkdirSync(join(dir, d), { recursive: true });
      writeFileSync(join(dir, 'main/contract/status.ts'), 'export type S = 1;\n');
      writeFileSync(join(dir, 'main/api/server.ts'), "import type { S } from '../contract/status.js';\nexport const server: S = 1;\n");
      writeFileSync(join(dir, 'main/desktop/tray.ts'), 'export const tray = 1;\n');
      writeFileSync(join(dir, 'main/core/supervisor.ts'), "import { server } from '../api/server.js';\nimport { tray } from '../desktop/tray.js';\nexport const s = server + tray;\n");
      writeFileSync(join(dir, 'renderer/src/App.ts'), "import { s } from '../../main/core/supervisor.js';\nexport const app = s;\n");
      const r = await cruise(dir, ['main', 'renderer/src']);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/core-knows-no-adapter: main\/core\/supervisor\.ts → main\/api\/server\.ts/);
      expect(r.out).toMatch(/desktop-imported-by-nobody: main\/core\/supervisor\.ts → main\/desktop\/tray\.ts/);
      expect(r.out).toMatch(/renderer-only-contract: renderer\/src\/App\.ts → main\/core\/supervisor\.ts/);
    } finally {
      removeTempDirs();
    }
  });
});
