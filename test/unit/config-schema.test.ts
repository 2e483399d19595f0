import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configSchema } from '../../main/core/config/schema.js';

const FULL = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'configs', 'full.yaml');

describe('configJsonSchema', () => {
  const schema = configJsonSchema();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  it('is a draft 2020-12 schema with help for editors', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('hypha.yaml');
    const text = JSON.stringify(schema);
    for (const help of ['Display name (default: the id).', 'Signal sent to the process group first', 'exactly one of http, tcp or exec']) {
      expect(text).toContain(help);
    }
  });

  it('accepts the SPEC example, which the zod schema accepts too', () => {
    const doc: unknown = parse(readFileSync(FULL, 'utf8'));
    expect(configSchema.safeParse(doc).success).toBe(true);
    expect(validate(doc)).toBe(true);
  });

  it('rejects unknown keys, bad ids, bad durations and out-of-range ports', () => {
    const bad: unknown[] = [
      { servics: {} },
      { services: { web: { command: 'x', prot: 1 } } },
      { services: { Web: { command: 'x' } } },
      { services: { all: { command: 'x' } } },
      { services: { web: { command: 'x', restart: { delay: '10 parsecs' } } } },
      { services: { web: { command: 'x', port: 70000 } } },
      { services: { web: { command: 'x', stop: { signal: 'SIGFOO' } } } },
      { api: { port: -1 } },
    ];
    for (const doc of bad) expect(validate(doc), JSON.stringify(doc)).toBe(false);
  });

  it('allows x- keys for anchors at the top level and in services', () => {
    expect(validate({ 'x-base': { a: 1 }, services: { web: { 'x-note': 1, command: ['x'] } } })).toBe(true);
  });
});
