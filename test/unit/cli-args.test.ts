// The CLI's habits that need no daemon (issue 15): options as the field writes them, usage errors
// in one line, a help page made from the table for every command, and completion scripts that
// know every command.
import { describe, expect, it } from 'vitest';
import { parseArgv, UsageError } from '../../main/cli/args.js';
import { COMMANDS } from '../../main/cli/commands.js';
import { completionScript } from '../../main/cli/completion.js';
import { commandHelp, overview } from '../../main/cli/help.js';
import { reloadLine } from '../../main/cli/reload.js';
import { whereItIs } from '../../main/cli/act.js';
import type { ServiceStatus } from '../../main/contract/status.js';

const specs = [
  { name: 'lines', short: 'n', value: 'N', help: '' },
  { name: 'follow', short: 'f', help: '' },
  { name: 'config', short: 'c', value: 'FILE', help: '' },
];

describe('parseArgv', () => {
  it('reads long, long=value, short, short-glued and clustered options; -- ends options', () => {
    expect(parseArgv(['web', '--lines', '5'], specs)).toEqual({ values: { lines: '5' }, positionals: ['web'] });
    expect(parseArgv(['--lines=5', 'web'], specs).values).toEqual({ lines: '5' });
    expect(parseArgv(['-n5', '-f'], specs).values).toEqual({ lines: '5', follow: true });
    expect(parseArgv(['-fn', '7'], specs).values).toEqual({ lines: '7', follow: true });
    expect(parseArgv(['--', '-f'], specs)).toEqual({ values: {}, positionals: ['-f'] });
  });

  it('gives a value option the next word, even one that starts with a dash (logs -n -5)', () => {
    expect(parseArgv(['web', '-n', '-5'], specs).values).toEqual({ lines: '-5' });
  });

  it('says what is wrong in one line', () => {
    const msg = (args: string[]): string => {
      try {
        parseArgv(args, specs);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg(['-c'])).toBe('-c/--config needs a value: -c FILE');
    expect(msg(['--config'])).toBe('-c/--config needs a value: --config FILE');
    expect(msg(['--bogus'])).toBe('unknown option --bogus');
    expect(msg(['-x'])).toBe('unknown option -x');
    expect(msg(['--follow=yes'])).toBe('--follow takes no value');
  });
});

describe('help', () => {
  it('has a page for every command, with its usage, options and the exit codes', () => {
    for (const c of COMMANDS.filter((x) => !x.hidden)) {
      const page = commandHelp(c);
      expect(page.startsWith(`usage: hypha ${c.name}`), c.name).toBe(true);
      for (const o of c.options ?? []) expect(page, `${c.name} --${o.name}`).toContain(`--${o.name}`);
      expect(page).toContain('--help');
      expect(page).toContain('exit codes: 0 ok, 1 action failed, 2 usage or config error, 3 no daemon running');
    }
  });

  it('the overview lists every command and -V/--version', () => {
    const text = overview(COMMANDS);
    for (const c of COMMANDS.filter((x) => !x.hidden)) expect(text).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
    expect(text).not.toContain('__ids');
    expect(text).toContain('-V, --version');
  });
});

describe('completion scripts', () => {
  it('name every command and its options, for bash, zsh and fish', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const script = completionScript(shell, COMMANDS);
      for (const c of COMMANDS.filter((x) => !x.hidden)) expect(script, `${shell} ${c.name}`).toContain(c.name);
      expect(script).toMatch(shell === 'fish' ? /-s f -l follow/ : /--follow/);
      expect(script).toContain('__ids');
    }
  });
});

describe('words said while waiting and after a reload', () => {
  const base = { id: 'web', type: 'daemon', state: 'running', health: 'unknown', lastError: null } as unknown as ServiceStatus;
  it('names state and health, and never a word twice', () => {
    expect(whereItIs(base)).toBe('state running, health unknown');
    expect(whereItIs({ ...base, health: 'none' })).toBe('state running, no health check');
    expect(whereItIs({ ...base, health: 'unhealthy', lastError: 'unhealthy: HTTP 503 after 3 checks' })).toBe('state running, unhealthy: HTTP 503 after 3 checks');
  });

  it('says the file watcher applied the change already, with its time', () => {
    const at = new Date(2026, 10, 30, 9, 8, 7).toISOString();
    expect(reloadLine({ added: [], removed: [], changed: [], previous: { at, message: 'reloaded /x/hypha.yaml: 1 added, 0 removed, 2 changed', by: 'file watcher' } })).toBe(
      'already applied at 09:08:07 by the file watcher: 1 added, 0 removed, 2 changed',
    );
    expect(reloadLine({ added: [], removed: [], changed: [], previous: null })).toBe('reloaded: nothing changed');
    expect(reloadLine({ added: ['a'], removed: [], changed: ['b'], previous: null })).toBe('reloaded: added a; removed -; changed b');
  });
});
