// Floor for "supervisor RSS with N idle services": a bare Node process that spawns N `sleep`s in
// their own groups with piped output and keeps them. Prints `ready pid=<pid>` once all are up;
// ends its children on SIGTERM. Args: N
import { spawn } from 'node:child_process';

const children = [];
for (let i = 0; i < Number(process.argv[2] ?? 50); i++) {
  const c = spawn('sleep', ['3600'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout.on('data', () => undefined);
  c.stderr.on('data', () => undefined);
  children.push(c);
}
console.log(`ready pid=${process.pid}`);
process.on('SIGTERM', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(0);
});
