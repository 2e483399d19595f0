// The Electron main process as one file: main/desktop/entry.ts and everything it imports (the
// CLI, the host, core, and their npm packages) bundled into dist/app/main.cjs, so app.asar holds
// one main file and no node_modules. Only `electron` stays outside (Electron provides it), and it
// is required lazily, inside the app's modules, so the CLI half runs under ELECTRON_RUN_AS_NODE.
// CommonJS, because Electron's ESM loader inside app.asar is the less-travelled path.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `electron` as a CommonJS module inside the bundle: the bundler hoists a plain external import to
 * the top of the file, where Electron-as-Node (the CLI) would fail on it; a CommonJS module is
 * evaluated where it is first used, which is inside the app's lazily started modules.
 */
function lazyElectron(): Plugin {
  const id = '\0lazy-electron';
  return {
    name: 'hypha-lazy-electron',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'electron') return null;
      return importer === id ? { id: 'electron', external: true } : id;
    },
    load: (loaded) => (loaded === id ? "module.exports = require('electron');" : null),
  };
}

export default defineConfig({
  root,
  plugins: [lazyElectron()],
  logLevel: 'warn',
  build: {
    ssr: 'main/desktop/entry.ts',
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'cjs', entryFileNames: 'main.cjs', codeSplitting: false },
    },
  },
  // Bundle every npm package into the file (the default for SSR builds leaves them external).
  ssr: { noExternal: true, target: 'node' },
});
