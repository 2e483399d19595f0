import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_FILE, DEMO_MATCH, builtInConfig, demoScriptPath, loadConfig } from '../../main/core/config/default.js';
import { parseConfigText } from '../../main/core/config/load.js';
import { packageRoot } from '../../main/core/paths.js';

describe('builtInConfig', () => {
  const c = builtInConfig();

  it('runs the bundled MycoBrain demo on port 8765 with a health check', () => {
    expect(c.file).toBe(BUILT_IN_FILE);
    expect(c.api.port).toBe(8780);
    expect(c.services).toHaveLength(1);
    const [s] = c.services;
    expect(s).toMatchObject({
      id: 'mycobrain',
      name: 'MycoBrain Service',
      type: 'daemon',
      command: ['node', demoScriptPath()],
      cwd: packageRoot(),
      env: { PORT: '8765' },
      port: 8765,
      autostart: true,
      match: DEMO_MATCH,
      strays: 'report',
      health: {
        probe: { kind: 'http', url: 'http://127.0.0.1:8765/health' },
        intervalMs: 5000,
        timeoutMs: 2000,
        retries: 3,
        startPeriodMs: 10_000,
        restartOnUnhealthy: true,
      },
    });
    expect(s.restart).toEqual({ policy: 'on-failure', delayMs: 1000, maxDelayMs: 60_000, minUptimeMs: 5000, maxRestarts: 10, windowMs: 300_000 });
  });

  it("matches only node running the demo script, never a pager, editor or shell reading it (issue 11 item 7)", () => {
    const r = new RegExp(DEMO_MATCH);
    for (const copy of [`node ${demoScriptPath()}`, '/usr/bin/node --inspect /x/mycobrain.mjs', 'nodejs mycobrain.mjs --port 1', 'C:\\node\\node.exe C:\\x\\mycobrain.mjs']) {
      expect(r.test(copy), copy).toBe(true);
    }
    for (const reader of [`less ${demoScriptPath()}`, 'vim mycobrain.mjs', 'tail -f mycobrain.mjs', 'bash mycobrain.mjs', 'grep x mycobrain.mjs', 'node mycobrain.mjs.bak', 'sh -c less mycobrain.mjs']) {
      expect(r.test(reader), reader).toBe(false);
    }
  });

  it('points at the demo file that exists, inside the package root', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(demoScriptPath()).toBe(join(packageRoot(), 'assets', 'demo', 'mycobrain.mjs'));
    expect(existsSync(demoScriptPath())).toBe(true);
  });

  it('is what the loader makes of the same config written as YAML', () => {
    const yaml = [
      'api: { port: 8780 }',
      'services:',
      '  mycobrain:',
      '    name: MycoBrain Service',
      `    command: [node, ${JSON.stringify(demoScriptPath())}]`,
      '    env: { PORT: "8765" }',
      '    port: 8765',
      '    health: { http: "http://127.0.0.1:8765/health", interval: 5s, timeout: 2s, retries: 3, start_period: 10s }',
      `    match: ${JSON.stringify(DEMO_MATCH)}`,
    ].join('\n');
    const r = parseConfigText(yaml, join(packageRoot(), 'hypha.yaml'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.services).toEqual(c.services);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hypha-loadconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cwd = join(dir, 'cwd');
  const home = join(dir, 'home');
  mkdirSync(cwd);
  mkdirSync(home);

  it('falls back to the built-in default when no file is found', () => {
    const r = loadConfig({ cwd, home, env: {}, platform: 'linux' });
    expect(r).toEqual({ ok: true, config: builtInConfig() });
  });

  it('loads the resolved file', () => {
    writeFileSync(join(cwd, 'hypha.yaml'), 'services:\n  web: { command: x }\n');
    const r = loadConfig({ cwd, home, env: {}, platform: 'linux' });
    expect(r.ok && r.config.file).toBe(join(cwd, 'hypha.yaml'));
  });

  it('reports a missing -c file instead of falling back', () => {
    const r = loadConfig({ cwd, home, env: {}, flag: 'nope.yaml' });
    expect(r).toEqual({
      ok: false,
      errors: [{ file: join(cwd, 'nope.yaml'), line: 1, col: 1, message: 'cannot read config file: no such file (ENOENT)' }],
    });
  });
});
