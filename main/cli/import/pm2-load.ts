// Reads a PM2 ecosystem file. A .js/.cjs/.mjs ecosystem is a program, so it is evaluated in a
// child `node` (never inside Hypha), in its own folder, with a time limit; the child prints the
// exported object as JSON after a marker, so anything the file itself logs does not confuse us.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const MARKER = '\n@@hypha-import@@';
// A `module.exports` ecosystem.config.js inside a "type": "module" package is what PM2's docs
// show, and import() refuses it; such a file is then compiled as CommonJS, as PM2 itself does.
const LOADER = `
const { pathToFileURL } = require('node:url');
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { runInThisContext } = require('node:vm');
const file = process.env.HYPHA_IMPORT_FILE;
function asCommonJs() {
  const module = { exports: {} };
  const wrapped = runInThisContext(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
  wrapped.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return { default: module.exports };
}
import(pathToFileURL(file).href)
  .catch((e) => {
    if (/(module|exports|require) is not defined/.test(String(e && e.message))) return asCommonJs();
    throw e;
  })
  // Node may also hand back an empty namespace for such a file instead of failing.
  .then((m) => (m && m.default === undefined && Object.keys(m).length === 0 ? asCommonJs() : m))
  .then(
    (m) => {
      const c = m && m.default !== undefined ? m.default : m;
      process.stdout.write(${JSON.stringify(MARKER)} + JSON.stringify(c, (k, v) => (typeof v === 'function' ? undefined : v)));
    },
    (e) => { process.stderr.write(String((e && e.message) || e)); process.exit(1); },
  );`;

export type Loaded = { ok: true; value: unknown } | { ok: false; error: string };

export function loadPm2File(file: string, timeoutMs = 10_000): Promise<Loaded> {
  if (/\.json$/i.test(file)) {
    try {
      return Promise.resolve({ ok: true, value: JSON.parse(readFileSync(file, 'utf8')) });
    } catch (e) {
      return Promise.resolve({ ok: false, error: `${file}: not valid JSON: ${(e as Error).message}` });
    }
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', LOADER],
      {
        cwd: dirname(file),
        env: { ...process.env, HYPHA_IMPORT_FILE: file, ELECTRON_RUN_AS_NODE: '1' },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `did not finish within ${timeoutMs / 1000}s` : String(stderr).trim() || err.message;
          resolve({ ok: false, error: `${file}: could not evaluate the ecosystem file: ${why}` });
          return;
        }
        const at = String(stdout).lastIndexOf(MARKER);
        try {
          resolve({ ok: true, value: JSON.parse(String(stdout).slice(at + MARKER.length)) });
        } catch {
          resolve({ ok: false, error: `${file}: the ecosystem file exported nothing JSON can hold` });
        }
      },
    );
  });
}
