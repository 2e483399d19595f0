// The packaged app as a person installs it, built for real by electron-builder (`--linux dir`)
// from electron-builder.yml and the built dist/, with a stand-in Electron (electronDist points at
// a folder holding a shell script named `electron`), because no Electron binary can be downloaded
// here. What is checked is what electron-builder produced: app.asar (read with @electron/asar, as
// `npx @electron/asar list` does), resources/, the CLI wrapper and the post-install link to it.
// checkLayout() is the one judge; the last block proves it fails on each packaging mistake the
// issue names (CLI missing, demo twice, react in the asar, unbundled main).
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPackageWithOptions, extractAll, extractFile, listPackage, statFile, uncache } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const RENDERER_PACKAGES = ['react', 'react-dom', 'zustand', '@microsoft/fetch-event-source'];
/** The one main file (package.json "main"), bundled by vite.main.config.ts. */
const MAIN = 'dist/app/main.cjs';
const PRELOAD = 'dist/preload/preload.cjs';
const DEMO = 'mycobrain.mjs';

let work: string;
let unpacked: string;
let builderLog = '';

/** What electron-builder made, read the way the checks need it. */
interface Layout {
  /** linux-unpacked/ */
  dir: string;
  asar: string;
  /** Every file path in app.asar, '/'-rooted as `asar list` prints them. */
  files: string[];
  /** Files in app.asar whose bytes live in app.asar.unpacked. */
  unpackedFiles: Set<string>;
}

function readLayout(dir: string): Layout {
  const asar = path.join(dir, 'resources', 'app.asar');
  uncache(asar); // @electron/asar keeps headers by path; a variant rewrites the file
  const entries = listPackage(asar, { isPack: false }).map((p) => p.split(path.sep).join('/'));
  const files = entries.filter((p) => {
    const stat = statFile(asar, p.slice(1), false);
    return !('files' in stat);
  });
  const unpackedFiles = new Set(files.filter((p) => (statFile(asar, p.slice(1), false) as { unpacked?: boolean }).unpacked === true));
  return { dir, asar, files, unpackedFiles };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

/** Every problem with the produced package, in words; [] when it is as it should be. */
function checkLayout(layout: Layout): string[] {
  const problems: string[] = [];
  const { dir, asar, files } = layout;
  const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main?: string; dependencies?: Record<string, string> };

  // One bundled main file, the preload, the renderer, and nothing else that runs.
  if (pkg.main !== MAIN) problems.push(`package.json main is ${pkg.main}, not the bundle ${MAIN}`);
  if (!files.includes(`/${MAIN}`)) problems.push(`no ${MAIN} in app.asar`);
  if (!files.includes(`/${PRELOAD}`)) problems.push(`no ${PRELOAD} in app.asar`);
  if (!files.includes('/renderer/dist/index.html')) problems.push('no renderer/dist/index.html in app.asar');
  const code = files.filter((f) => /\.(c|m)?js$/.test(f) && !f.startsWith('/renderer/dist/assets/') && !f.startsWith('/assets/demo/'));
  const strayCode = code.filter((f) => f !== `/${MAIN}` && f !== `/${PRELOAD}`);
  if (strayCode.length > 0) problems.push(`unbundled main: code besides the one main file and the preload: ${strayCode.slice(0, 5).join(', ')}${strayCode.length > 5 ? ' …' : ''}`);
  if (files.includes(`/${MAIN}`)) {
    const source = extractFile(asar, MAIN).toString('utf8');
    const required = [...source.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1] as string);
    const outside = [...new Set(required.filter((r) => r !== 'electron' && !r.startsWith('node:') && !isBuiltin(r)))];
    if (outside.length > 0) problems.push(`unbundled main: ${MAIN} requires ${outside.join(', ')} at run time`);
  }
  const modules = files.filter((f) => f.includes('/node_modules/'));
  if (modules.length > 0) problems.push(`node_modules in app.asar (${modules.length} files, e.g. ${modules[0]})`);
  for (const name of RENDERER_PACKAGES) {
    if (files.some((f) => f.includes(`/node_modules/${name}/`))) problems.push(`renderer package ${name} in app.asar`);
    if (pkg.dependencies?.[name]) problems.push(`renderer package ${name} is a dependency (it belongs in devDependencies)`);
  }

  // The demo once: unpacked beside the asar (children cannot read inside it), nowhere else.
  const demoInAsar = files.filter((f) => path.posix.basename(f) === DEMO);
  const demoOnDisk = walk(path.join(dir, 'resources')).filter((f) => path.basename(f) === DEMO);
  const demoCopies = demoInAsar.filter((f) => !layout.unpackedFiles.has(f)).length + demoOnDisk.length;
  if (demoCopies !== 1) problems.push(`the demo is shipped ${demoCopies} times (asar: ${demoInAsar.join(', ') || '-'}; disk: ${demoOnDisk.map((f) => path.relative(dir, f)).join(', ') || '-'})`);
  if (!existsSync(path.join(dir, 'resources', 'app.asar.unpacked', 'assets', 'demo', DEMO))) problems.push('the demo is not unpacked at app.asar.unpacked/assets/demo, where the core looks');

  // The CLI: resources/bin/hypha, executable, and the post-install link pointing at it.
  const cli = path.join(dir, 'resources', 'bin', 'hypha');
  if (!existsSync(cli)) problems.push('CLI missing: no resources/bin/hypha');
  else if ((statSync(cli).mode & 0o111) === 0) problems.push('CLI not executable: resources/bin/hypha');
  if (!existsSync(path.join(dir, 'hypha-desktop'))) problems.push('no hypha-desktop executable (the GUI)');
  return problems;
}

/** Node's own modules, so `require("fs")` in the bundle is not mistaken for a package. */
function isBuiltin(name: string): boolean {
  return builtinModules.includes(name);
}

/** The link the deb/rpm post-install makes for `hypha`, with /opt/Hypha mapped to `dir`. */
function postInstallLinks(dir: string): Map<string, string> {
  const script = readFileSync(path.join(ROOT, 'scripts', 'packaging', 'after-install.sh'), 'utf8')
    .replaceAll('${sanitizedProductName}', 'Hypha')
    .replaceAll('${executable}', 'hypha-desktop');
  const links = new Map<string, string>();
  for (const m of script.matchAll(/^ln -sf '([^']+)' '([^']+)'$/gm)) {
    links.set(m[2] as string, (m[1] as string).replace(/^\/opt\/Hypha/, dir));
  }
  return links;
}

async function pack(output: string, extra: string[] = []): Promise<string> {
  const cli = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
  const r = await run(
    process.execPath,
    [cli, '--config', 'electron-builder.yml', '--linux', 'dir', '--publish', 'never', `-c.electronDist=${path.join(work, 'electron-stub')}`, `-c.directories.output=${output}`, '-c.npmRebuild=false', ...extra],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  builderLog = `${r.stdout}\n${r.stderr}`;
  return path.join(output, 'linux-unpacked');
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, MAIN))) throw new Error(`${MAIN} is not built: run npm run build`);
  work = mkdtempSync(path.join(os.tmpdir(), 'hypha-package-'));
  // The stand-in Electron: it says how it was called, which is all the wrapper test needs.
  const stub = path.join(work, 'electron-stub');
  mkdirSync(stub);
  writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\necho "electron-as-node=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "arg=$a"; done\n');
  chmodSync(path.join(stub, 'electron'), 0o755);
  unpacked = await pack(path.join(work, 'release'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the package electron-builder makes from electron-builder.yml', () => {
  it('holds one bundled main, the preload, the renderer, the demo once and the CLI — nothing else', () => {
    const layout = readLayout(unpacked);
    expect(checkLayout(layout), builderLog).toEqual([]);
    // Exactly what `npx @electron/asar list` would print, minus icons.
    const listed = layout.files.filter((f) => !f.startsWith('/assets/icons/') && !f.startsWith('/renderer/dist/assets/'));
    expect(listed.sort()).toEqual(['/assets/demo/mycobrain.mjs', `/${MAIN}`, `/${PRELOAD}`, '/package.json', '/renderer/dist/index.html'].sort());
    const asarList = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@electron', 'asar', 'bin', 'asar.js'), 'list', layout.asar], { encoding: 'utf8' });
    expect(asarList.status).toBe(0);
    expect(asarList.stdout.split('\n')).toContain(`/${MAIN}`);
  });

  it('the bundled main in the asar is a working CLI on its own (no node_modules beside it)', async () => {
    const out = path.join(work, 'extracted');
    extractAll(path.join(unpacked, 'resources', 'app.asar'), out);
    expect(existsSync(path.join(out, 'node_modules'))).toBe(false);
    const version = await run(process.execPath, [path.join(out, MAIN), '--version'], { cwd: out });
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const config = path.join(work, 'hypha.yaml');
    writeFileSync(config, 'services:\n  web:\n    command: node server.js\n');
    const valid = await run(process.execPath, [path.join(out, MAIN), 'validate', '-c', config], { cwd: out });
    expect(valid.stdout.trim()).toBe(`ok: ${config} (1 service)`);
  });

  it('/usr/bin/hypha (the post-install link) runs the CLI with the app’s Electron as Node, never the GUI', async () => {
    const links = postInstallLinks(unpacked);
    expect([...links.keys()].sort()).toEqual(['/usr/bin/hypha', '/usr/bin/hypha-desktop']);
    const target = links.get('/usr/bin/hypha') as string;
    expect(target).toBe(path.join(unpacked, 'resources', 'bin', 'hypha'));
    expect(existsSync(target)).toBe(true);
    expect(links.get('/usr/bin/hypha-desktop')).toBe(path.join(unpacked, 'hypha-desktop'));
    // Called through a link elsewhere, as /usr/bin/hypha is.
    const bin = path.join(work, 'usr-bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(target, path.join(bin, 'hypha'));
    const r = await run(path.join(bin, 'hypha'), ['status', '--json']);
    expect(r.stdout.trim().split('\n')).toEqual([
      'electron-as-node=1',
      `arg=${path.join(unpacked, 'resources', 'app.asar', MAIN)}`,
      'arg=status',
      'arg=--json',
    ]);
  });
});

describe('the layout check fails on each packaging mistake', () => {
  // Each case changes the real package in one way, as a wrong electron-builder.yml would.
  function variant(name: string, change: (dir: string, appDir: string) => void): Promise<string[]> {
    const dir = path.join(work, 'variants', name);
    cpSync(unpacked, dir, { recursive: true, verbatimSymlinks: true });
    const appDir = path.join(work, 'variants', `${name}-app`);
    extractAll(path.join(dir, 'resources', 'app.asar'), appDir);
    change(dir, appDir);
    return createPackageWithOptions(appDir, path.join(dir, 'resources', 'app.asar'), { unpackDir: 'assets/demo' }).then(() => checkLayout(readLayout(dir)));
  }

  it('CLI missing', async () => {
    const problems = await variant('no-cli', (dir) => rmSync(path.join(dir, 'resources', 'bin'), { recursive: true }));
    expect(problems).toEqual(['CLI missing: no resources/bin/hypha']);
  });

  it('demo twice (packed in the asar and copied to resources/demo)', async () => {
    const problems = await variant('demo-twice', (dir) => cpSync(path.join(ROOT, 'assets', 'demo'), path.join(dir, 'resources', 'demo'), { recursive: true }));
    expect(problems).toEqual([expect.stringMatching(/^the demo is shipped 2 times/)]);
  });

  it('react in the asar', async () => {
    const problems = await variant('react', (_dir, app) => {
      cpSync(path.join(ROOT, 'node_modules', 'react'), path.join(app, 'node_modules', 'react'), { recursive: true });
    });
    expect(problems).toContainEqual('renderer package react in app.asar');
  });

  it('unbundled main (the compiled tree instead of the bundle)', async () => {
    const problems = await variant('unbundled', (_dir, app) => {
      cpSync(path.join(ROOT, 'dist', 'main'), path.join(app, 'dist', 'main'), { recursive: true, filter: (f) => !f.endsWith('.map') });
      const pkgFile = path.join(app, 'package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { main: string };
      writeFileSync(pkgFile, JSON.stringify({ ...pkg, main: 'dist/main/desktop/main.js' }));
    });
    expect(problems).toContainEqual(`package.json main is dist/main/desktop/main.js, not the bundle ${MAIN}`);
    expect(problems).toContainEqual(expect.stringMatching(/^unbundled main: code besides the one main file/));
  });
});
