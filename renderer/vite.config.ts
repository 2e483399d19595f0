// Builds the dashboard once for two homes: Electron loads it from file://, the daemon serves it
// at `/`. Relative asset paths (base './') make both work.
import { fileURLToPath } from 'node:url';
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

export default defineConfig({
  root,
  base: './',
  plugins: [react(), sameOriginScripts(), relaxCspInDev()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The daemon and Electron serve these files locally; maps would only add weight.
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
