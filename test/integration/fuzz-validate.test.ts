// Config fuzzing through the real CLI and the real daemon: a few hundred generated and mutated
// files through `hypha validate` (exit 0 and `ok`, or exit 2 and one `file:line:col: message`
// per error, inside the file), and a sample of the broken ones through POST /api/reload, which
// must answer 400 with those errors and leave the running services untouched (same pids).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../main/core/config/load.js';
import { formatConfigError } from '../../main/contract/config.js';
import { tempDir } from '../helpers/index.js';
import { runCli, startDaemon, cleanUp } from '../helpers/daemon.js';
import { anyConfigText, mutatedConfig } from '../fixtures/bench-fuzz-configs.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const CLI_RUNS = 60;
const RELOADS = 40;
const ERROR_LINE = /^(.+):(\d+):(\d+): (.+)$/;

afterAll(async () => {
  await cleanUp();
});

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

function positionProblems(text: string, line: number, col: number): string | null {
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) return `line ${line} outside 1..${lines.length}`;
  const width = (lines[line - 1] as string).length + 1;
  return col < 1 || col > width ? `column ${col} outside 1..${width} on line ${line}` : null;
}

describe(`config fuzz through the CLI and reload (seed ${seed})`, () => {
  it(`hypha validate on ${CLI_RUNS} generated files: ok, or exit 2 with file:line:col lines inside the file`, { timeout: 900_000 }, async () => {
    const dir = tempDir('hypha-fuzz-cli-');
    const texts = fc.sample(anyConfigText, { seed, numRuns: CLI_RUNS });
    const failures = await pool(texts, 4, async (text, i) => {
      const file = join(dir, `c${i}.yaml`);
      writeFileSync(file, text);
      const r = await runCli(['validate', '-c', file], { HYPHA_HOME: join(dir, 'home') }, 60_000, dir);
      const expected = parseConfigText(text, file);
      const why: string[] = [];
      if (expected.ok) {
        if (r.code !== 0 || !r.stdout.startsWith('ok: ')) why.push(`valid config: exit ${r.code}, stdout ${JSON.stringify(r.stdout)}`);
      } else {
        if (r.code !== 2) why.push(`exit ${r.code}, not 2`);
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        if (lines.length === 0) why.push('no error lines');
        for (const l of lines) {
          const m = ERROR_LINE.exec(l);
          if (!m) {
            why.push(`not file:line:col: message: ${JSON.stringify(l.slice(0, 200))}`);
            continue;
          }
          if (m[1] !== file) why.push(`names ${m[1]}`);
          const bad = positionProblems(text, Number(m[2]), Number(m[3]));
          if (bad) why.push(bad);
        }
        // How deep a stack goes differs between this worker and the CLI, so "nested too deeply" may land elsewhere.
        const stackBound = expected.errors.some((e) => e.message.includes('nested too deeply')) || r.stderr.includes('nested too deeply');
        if (!stackBound && lines.length !== expected.errors.length) why.push(`printed ${lines.length} error lines, the loader has ${expected.errors.length}: ${JSON.stringify(r.stderr.slice(0, 400))} vs ${JSON.stringify(expected.errors.map(formatConfigError)).slice(0, 400)}`);
      }
      return why.length > 0 ? `${file} (${JSON.stringify(text.slice(0, 300))}): ${why.join('; ')}` : null;
    });
    expect(failures.filter(Boolean)).toEqual([]);
  });

  it(`reload with ${RELOADS} broken configs answers 400 with the errors and changes nothing`, { timeout: 600_000 }, async () => {
    const good = `api: { port: 0 }
services:
  one:
    command: ["sleep", "3600"]
  two:
    command: sleep 3600
`;
    // Made before the daemon starts: this is seconds of synchronous work on a loaded machine, and
    // a client blocked that long reuses a keep-alive socket the server has closed meanwhile.
    const dir = tempDir('hypha-it-');
    const broken = fc
      .sample(fc.oneof(mutatedConfig, anyConfigText), { seed, numRuns: RELOADS * 4 })
      // As the file will hold it: a lone surrogate cannot be written as UTF-8 and reads back as U+FFFD.
      .map((t) => Buffer.from(t, 'utf8').toString('utf8'))
      .filter((t) => !parseConfigText(t, join(dir, 'hypha.yaml')).ok)
      .slice(0, RELOADS);
    const d = await startDaemon(good, { dir });
    try {
      const before = await Promise.all(['one', 'two'].map((id) => d.waitFor(id, (s) => s.state === 'running', 'running')));
      const pids = before.map((s) => s.pid);
      expect(broken.length).toBeGreaterThan(RELOADS / 2);
      for (const text of broken) {
        writeFileSync(d.configFile, text);
        const r = await d.api<{ error?: string; errors?: string[] }>('POST', '/api/reload');
        const expected = parseConfigText(text, d.configFile);
        expect(r.status, JSON.stringify(text)).toBe(400);
        const errors = r.body.errors ?? [];
        for (const e of errors) expect(e).toMatch(ERROR_LINE);
        // How deep a stack goes differs between this worker and the daemon: either may stop there.
        const stackBound = expected.ok || expected.errors.some((e) => e.message.includes('nested too deeply')) || errors.some((e) => e.includes('nested too deeply'));
        if (!expected.ok && !stackBound) {
          expect(errors).toEqual(expected.errors.map(formatConfigError));
        }
      }
      const after = await d.list();
      expect(after.map((s) => [s.id, s.state, s.pid])).toEqual([
        ['one', 'running', pids[0]],
        ['two', 'running', pids[1]],
      ]);
      writeFileSync(d.configFile, good);
      const back = await d.api<{ changed: string[] }>('POST', '/api/reload');
      expect(back.status).toBe(200);
      expect(back.body.changed).toEqual([]);
    } finally {
      await d.stop();
    }
  });
});
