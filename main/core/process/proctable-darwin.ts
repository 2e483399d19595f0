// macOS (and the BSDs): one `ps` call lists everything. LC_ALL=C keeps lstart in English.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProcessInfo } from './proctable.js';

const PS_ARGS = ['-axo', 'pid=,ppid=,pgid=,uid=,stat=,lstart=,rss=,time=,command='];
const PS_ENV = { ...process.env, LC_ALL: 'C' };
const MAX_BUFFER = 64 * 1024 * 1024;

/** `[[dd-]hh:]mm:ss[.cc]` → 1/100 s. */
export function parseCpuTime(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-', 2) : ['0', text];
  let seconds = 0;
  for (const part of (clock ?? '').split(':')) seconds = seconds * 60 + Number(part);
  seconds += Number(days) * 86400;
  return Number.isFinite(seconds) ? Math.round(seconds * 100) : 0;
}

// pid ppid pgid uid stat lstart(5 words) rss time command...
const LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w{3} \w{3}\s+\d+ [\d:]{8} \d{4})\s+(\d+)\s+(\S+)\s?(.*)$/;

export function parsePsOutput(output: string): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const lstart = m[6] ?? '';
    table.push({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      sid: 0,
      uid: Number(m[4]),
      state: (m[5] ?? '?').charAt(0),
      startTime: lstart.replace(/\s+/g, ' '),
      startedAtMs: Date.parse(lstart) || 0,
      rssBytes: Number(m[7]) * 1024,
      cpuTicks: parseCpuTime(m[8] ?? ''),
      command: m[9] ?? '',
    });
  }
  return table;
}

export function readProcessTableDarwin(): ProcessInfo[] {
  return parsePsOutput(execFileSync('ps', PS_ARGS, { encoding: 'utf8', env: PS_ENV, maxBuffer: MAX_BUFFER }));
}

export async function readProcessTableDarwinAsync(): Promise<ProcessInfo[]> {
  const { stdout } = await promisify(execFile)('ps', PS_ARGS, { encoding: 'utf8', env: PS_ENV, maxBuffer: MAX_BUFFER });
  return parsePsOutput(stdout);
}

export function processStartTimeDarwin(pid: number): string | null {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', env: PS_ENV });
    return out.trim().replace(/\s+/g, ' ') || null;
  } catch {
    return null; // ps exits 1 when the pid is gone
  }
}
