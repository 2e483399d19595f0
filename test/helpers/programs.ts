// What the tests of real software need to know about the machine: whether a program is installed
// (tests that need one skip, saying so, where it is not; CI installs them) and which pid a
// program's pidfile names.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Whether `program` is on the PATH (`command -v`), on Linux only. */
export function hasProgram(program: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Says once why a file's tests are skipped when a program is missing; returns whether it is there. */
export function requireProgram(program: string, file: string): boolean {
  const there = hasProgram(program);
  if (!there) console.warn(`${file}: ${program} is not installed here, so these tests are skipped`);
  return there;
}

/** The pid a pidfile names, or null while it is missing or empty. */
export function pidIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return pid > 1 ? pid : null;
}
