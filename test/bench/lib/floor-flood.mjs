// Floor for log capture: a bare Node process that spawns the flood fixture with piped output and
// appends every chunk to one file, synchronously, as it comes. Args: OUT_FILE FIXTURE
import { spawn } from 'node:child_process';
import { openSync, writeSync } from 'node:fs';

const [out, fixture] = process.argv.slice(2);
const fd = openSync(out, 'a');
const child = spawn(process.execPath, [fixture], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (c) => writeSync(fd, c));
child.stderr.on('data', (c) => writeSync(fd, c));
child.once('close', () => process.exit(0));
