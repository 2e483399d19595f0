// Packaging cannot run here (no Electron binary), so the config is checked the way
// electron-builder itself checks it: its own JSON schema, with the same ajv options.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const schema: object = JSON.parse(readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
// app-builder-lib/out/util/config/schemaValidator.js uses these options (strict off lets the
// schema's "typeof" keyword through).
const validate = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(schema);
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; category: string; icon: string; desktop: { entry: Record<string, string> } };
  mac: { target: string; icon: string };
  win: { target: string; icon: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  directories: { output: string };
};

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('would catch a mistake (the validator is not vacuous)', () => {
    expect(validate({ ...config, linux: { ...config.linux, tragets: ['AppImage'] } })).toBe(false);
    expect(validate({ ...config, appID: 'x' })).toBe(false);
  });

  it('names the app and its targets as the issue asks', () => {
    expect(config.appId).toBe('dev.hypha.app');
    expect(config.productName).toBe('Hypha');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Utility');
    expect(config.linux.desktop.entry.Categories).toBe('Utility;');
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('packs the compiled app, renderer, assets and package.json, and ships the demo as a resource', () => {
    for (const needed of ['dist/**/*', 'renderer/dist/**/*', 'assets/**/*', 'package.json']) expect(config.files).toContain(needed);
    expect(config.extraResources).toContainEqual({ from: 'assets/demo', to: 'demo' });
    // tsc writes to dist/: electron-builder's default output folder would collide with it.
    expect(config.directories.output).not.toBe('dist');
  });

  it('points at icons that exist and are large enough for every platform', () => {
    expect(existsSync(path.join(root, config.mac.icon))).toBe(true);
    expect(existsSync(path.join(root, config.win.icon))).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(path.join(root, config.linux.icon, `${size}x${size}.png`))).toBe(true);
    }
  });
});
