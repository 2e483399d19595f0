import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandString } from '../../main/core/config/expand.js';
import { normalizeConfig } from '../../main/core/config/normalize.js';
import { parseConfigText } from '../../main/core/config/load.js';
import type { Problem } from '../../main/core/config/problem.js';

const vars: Record<string, string> = { HOME: '/home/ann', EMPTY: '', PORT: '8000' };
const lookup = (n: string): string | undefined => vars[n];
const expand = (t: string): string => {
  const r = expandString(t, lookup);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const failure = (t: string): string => {
  const r = expandString(t, lookup);
  return r.ok ? `expanded to ${r.value}` : r.error;
};

describe('expandString', () => {
  it('expands ${VAR}, ${VAR:-default}, ${VAR-default} and $$', () => {
    expect(expand('${HOME}/x')).toBe('/home/ann/x');
    expect(expand('a${PORT}b${PORT}')).toBe('a8000b8000');
    expect(expand('${NOPE:-9000}')).toBe('9000');
    expect(expand('${EMPTY:-fallback}')).toBe('fallback');
    expect(expand('${EMPTY-fallback}')).toBe('');
    expect(expand('${NOPE-fallback}')).toBe('fallback');
    expect(expand('${NOPE:-}')).toBe('');
    expect(expand('cost $$5 and $${HOME}')).toBe('cost $5 and ${HOME}');
  });

  it('leaves a bare $NAME for the shell', () => {
    expect(expand('echo $RANDOM $1 $')).toBe('echo $RANDOM $1 $');
  });

  it('refuses an unknown variable, a bad name and an unclosed ${', () => {
    expect(failure('x ${NOPE} y')).toMatch(/^unknown variable NOPE in "\$\{NOPE\}"/);
    expect(failure('${1X}')).toMatch(/^invalid variable name "1X"/);
    expect(failure('${A:B}')).toMatch(/^invalid variable name "A:B"/);
    expect(failure('${HOME')).toMatch(/^unclosed "\$\{"/);
  });
});

describe('expansion in hypha.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hypha-expand-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'top.env'), 'FROM_TOP_FILE=top\nSHARED=top-file\n');
  writeFileSync(join(dir, 'svc.env'), 'FROM_SVC_FILE=svc\n');

  const load = (text: string) => parseConfigText(text, join(dir, 'hypha.yaml'));

  it('layers process env, top-level env_file and env, then the service env_file and env', () => {
    process.env.HYPHA_TEST_EXPAND = 'from-process';
    const r = load(
      [
        'env_file: top.env',
        'env:',
        '  SHARED: "${FROM_TOP_FILE}-${HYPHA_TEST_EXPAND}"',
        '  LEVEL: top',
        'services:',
        '  web:',
        '    env_file: svc.env',
        '    env:',
        '      LEVEL: service',
        '      URL: "http://localhost:${HYPHA_TEST_UNSET_PORT:-80}/${FROM_SVC_FILE}"',
        '      LIT: "$$HOME"',
        '      NUM: 1.10',
        '    cwd: "${HYPHA_TEST_EXPAND}"',
        '    command: ["echo", "${SHARED}", "${URL}", "$$x"]',
        '  sh:',
        '    command: echo ${LEVEL} $$PPID $RANDOM',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const [web, sh] = r.config.services;
    expect(web.env).toEqual({
      SHARED: 'top-from-process',
      LEVEL: 'service',
      URL: 'http://localhost:80/svc',
      LIT: '$HOME',
      NUM: '1.10',
    });
    expect(web.command).toEqual(['echo', 'top-from-process', 'http://localhost:80/svc', '$x']);
    expect(web.cwd).toBe(join(dir, 'from-process'));
    expect(web.globalEnvFile).toBe(join(dir, 'top.env'));
    expect(web.envFile).toBe(join(dir, 'svc.env'));
    expect(sh.command).toBe('echo top $PPID $RANDOM');
    expect(sh.env).toEqual({ SHARED: 'top-from-process', LEVEL: 'top' });
    delete process.env.HYPHA_TEST_EXPAND;
  });

  it('an unknown ${VAR} is an error at its file:line:col', () => {
    const r = load(['env:', '  A: "${HYPHA_NO_SUCH_VAR}"', 'services:', '  web:', '    command: ["x", "${ALSO_NOT_SET}"]', '    cwd: "${NOPE_CWD}"', ''].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '2:6: env.A: unknown variable HYPHA_NO_SUCH_VAR in "${HYPHA_NO_SUCH_VAR}" (set it in the environment or an env_file, or write ${HYPHA_NO_SUCH_VAR:-default})',
      '5:20: services.web.command[1]: unknown variable ALSO_NOT_SET in "${ALSO_NOT_SET}" (set it in the environment or an env_file, or write ${ALSO_NOT_SET:-default})',
      '6:10: services.web.cwd: unknown variable NOPE_CWD in "${NOPE_CWD}" (set it in the environment or an env_file, or write ${NOPE_CWD:-default})',
    ]);
  });

  it('the process environment can be injected', () => {
    const problems: Problem[] = [];
    const c = normalizeConfig(
      { services: { web: { command: 'run ${WHO}' } } },
      { file: '/f', dir: '/', processEnv: { WHO: 'me' }, problems },
    );
    expect(problems).toEqual([]);
    expect(c.services[0]?.command).toBe('run me');
  });
});
