// Config fuzzing in-process: thousands of generated, mutated, junk and deeply nested hypha.yaml
// texts through parseConfigText and loadConfigFile. Never a throw; always `ok` or errors at
// 1-based positions inside the file with one-line messages. Seeded: a failure prints its seed
// and the shrunk text, and FUZZ_SEED=<seed> replays it.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, parseConfigText } from '../../main/core/config/load.js';
import { formatConfigError } from '../../main/contract/config.js';
import { removeTempDirs, tempDir } from '../helpers/index.js';
import { VALID_CONFIG, answerProblems, anyConfigText, deep, junk, mutatedConfig, structuredConfig } from '../fixtures/bench-fuzz-configs.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const FILE = '/fuzz/hypha.yaml';

afterAll(() => removeTempDirs());

function holds(text: string): void {
  let r;
  try {
    r = parseConfigText(text, FILE);
  } catch (e) {
    throw new Error(`parseConfigText threw: ${(e as Error).stack}`);
  }
  const problems = answerProblems(text, FILE, r);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  if (!r.ok) for (const e of r.errors) expect(formatConfigError(e)).toMatch(/^\/fuzz\/hypha\.yaml:\d+:\d+: \S/);
}

describe(`config fuzz (seed ${seed})`, () => {
  it('the valid base config loads, so mutations start from a real config', () => {
    const r = parseConfigText(VALID_CONFIG, FILE);
    expect(r.ok ? [] : r.errors.map(formatConfigError)).toEqual([]);
  });

  it('shaped configs with any part wrong: ok or positioned errors', () => {
    fc.assert(fc.property(structuredConfig, holds), { seed, numRuns: 1500 });
  });

  it('a valid config after random edits (duplicate keys, bad indentation, cut short): ok or positioned errors', () => {
    fc.assert(fc.property(mutatedConfig, holds), { seed, numRuns: 1500 });
  });

  it('binary junk, empty and scalar files: positioned errors', () => {
    fc.assert(fc.property(junk, holds), { seed, numRuns: 800 });
  });

  it('deep nesting and alias bombs: an answer, not a crash or a hang', () => {
    fc.assert(fc.property(deep, holds), { seed, numRuns: 60 });
  });

  it('huge numbers and unicode ids are errors that say what is wrong', () => {
    const r = parseConfigText('services:\n  сервис:\n    command: x\n  web:\n    command: x\n    port: 1e23\n    restart: { max_restarts: 1e400 }\n', FILE);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => `${e.line}:${e.col}`)).toEqual(expect.arrayContaining(['2:3', '6:11']));
      for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5);
    }
  });

  it('through loadConfigFile from real files, the same holds', () => {
    const dir = tempDir('hypha-fuzz-');
    let n = 0;
    fc.assert(
      fc.property(anyConfigText, (text) => {
        const file = join(dir, `c${n++}.yaml`);
        writeFileSync(file, text);
        const r = loadConfigFile(file);
        const problems = answerProblems(text, file, r);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { seed, numRuns: 300 },
    );
  });
});
