import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvText, readEnvFile } from '../../main/core/config/env-file.js';

describe('parseEnvText', () => {
  it('reads KEY=VALUE lines with comments, blanks, export and quotes', () => {
    const text = [
      '# database',
      '',
      'HOST=localhost',
      'export PORT=5432',
      '  SPACED  =  value with spaces  ',
      'EMPTY=',
      "SINGLE='kept $literally \\n'",
      'DOUBLE="line\\nbreak \\"quoted\\" tab\\t"',
      'HASHED="a # not a comment" # a comment',
      'URL=http://x/#frag',
      'TRAIL=value # comment',
      'EQUALS=a=b=c',
      'DOTTED.KEY-1=ok',
      'HOST=override',
    ].join('\r\n');
    expect(parseEnvText(text)).toEqual({
      ok: true,
      env: {
        HOST: 'override',
        PORT: '5432',
        SPACED: 'value with spaces',
        EMPTY: '',
        SINGLE: 'kept $literally \\n',
        DOUBLE: 'line\nbreak "quoted" tab\t',
        HASHED: 'a # not a comment',
        URL: 'http://x/#frag',
        TRAIL: 'value',
        EQUALS: 'a=b=c',
        'DOTTED.KEY-1': 'ok',
      },
    });
  });

  it('ignores a byte order mark', () => {
    expect(parseEnvText('\uFEFFA=1\n')).toEqual({ ok: true, env: { A: '1' } });
  });

  it.each<[string, number, string]>([
    ['A=1\nnot a pair\n', 2, 'expected KEY=VALUE, got "not a pair"'],
    ['1BAD=x', 1, 'invalid variable name "1BAD"'],
    ['=x', 1, 'invalid variable name ""'],
    ['A="unterminated', 1, 'A: missing closing "'],
    ["A='x' trailing", 1, "A: unexpected text after the closing ': \"trailing\""],
  ])('%j fails at line %i', (text, line, error) => {
    expect(parseEnvText(text)).toEqual({ ok: false, line, error });
  });
});

describe('readEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hypha-envfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'A=1\nB="two"\n');
    expect(readEnvFile(file)).toEqual({ ok: true, env: { A: '1', B: 'two' } });
  });

  it('says which file cannot be read and why', () => {
    const file = join(dir, 'missing.env');
    expect(readEnvFile(file)).toEqual({ ok: false, error: `cannot read env_file ${file}: ENOENT` });
    expect(readEnvFile(dir)).toEqual({ ok: false, error: `cannot read env_file ${dir}: EISDIR` });
  });

  it('names the file and the bad line', () => {
    const file = join(dir, 'bad.env');
    writeFileSync(file, '# ok\nA=1\noops\n');
    expect(readEnvFile(file)).toEqual({ ok: false, error: `env_file ${file}:3: expected KEY=VALUE, got "oops"` });
  });
});
