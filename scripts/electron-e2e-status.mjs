#!/usr/bin/env node
// One line for CI's summary: whether the Electron end-to-end test (test/e2e/electron.test.ts)
// can run on this machine, and if not, why — the same decision `npm start` makes, read from the
// built dist/. Exit 0 either way: a skip is reported, not failed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const decisionFile = path.join(root, 'dist', 'main', 'desktop', 'launch-decision.js');
if (!existsSync(decisionFile)) {
  console.log('electron e2e: skipped — not built');
  process.exit(0);
}
const { findElectronBinary, hasDisplay } = await import(pathToFileURL(decisionFile).href);
const binary = findElectronBinary(root);
// Every reason at once, so one CI run tells all that is missing.
const missing = [...(hasDisplay(process.platform, process.env) ? [] : ['no display']), ...(binary.ok ? [] : [binary.problem])];
console.log(
  missing.length === 0
    ? `electron e2e: ran (Electron at ${path.relative(root, binary.path)})`
    : `electron e2e: skipped — ${missing.join('; ')}`,
);
