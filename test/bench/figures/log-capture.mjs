// Log capture from one service writing as fast as it can: LINES lines of PAD+~12 bytes. Throughput
// runs from the fixture's first moment (it stamps its start) to the moment the supervisor's log
// file holds the last line. Lost: lines missing from what the log files keep (Hypha rotates at
// 10 MB and keeps 3 files, so for Hypha the bytes it wrote, /proc/<pid>/io wchar, must also
// account for every line). Peak: the supervisor's VmHWM, a fresh supervisor per run.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../lib/hypha.mjs';
import { hwmMb, pollUntil } from '../lib/proc.mjs';
import { runDir } from '../lib/systems.mjs';

export const LINES = 2_000_000;
const PAD = 100;
const FIXTURE = join(FIXTURES, 'flooder.mjs');
const LAST = `line ${LINES} `;

/** Bytes of the flood: `line <n> <pad>\n` for n = 1..LINES. */
function payloadBytes() {
  let total = 0;
  for (let digits = 1, from = 1; from <= LINES; digits++, from *= 10) {
    const to = Math.min(LINES, from * 10 - 1);
    total += (to - from + 1) * (5 + digits + 1 + PAD + 1);
  }
  return total;
}

function tailHas(file, text) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const size = statSync(file).size;
    const len = Math.min(size, 4096);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    return buf.toString('latin1').includes(text);
  } finally {
    closeSync(fd);
  }
}

/** Line numbers in order across `files` (oldest first): count, first, last, gaps inside. */
function scanLines(files) {
  let count = 0;
  let first = null;
  let prev = null;
  let gaps = 0;
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'latin1');
    // Hypha's lines start with a timestamp and the stream name; the others' with the text. (One
    // pattern per file: looking for the other one after every line scanned the rest of the file
    // each time, minutes of CPU after each run.)
    const [marker, skip] = text.includes(' stdout line ') ? [' stdout line ', 8] : ['\nline ', 1];
    let at = skip === 1 && text.startsWith('line ') ? 0 : text.indexOf(marker);
    if (at > 0 || (at === 0 && !text.startsWith('line '))) at += skip;
    while (at !== -1) {
      const end = text.indexOf(' ', at + 5);
      const n = Number(text.slice(at + 5, end));
      if (Number.isInteger(n)) {
        count++;
        first ??= n;
        if (prev !== null && n !== prev + 1) gaps += Math.max(0, n - prev - 1);
        prev = n;
      }
      at = text.indexOf(marker, end);
      if (at !== -1) at += skip;
    }
  }
  return { count, first, last: prev, gaps };
}

function result(t0, t1, lost, peakMb, note = '') {
  const mb = payloadBytes() / 1e6;
  return { mbPerS: mb / ((t1 - t0) / 1000), lost, peakMb, note };
}

/**
 * Bytes the supervisor's main thread has written (its log writes are synchronous, on that thread).
 * Not /proc/PID/io: that adds the I/O of every child it has reaped, so once the flood's own
 * process had exited, its 227 MB of output counted as written by Hypha too.
 */
function writtenBytes(pid) {
  try {
    const m = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

const startStamp = (file) => Number(readFileSync(file, 'utf8').trim().split('\n')[0]);

export async function floor() {
  const dir = runDir('flood-floor');
  const out = join(dir, 'data', 'out.log');
  const stamp = join(dir, 'data', 'stamp');
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'lib', 'floor-flood.mjs'), out, FIXTURE], {
    env: { ...process.env, STAMP_FILE: stamp, LINES: String(LINES), PAD: String(PAD), BATCH: '512' },
    stdio: 'ignore',
  });
  await pollUntil(() => tailHas(out, LAST), 120_000, 5);
  const t1 = Date.now();
  await new Promise((r) => child.once('exit', r));
  const scan = scanLines([out]);
  return result(startStamp(stamp), t1, LINES - scan.count, NaN);
}

export async function measure(system) {
  const dir = runDir(`flood-${system.name}`);
  const stamp = join(dir, 'data', 'stamp');
  const outFile = join(dir, 'data', 'flood.log');
  const service = { name: 'flood', argv: [process.execPath, FIXTURE], env: { STAMP_FILE: stamp, LINES: String(LINES), PAD: String(PAD), BATCH: '512' }, autorestart: false, stopTimeoutMs: 1000, autostart: false, outFile };
  const sys = await system.start({ dir, services: [service] });
  try {
    const logFile = system.name === 'Hypha' ? join(sys.home, 'logs', 'flood.log') : outFile;
    const wroteBefore = writtenBytes(sys.pid);
    await sys.startService('flood');
    const done = await pollUntil(() => tailHas(logFile, LAST), 120_000, 5);
    const t1 = Date.now();
    if (!done) throw new Error(`${system.name}: the flood's last line never reached ${logFile}`);
    const peak = hwmMb(sys.pid);
    if (system.name !== 'Hypha') {
      const scan = scanLines([logFile]);
      return result(startStamp(stamp), t1, LINES - scan.count, peak);
    }
    // Each line in Hypha's file is `<ISO ts> stdout <text>\n`: 32 bytes more than the payload.
    const wrote = writtenBytes(sys.pid) - wroteBefore;
    const expected = payloadBytes() + LINES * 32;
    const scan = scanLines([`${logFile}.2`, `${logFile}.1`, logFile]);
    const tailLost = LINES - (scan.last ?? 0) + scan.gaps;
    const bytesLost = Math.max(0, Math.ceil((expected - wrote) / (expected / LINES)));
    return result(startStamp(stamp), t1, Math.max(tailLost, bytesLost), peak, `kept ${scan.count} lines after rotation; wrote ${(wrote / 1e6).toFixed(0)} MB`);
  } finally {
    await sys.shutdown();
  }
}
