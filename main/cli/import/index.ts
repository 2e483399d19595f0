// `hypha import FILE [--check] [--format F]` (SPEC §7): another tool's config → a commented
// hypha.yaml on stdout. Every option that could not be mapped is a comment in the output and a
// line on stderr; `--check` prints the mapping table instead of the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../client.js';
import { importCompose } from './compose.js';
import { FORMATS, type Format, detectFormat } from './detect.js';
import { Mapping } from './mapping.js';
import { importPm2 } from './pm2.js';
import { loadPm2File } from './pm2-load.js';
import { importProcessCompose } from './process-compose.js';
import { importProcfile } from './procfile.js';
import { mappingTable, renderYaml, warnings } from './render.js';
import { importSupervisord } from './supervisord.js';

export const IMPORT_HELP = `usage: hypha import FILE [--check] [--format pm2|process-compose|procfile|supervisord|compose]

Reads another supervisor's config and writes a hypha.yaml to stdout:
  PM2 ecosystem.config.js / .json (the .js file is evaluated in a child node, 10 s limit),
  process-compose.yaml, Procfile (foreman, honcho), supervisord.conf ([program:x] sections),
  docker-compose.yml (services with a command: command, healthcheck, depends_on …).
Options it cannot map become comments in the file, each with the reason, and a line on stderr.

  --check         print the mapping table (source option → hypha.yaml key) instead of the file
  --format F      skip detection by file name and content

example: hypha import ecosystem.config.js > hypha.yaml && hypha validate -c hypha.yaml`;

function parseWith(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw new CliError(`${file}: not valid YAML: ${(e as Error).message}`, 2);
  }
}

/** The mapping for `file`; exported for tests. */
export async function importFile(path: string, forced?: Format): Promise<Mapping> {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  const format = forced ?? detectFormat(file, text);
  if (!format) throw new CliError(`cannot tell which tool ${path} is for; use --format ${FORMATS.join('|')}`, 2);
  const m = new Mapping(format);
  switch (format) {
    case 'pm2': {
      const loaded = await loadPm2File(file);
      if (!loaded.ok) throw new CliError(loaded.error, 2);
      importPm2(loaded.value, m);
      break;
    }
    case 'process-compose':
      importProcessCompose(parseWith(text, path), m);
      break;
    case 'compose':
      importCompose(parseWith(text, path), m);
      break;
    case 'procfile':
      importProcfile(text, m);
      break;
    case 'supervisord':
      importSupervisord(text, file, m);
      break;
  }
  return m;
}

export async function importCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { check: { type: 'boolean' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${IMPORT_HELP}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${IMPORT_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`import takes one file\n${IMPORT_HELP}`, 2);
  const format = values.format as Format | undefined;
  if (format !== undefined && !FORMATS.includes(format)) throw new CliError(`unknown --format ${format} (use ${FORMATS.join(', ')})`, 2);
  const path = positionals[0] as string;
  const m = await importFile(path, format);
  if (m.services.length === 0) throw new CliError(`${path}: no services found to import`, 1);
  if (values.check) process.stdout.write(`${mappingTable(m.rows)}\n`);
  else process.stdout.write(renderYaml(m, path));
  for (const w of warnings(m)) process.stderr.write(`hypha import: ${w}\n`);
  return 0;
}
