// `hypha init`: writes a commented hypha.yaml for the current folder without asking anything.
// It looks for what already says how the project runs — a Procfile, a process-compose file, a
// package.json `start` script — and turns each process into a service; with none, it writes one
// example service to edit. It never overwrites a hypha.yaml or hypha.yml.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configFileIn } from '../core/config/resolve.js';
import { CliError } from './client.js';
import type { Ctx } from './command.js';

export interface Detected {
  id: string;
  command: string;
  /** Where it came from, for the comment above it. */
  from: string;
  dependsOn?: string[];
}

/** A valid service id (SPEC §1: `^[a-z0-9][a-z0-9_-]{0,62}$`, `all` reserved) made from any name. */
export function serviceId(name: string, fallback = 'app'): string {
  let id = name.toLowerCase().replace(/^@[^/]*\//, '').replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63).replace(/-+$/, '');
  if (id === '') id = fallback;
  return id === 'all' ? 'all-app' : id;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** `web: node server.js` lines (Heroku, foreman, honcho). */
export function fromProcfile(text: string): Detected[] {
  const out: Detected[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (!m || line.trim().startsWith('#')) continue;
    const id = serviceId(m[1] as string);
    if (!out.some((d) => d.id === id)) out.push({ id, command: (m[2] as string).trim(), from: 'Procfile' });
  }
  return out;
}

/** `processes: {name: {command, depends_on}}` of process-compose. */
export function fromProcessCompose(text: string, file: string): Detected[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return [];
  }
  const processes = (doc as { processes?: Record<string, { command?: unknown; depends_on?: unknown }> } | null)?.processes;
  if (!processes || typeof processes !== 'object') return [];
  const ids = new Map(Object.keys(processes).map((name) => [name, serviceId(name)]));
  const out: Detected[] = [];
  for (const [name, p] of Object.entries(processes)) {
    if (!p || typeof p.command !== 'string') continue;
    const deps = p.depends_on && typeof p.depends_on === 'object' ? Object.keys(p.depends_on).filter((d) => ids.has(d) && typeof processes[d]?.command === 'string') : [];
    out.push({ id: ids.get(name) as string, command: p.command, from: file, ...(deps.length > 0 ? { dependsOn: deps.map((d) => ids.get(d) as string) } : {}) });
  }
  return out;
}

/** The package's `start` script, run through npm. */
export function fromPackageJson(text: string): Detected[] {
  let pkg: { name?: unknown; scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return [];
  }
  const start = pkg.scripts?.start;
  if (typeof start !== 'string') return [];
  return [{ id: serviceId(typeof pkg.name === 'string' ? pkg.name : 'app'), command: 'npm start', from: `package.json "start": ${start}` }];
}

/** What the folder says about how it runs, first source that has something wins. */
export function detect(dir: string): { source: string | null; services: Detected[] } {
  const procfile = readText(path.join(dir, 'Procfile'));
  if (procfile !== null) {
    const s = fromProcfile(procfile);
    if (s.length > 0) return { source: 'Procfile', services: s };
  }
  for (const name of ['process-compose.yaml', 'process-compose.yml']) {
    const text = readText(path.join(dir, name));
    if (text === null) continue;
    const s = fromProcessCompose(text, name);
    if (s.length > 0) return { source: name, services: s };
  }
  const pkg = readText(path.join(dir, 'package.json'));
  if (pkg !== null) {
    const s = fromPackageJson(pkg);
    if (s.length > 0) return { source: 'package.json', services: s };
  }
  return { source: null, services: [] };
}

const q = (s: string): string => JSON.stringify(s);

/** The commented file for `dir`. */
export function initText(dir: string, found: { source: string | null; services: Detected[] }): string {
  const lines = [
    `# Hypha config for ${dir}`,
    `# Written by \`hypha init\`${found.source ? ` from ${found.source}` : ''}. Check it with \`hypha validate\`, run it with`,
    '# `hypha daemon` (or the tray app); saving this file reloads it. Every key is in the README',
    '# ("Config") and in schema/hypha.schema.json.',
    'services:',
  ];
  const services = found.services.length > 0 ? found.services : null;
  if (!services) {
    lines.push(
      '  # Nothing here said how the project runs (no Procfile, process-compose file or package.json',
      '  # "start" script): this example serves the folder on port 8000. Replace it with yours.',
      '  web:',
      '    command: "python3 -m http.server 8000"',
      '    port: 8000                     # checked before start: a port held by another program fails at once',
      '    health:',
      '      http: http://127.0.0.1:8000/',
      '      interval: 5s',
    );
  } else {
    for (const s of services) {
      lines.push(`  ${s.id}:`, `    # from ${s.from}`, `    command: ${q(s.command)}`);
      if (s.dependsOn) lines.push(`    depends_on: [${s.dependsOn.join(', ')}]`);
      lines.push(
        '    # port: 3000                   # the port it serves: checked before start, strays found by it',
        '    # health:                      # without one, "online" only means the process runs',
        '    #   http: http://127.0.0.1:3000/',
        '    #   interval: 5s',
      );
    }
  }
  lines.push(
    '',
    '# More per service: env, env_file, cwd, depends_on, restart (policy, delay, max_restarts),',
    '# stop (signal, timeout), match (regex that finds copies running outside Hypha), and',
    '# type: oneshot with schedule: "*/15 * * * *" for jobs.',
    '',
  );
  return lines.join('\n');
}

export function init(ctx: Ctx): number {
  if (ctx.positionals.length > 0) throw new CliError(`init takes no arguments (got "${ctx.positionals[0]}"); it writes hypha.yaml in the current folder`, 2);
  const existing = configFileIn(ctx.cwd);
  if (existing) throw new CliError(`${existing} already exists: not overwritten (hypha validate checks it)`, 1);
  const found = detect(ctx.cwd);
  const file = path.join(ctx.cwd, 'hypha.yaml');
  try {
    fs.writeFileSync(file, initText(ctx.cwd, found), { flag: 'wx' });
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${(err as Error).message}`, 1);
  }
  const what = found.services.length > 0 ? `${found.services.map((s) => s.id).join(', ')} (from ${found.source})` : 'an example service to edit (nothing found to run)';
  ctx.out(`wrote ${file}: ${what}`);
  ctx.out('next: hypha validate, then hypha daemon');
  return 0;
}
