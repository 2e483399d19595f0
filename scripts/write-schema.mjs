// Writes schema/hypha.schema.json from the built config schema, so editors can validate
// hypha.yaml and show help (`# yaml-language-server: $schema=…/hypha.schema.json`).
// Runs after tsc in `npm run build:main`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'main', 'core', 'config', 'schema.js');

let mod;
try {
  mod = await import(pathToFileURL(built).href);
} catch (e) {
  console.error(`write-schema: cannot load ${built} (run tsc first): ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

const out = join(root, 'schema', 'hypha.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(mod.configJsonSchema(), null, 2)}\n`);
console.log(`write-schema: wrote ${out}`);
