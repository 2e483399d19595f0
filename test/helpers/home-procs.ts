// The /proc witness for "nothing is left": every live process whose environment names this
// HYPHA_HOME (Hypha marks what it spawns with HYPHA_HOME and HYPHA_SERVICE), besides the
// processes the caller names as its own (the daemon itself, when it is still meant to run).
import { readdirSync, readFileSync } from 'node:fs';

export function processesOfHome(home: string, except: number[] = []): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || except.includes(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (env.includes(`HYPHA_HOME=${home}`) && env.some((kv) => kv.startsWith('HYPHA_SERVICE='))) out.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return out;
}

/** SIGKILLs them (test cleanup after a failure), by pid. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}
