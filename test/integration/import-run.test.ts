// `hypha import` end to end with the real CLI: each hand-written fixture (PM2 .js/.mjs, process-
// compose, Procfile, supervisord.conf, compose) is converted, the result passes `hypha validate`,
// a real daemon runs it until every service is up (or its oneshot completed), and stopping the
// daemon leaves none of the processes it started. Fixture ports (410xx) are swapped for free ones.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliveOf, childPidsDeep, freePort, tempDir, waitFor } from '../helpers/index.js';
import { FIXTURES, runCli, startDaemon, useDaemons } from '../helpers/daemon.js';
import { loadPm2File } from '../../main/cli/import/pm2-load.js';

const daemons = useDaemons();

/** A copy of the import fixtures with every 410xx port in `file` replaced by a free port. */
async function copyWithFreePorts(file: string): Promise<{ dir: string; path: string }> {
  const root = tempDir('hypha-import-');
  cpSync(join(FIXTURES, 'import'), root, { recursive: true });
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  const ports = new Map<string, number>();
  for (const m of text.matchAll(/\b410\d\d\b/g)) if (!ports.has(m[0])) ports.set(m[0], await freePort());
  for (const [from, to] of ports) text = text.replaceAll(from, String(to));
  writeFileSync(path, text);
  return { dir: join(path, '..'), path };
}

interface Case {
  file: string;
  online: string[];
  completed?: string[];
  offline?: string[];
  unmapped: RegExp;
}

const CASES: Case[] = [
  { file: 'pm2/ecosystem.config.js', online: ['api', 'worker'], unmapped: /^hypha import: deploy not mapped — deployment is outside Hypha/m },
  { file: 'pm2-esm/ecosystem.config.mjs', online: ['web'], unmapped: /^$/ },
  { file: 'process-compose/process-compose.yaml', online: ['db', 'api', 'workers'], completed: ['migrate'], offline: ['reporter'], unmapped: /workers: namespace not mapped — no Hypha equivalent/ },
  { file: 'procfile/Procfile', online: ['web', 'worker', 'clock'], unmapped: /^$/ },
  { file: 'supervisord/supervisord.conf', online: ['web', 'worker'], unmapped: /web: priority not mapped — / },
  { file: 'compose/docker-compose.yml', online: ['db', 'web'], completed: ['migrate'], unmapped: /services\.cache not mapped — no command/ },
];

describe('hypha import → validate → run → stop', () => {
  for (const c of CASES) {
    it(`${c.file}: converts, validates, runs, and stops leaving no process`, async () => {
      const { dir, path } = await copyWithFreePorts(c.file);
      const imported = await runCli(['import', path], {});
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toMatch(c.unmapped);
      const configFile = join(dir, 'hypha.yaml');
      writeFileSync(configFile, imported.stdout);
      const validated = await runCli(['validate', '-c', configFile], {});
      expect(validated.stderr).toBe('');
      expect(validated.stdout.trim()).toMatch(/^ok: .*hypha\.yaml \(\d+ services?\)$/); // names the file (issue 15)

      const d = await startDaemon(`api: { port: 0 }\n${imported.stdout}`, { dir });
      daemons.push(d);
      // Where this Hypha has replicas, a service with N copies runs as ID-0 … ID-(N-1).
      const ids = (await d.list()).map((s) => s.id);
      const copies = (id: string): string[] => ids.filter((x) => x === id || new RegExp(`^${id}-\\d+$`).test(x));
      const online = c.online.flatMap(copies);
      expect(online.length).toBeGreaterThanOrEqual(c.online.length);
      for (const id of online) await d.waitFor(id, (s) => s.status === 'online', 'online');
      for (const id of c.completed ?? []) await d.waitFor(id, (s) => s.status === 'completed', 'completed');
      for (const id of c.offline ?? []) expect((await d.status(id)).status).toBe('offline');
      const started = childPidsDeep(d.pid);
      const servicePids = (await d.list()).map((s) => s.pid).filter((p): p is number => p !== null);
      expect(servicePids.length).toBe(online.length);
      for (const pid of servicePids) expect(started).toContain(pid);

      expect((await d.stop()).code).toBe(0);
      await waitFor(() => aliveOf(started).length === 0, { timeoutMs: 30_000, message: `processes left: ${aliveOf(started).join(' ')}` });
    });
  }

  it('--check prints the mapping table instead of the file', async () => {
    const { path } = await copyWithFreePorts('supervisord/supervisord.conf');
    const r = await runCli(['import', '--check', path], {});
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['SERVICE', 'SOURCE OPTION', 'HYPHA KEY', 'NOTE']);
    expect(lines.some((l) => /^web\s+stopwaitsecs\s+stop\.timeout/.test(l))).toBe(true);
    expect(r.stdout).not.toMatch(/^services:/m);
  });

  it('a usage error exits 2 and says what to do', async () => {
    const none = await runCli(['import'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/import takes one file/);
    const dir = tempDir('hypha-import-');
    writeFileSync(join(dir, 'notes.txt'), 'just some text\nnot a config at all, really\n');
    const unknown = await runCli(['import', join(dir, 'notes.txt')], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot tell which tool .* use --format/);
  });
});

describe('PM2 ecosystem evaluation', () => {
  it('runs the file in a child node with a time limit, so a file that never finishes is an error, not a hang', async () => {
    const dir = tempDir('hypha-import-');
    const file = join(dir, 'ecosystem.config.cjs');
    writeFileSync(file, 'while (true) {}\n');
    const r = await loadPm2File(file, 500);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/did not finish within 0.5s/) });
  });

  it('reports a file that throws, with its message', async () => {
    const dir = tempDir('hypha-import-');
    const file = join(dir, 'ecosystem.config.cjs');
    writeFileSync(file, "throw new Error('missing ./secrets.json');\n");
    const r = await runCli(['import', file], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not evaluate the ecosystem file: .*missing \.\/secrets\.json/);
  });
});

describe('hypha export (CLI)', () => {
  it('writes units into --out, prints their paths, and warns on stderr for what systemd cannot say', async () => {
    const dir = tempDir('hypha-export-');
    const config = join(dir, 'hypha.yaml');
    writeFileSync(config, `services:\n  web:\n    command: ["node", "server.js"]\n    port: 8080\n    health: { http: "http://127.0.0.1:8080/health" }\n`);
    const r = await runCli(['export', 'systemd', '-c', config, '--out', join(dir, 'units')], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([join(dir, 'units', 'hypha-web.service'), join(dir, 'units', 'hypha.target')]);
    expect(readFileSync(join(dir, 'units', 'hypha-web.service'), 'utf8')).toMatch(/^ExecStart=\S*node server.js$/m);
    expect(r.stderr).toMatch(/^hypha export: web: health not expressible in systemd — /m);
  });

  it('--check prints the mapping table; a bad target or config exits 2', async () => {
    const dir = tempDir('hypha-export-');
    const config = join(dir, 'hypha.yaml');
    writeFileSync(config, `services:\n  web:\n    command: ["node", "server.js"]\n`);
    const check = await runCli(['export', 'kubernetes', '-c', config, '--check', '--image', 'node:20'], {});
    expect(check.code).toBe(0);
    expect(check.stdout.split('\n')[0]?.split(/\s{2,}/)).toEqual(['SERVICE', 'HYPHA KEY', 'BECOMES', 'NOTE']);
    expect((await runCli(['export', 'nomad', '-c', config], {})).code).toBe(2);
    writeFileSync(config, 'services:\n  web: {}\n');
    const bad = await runCli(['export', 'compose', '-c', config], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hypha.yaml:2:3: /);
  });
});

describe('PM2 ecosystem in an ES-module package', () => {
  it('a module.exports ecosystem.config.js next to "type": "module" still imports (compiled as CommonJS, as PM2 does)', async () => {
    const dir = tempDir('hypha-import-');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'ecosystem.config.js'), "const path = require('node:path');\nmodule.exports = { apps: [{ name: 'web', script: path.join('src', 'app.js') }] };\n");
    const r = await runCli(['import', join(dir, 'ecosystem.config.js')], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/command:\n\s+- node\n\s+- src\/app.js/);
  });
});
