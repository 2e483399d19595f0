// Builds the dashboard once for two homes: Electron loads it from file://, the daemon serves it
// at `/`. Relative asset paths (base './') make both work.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// `crossorigin` on module scripts makes Chromium fetch them in CORS mode, which file:// in
// Electron refuses; everything is same-origin, so the attribute buys nothing.
function sameOriginScripts(): Plugin {
  return {
    name: 'hypha-same-origin-scripts',
    apply: 'build',
    transformIndexHtml: (html) => html.replace(/\scrossorigin(?:="[^"]*")?/g, ''),
  };
}

// The dev server injects inline scripts (React refresh) that the strict CSP forbids; the CSP
// stays in every build.
function relaxCspInDev(): Plugin {
  return {
    name: 'hypha-relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

// The daemon sends `name.gz` to a browser that accepts gzip (main/api/static.ts): the main chunk
// is a third of its size on the wire, compressed once here rather than on every request.
function gzipCopies(): Plugin {
  return {
    name: 'hypha-gzip-copies',
    apply: 'build',
    // From the files as written: other plugins still rewrite chunks while the bundle is generated.
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const file = path.join(options.dir ?? path.join(root, 'dist'), name);
        const source = readFileSync(file);
        if (source.length >= 1024) writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), sameOriginScripts(), relaxCspInDev(), gzipCopies()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The daemon and Electron serve these files locally; maps would only add weight.
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the first screen needs in the one chunk the page loads: modules the lazy
        // chunks share with it stay in it rather than in small chunks of their own, each one more
        // request before the first render.
        codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
      },
    },
  },
});
