// cgroup v2 containment on Linux, systemd's process model: a run is its cgroup, not its pid.
// Whatever a service does (double fork, setsid, rewriting argv and environ), its processes stay in
// the cgroup it joined before exec; "stopped" is "the cgroup is empty" (cgroup.events populated 0)
// and the final kill is one write to cgroup.kill.
//
// Where: the unified hierarchy (a cgroup2 mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a
// hybrid system), at the highest cgroup on our own path that we may write to: the root for root,
// the delegated subtree (systemd's user@UID.service) for a user. One folder per HYPHA_HOME
// (`hypha.<hash>`), so a supervisor that restarts after a crash finds what the previous one left
// there whatever it became; one child folder per run (`<service>.<mark>`).
//
// Where none can be made (macOS, Windows, no delegation, HYPHA_CGROUPS=0) everything here says
// "no" and the caller keeps tracking process trees.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** Set HYPHA_CGROUPS=0 to turn cgroups off (the tree fallback then runs everywhere). */
export const CGROUPS_SWITCH = 'HYPHA_CGROUPS';

/** The unified hierarchy's mount point, from a mountinfo text (pure, for tests). */
export function cgroup2Mount(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep === -1) continue;
    const [fstype] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup2') continue;
    const mountPoint = line.slice(0, sep).split(' ')[4];
    if (mountPoint) return mountPoint.replace(/\\040/g, ' ');
  }
  return null;
}

/** Our own cgroup v2 path ("0::/a/b" line) from a /proc/PID/cgroup text (pure, for tests). */
export function ownCgroupPath(procCgroup: string): string | null {
  const line = procCgroup.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() || '/' : null;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    fs.accessSync(path.join(dir, 'cgroup.procs'), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The highest cgroup on our own path we may create children in and move processes between. */
function delegationRoot(mount: string, own: string): string | null {
  const parts = own.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.join(mount, ...parts.slice(0, i));
    if (writable(dir)) return dir;
  }
  return null;
}

let rootCache: string | null | undefined;

function hierarchyRoot(): string | null {
  if (rootCache !== undefined) return rootCache;
  rootCache = null;
  if (process.platform !== 'linux') return null;
  try {
    const mount = cgroup2Mount(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
    const own = ownCgroupPath(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    if (mount && own) rootCache = delegationRoot(mount, own);
  } catch {
    rootCache = null;
  }
  return rootCache;
}

export function cgroupsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[CGROUPS_SWITCH] !== '0' && hierarchyRoot() !== null;
}

/** The folder of one HYPHA_HOME's cgroups: `<root>/hypha.<hash of home>`. */
export function homeCgroupDir(home: string | null): string | null {
  const root = hierarchyRoot();
  if (!root) return null;
  const key = crypto.createHash('sha256').update(home ?? `pid-${process.pid}`).digest('hex').slice(0, 12);
  return path.join(root, `hypha.${key}`);
}

const made = new Set<string>();
process.once('exit', () => {
  // Empty run cgroups are removed as runs end; this catches the rest (rmdir fails while populated).
  for (const dir of made) removeCgroup(dir);
});

/** A fresh cgroup for one run of `service` (or a probe), or null where none can be made. */
export function createRunCgroup(home: string | null, name: string): string | null {
  if (!cgroupsEnabled()) return null;
  const base = homeCgroupDir(home);
  if (!base) return null;
  try {
    if (!fs.existsSync(base)) {
      fs.mkdirSync(base);
      enableControllers(base);
    }
    const dir = path.join(base, name);
    fs.mkdirSync(dir);
    made.add(dir);
    made.add(base);
    return dir;
  } catch {
    return null;
  }
}

/** memory.current and cpu.* for the runs where the hierarchy offers them (best effort). */
function enableControllers(base: string): void {
  try {
    const available = fs.readFileSync(path.join(base, 'cgroup.controllers'), 'utf8').split(/\s+/);
    const wanted = ['memory', 'cpu', 'pids'].filter((c) => available.includes(c));
    if (wanted.length > 0) fs.writeFileSync(path.join(base, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
  } catch {
    // Not allowed here: runs still get cpu.stat (always there), and memory from the members' RSS.
  }
}

/**
 * The argv that makes the child join `dir` before it execs the real program: a shell writes its
 * own pid ($$) to cgroup.procs, then execs, so no fork of the program can happen outside it.
 */
export function joiningArgv(dir: string, file: string, args: readonly string[]): { file: string; args: string[] } {
  const script = 'echo $$ > "$0" || echo "hypha: could not join the cgroup $0" >&2; exec "$@"';
  return { file: '/bin/sh', args: ['-c', script, path.join(dir, 'cgroup.procs'), file, ...args] };
}

/** Pids in the cgroup and every cgroup below it (a service may make its own). */
export function cgroupPids(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) {
        const pid = Number(line);
        if (pid > 0) out.push(pid);
      }
      for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
    } catch {
      // Gone meanwhile.
    }
  };
  walk(dir);
  return out;
}

/** cgroup.events says whether any process is left in it or below it. A missing cgroup is empty. */
export function isPopulated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** SIGKILL to every process in it and below it, in one write (kernel ≥ 5.14); else one by one. */
export function killCgroup(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    return;
  } catch {
    // No cgroup.kill (older kernel): freeze, kill each, thaw, so none forks in between.
  }
  try {
    fs.writeFileSync(path.join(dir, 'cgroup.freeze'), '1');
  } catch {
    // No freezer either: kill what is there, the caller looks again.
  }
  for (const pid of cgroupPids(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  try {
    fs.writeFileSync(path.join(dir, 'cgroup.freeze'), '0');
  } catch {
    // As above.
  }
}

/**
 * Removes an empty cgroup (and empty ones below it), and its `hypha.*` parent once that is empty
 * too, so nothing is left in the hierarchy when no run is; false while processes are left.
 */
export function removeCgroup(dir: string): boolean {
  try {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroup(path.join(dir, e.name));
    fs.rmdirSync(dir);
    made.delete(dir);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const parent = path.dirname(dir);
  if (path.basename(parent).startsWith('hypha.')) {
    try {
      fs.rmdirSync(parent); // fails (ENOTEMPTY, EBUSY) while another run is there: fine
      made.delete(parent);
    } catch {
      // Another run still lives in it.
    }
  }
  return true;
}

/** Microseconds of CPU the cgroup has used (cpu.stat usage_usec, there with or without the cpu controller). */
export function cgroupCpuUsec(dir: string): number | null {
  try {
    const m = /^usage_usec (\d+)$/m.exec(fs.readFileSync(path.join(dir, 'cpu.stat'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** memory.current where the memory controller is enabled for it, else null. */
export function cgroupMemoryBytes(dir: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(dir, 'memory.current'), 'utf8'));
  } catch {
    return null;
  }
}

/** The run cgroups a supervisor of `home` made and that still exist: service id and folder. */
export function listRunCgroups(home: string): { service: string; dir: string }[] {
  if (!cgroupsEnabled()) return [];
  const base = homeCgroupDir(home);
  if (!base) return [];
  try {
    return fs
      .readdirSync(base, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => ({ service: e.name.slice(0, e.name.indexOf('.') === -1 ? undefined : e.name.indexOf('.')), dir: path.join(base, e.name) }));
  } catch {
    return [];
  }
}
