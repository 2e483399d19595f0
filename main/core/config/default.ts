// The config used when no hypha.yaml is found: the bundled MycoBrain demo daemon, so a first run
// shows a real service going green.
import { join } from 'node:path';
import { loadConfigFile, type LoadOptions } from './load.js';
import { normalizeConfig } from './normalize.js';
import { packageRoot, unpackedPath } from '../paths.js';
import { resolveConfigPath, type ResolveOptions } from './resolve.js';
import type { RawConfig } from './schema.js';
import type { HyphaConfig, LoadResult } from '../../contract/config.js';

export const BUILT_IN_FILE = '<built-in>';
export const DEMO_PORT = 8765;
/** A copy of the demo: node (any path, `nodejs` too) running mycobrain.mjs, whatever the options. */
export const DEMO_MATCH = '^(?:\\S*[\\\\/])?node(?:js)?(?:\\.exe)?\\s(?:.*\\s)?\\S*mycobrain\\.mjs(?:\\s|$)';

export function demoScriptPath(): string {
  return unpackedPath(join(packageRoot(), 'assets', 'demo', 'mycobrain.mjs'));
}

/** `profile` is only carried (and shown): the demo defines none. */
export function builtInConfig(profile: string | null = null): HyphaConfig {
  const raw: RawConfig = {
    api: { port: 8780 },
    services: {
      mycobrain: {
        name: 'MycoBrain Service',
        command: ['node', demoScriptPath()],
        env: { PORT: String(DEMO_PORT) },
        port: DEMO_PORT,
        health: {
          http: `http://127.0.0.1:${DEMO_PORT}/health`,
          interval: '5s',
          timeout: '2s',
          retries: 3,
          start_period: '10s',
        },
        // Only `node … mycobrain.mjs` is a copy: `less mycobrain.mjs` or `vim mycobrain.mjs` is not.
        match: DEMO_MATCH,
      },
    },
  };
  return normalizeConfig(raw, { file: BUILT_IN_FILE, dir: unpackedPath(packageRoot()), profile });
}

/** Resolve the config path, then load that file, or fall back to the built-in default. */
export function loadConfig(opts: ResolveOptions = {}, load: LoadOptions = {}): LoadResult {
  const file = resolveConfigPath(opts);
  return file === null ? { ok: true, config: builtInConfig(load.profile ?? null) } : loadConfigFile(file, load);
}
