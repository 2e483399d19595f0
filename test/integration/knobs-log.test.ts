// Issue 13 item 9: per-service log options on a real flood: rotation at max_size, `keep` rotated
// files, lines without timestamps, and a log file of the service's own choosing.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/index.js';
import { fixtureCommand, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

describe('log:', () => {
  it('rotates at max_size, keeps `keep` rotated files, and writes lines without timestamps to log.file', async () => {
    const dir = tempDir('hypha-log-');
    const d = await startDaemon(
      `api: { port: 0 }
services:
  flood:
    type: oneshot
    command: ${fixtureCommand('flooder.mjs')}
    env: { LINES: "20000", PAD: "40" }
    log: { max_size: 64K, keep: 1, timestamps: false, file: out/flood.txt }
  plain:
    type: oneshot
    command: ["echo", "hello"]
`,
      { dir },
    );
    daemons.push(d);
    await d.waitFor('flood', (x) => x.state === 'completed', 'completed');
    await d.waitFor('plain', (x) => x.state === 'completed', 'completed');
    const out = join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual(['flood.txt', 'flood.txt.1']);
    // A file is rotated once it reaches max_size, so none grows past it by more than one write.
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).size).toBeLessThan(64 * 1024 + 70 * 1024);
    // Every line of both files is without a timestamp. The flood's lines are looked for in the
    // pair: the current file may hold only the supervisor's last lines, when the flood's last
    // chunk filled the file before it and rotated it.
    const last = readFileSync(join(out, 'flood.txt'), 'utf8').trimEnd().split('\n');
    const rotated = readFileSync(join(out, 'flood.txt.1'), 'utf8').trimEnd().split('\n');
    expect(last.at(-1)).toMatch(/^(stdout|supervisor) /);
    for (const l of [...rotated, ...last]) expect(l).toMatch(/^(stdout|supervisor) /);
    expect([...rotated, ...last].some((l) => /^stdout line \d+ x{40}$/.test(l))).toBe(true);
    expect(existsSync(join(d.home, 'logs', 'flood.log'))).toBe(false);
    // The default: timestamps on, in $HYPHA_HOME/logs.
    const plain = readFileSync(join(d.home, 'logs', 'plain.log'), 'utf8');
    expect(plain).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|supervisor) /m);
    expect(plain).toMatch(/Z stdout hello$/m);
  });

  it('a reload that changes log: applies to the service’s next lines (file and timestamps)', async () => {
    const dir = tempDir('hypha-log-reload-');
    const config = (log: string): string => `api: { port: 0 }
services:
  talker:
    shell: /bin/bash
    command: 'i=0; while :; do echo "line $((i++))"; sleep 0.05; done'
    ${log}
`;
    const d = await startDaemon(config(''), { dir });
    daemons.push(d);
    const before = join(d.home, 'logs', 'talker.log');
    await waitFor(() => existsSync(before) && /Z stdout line \d+$/m.test(readFileSync(before, 'utf8')), { message: 'timestamped lines in the default file' });
    writeFileSync(d.configFile, config('log: { timestamps: false, file: out/talker.txt }'));
    const r = await d.api<{ changed: string[] }>('POST', '/api/reload');
    expect(r.body.changed).toContain('talker');
    const after = join(dir, 'out', 'talker.txt');
    await waitFor(() => existsSync(after) && /^stdout line \d+$/m.test(readFileSync(after, 'utf8')), { message: 'plain lines in the new file' });
    expect(readFileSync(after, 'utf8')).not.toMatch(/^\d{4}-\d\d-\d\dT/m);
  });
});
