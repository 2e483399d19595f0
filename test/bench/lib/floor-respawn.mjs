// Floor for crash → respawn: a bare Node loop that respawns the fixture the moment it exits, the
// way a supervisor would (own process group, piped output), COUNT times. Args: COUNT FILE [ARGS…]
import { spawn } from 'node:child_process';

const [count, file, ...args] = process.argv.slice(2);
let left = Number(count);
function once() {
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  child.once('exit', () => {
    if (--left > 0) once();
  });
}
once();
