// Floor for "stop all of N idle services": a bare Node process that spawns N `sleep`s in their
// own groups with piped output, then on a line on stdin SIGTERMs every group at once and waits
// for every exit event. Prints `ready` once all are up and `stopped ms=<ms>` when the last one has
// exited. Args: N
import { spawn } from 'node:child_process';

const children = [];
for (let i = 0; i < Number(process.argv[2] ?? 50); i++) {
  const c = spawn('sleep', ['3600'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout.on('data', () => undefined);
  c.stderr.on('data', () => undefined);
  children.push({ c, exited: new Promise((r) => c.once('exit', r)) });
}
console.log('ready');
process.stdin.once('data', async () => {
  const t0 = performance.now();
  for (const { c } of children) process.kill(-c.pid, 'SIGTERM');
  await Promise.all(children.map((x) => x.exited));
  console.log(`stopped ms=${(performance.now() - t0).toFixed(1)}`);
  process.exit(0);
});
