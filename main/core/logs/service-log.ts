// One service's log: the last lines in memory (a ring) and every line in a rotating file under
// $HYPHA_HOME/logs/. Output is taken in chunks and split once; the file is written in whole
// chunks, synchronously, so a flood is slowed down (the child blocks on its pipe) rather than
// lost or buffered without bound.
//
// Output is kept as bytes until a newline: a newline byte never occurs inside a UTF-8 sequence,
// so whole lines decode without ever splitting a character across reads (no U+FFFD for valid
// text). The file gets the child's raw bytes (invalid ones too, unchanged); only the ring and the
// live stream see decoded text. The file is opened with O_NOFOLLOW, so a link planted in the logs
// folder captures nothing. A write that fails (full disk, removed folder) is reported once through
// `onWriteProblem` and in `writeError`; supervision goes on, and the next write that succeeds
// reports the recovery and how many lines the file is missing.
//
// A flood's cost is per chunk, not per line, and stays off the V8 heap where it can: the ring
// keeps a chunk's bytes as they came (decoded only when someone asks for the tail), lines become
// objects only for live viewers, and the file's prefixed copy is laid out in a reused buffer.
// (Decoding every chunk for the ring made each scavenge of the daemon's 1 MB young generation
// copy the ring's newest 64 KB strings: GC was a fifth of the daemon's time in a flood.)
import fs from 'node:fs';
import path from 'node:path';
import type { LogLine, LogStream } from '../../contract/status.js';
import { writeAll, writePrefixedLines } from './prefixed-write.js';
import { keep, release, type Kept } from './kept-bytes.js';

export interface LogOptions {
  ringLines: number;
  maxFileBytes: number;
  keepFiles: number;
  /** Lines per chunk passed on live; a flood beyond it is summarised, the file keeps every line. */
  liveLinesPerChunk: number;
  /** Start each file line with its ISO time (default true; `log.timestamps`). */
  timestamps?: boolean;
  /** The file instead of DIR/ID.log (`log.file`). */
  file?: string | null;
}

export const defaultLogOptions: LogOptions = {
  ringLines: 1000,
  maxFileBytes: 10 * 1024 * 1024,
  keepFiles: 3,
  liveLinesPerChunk: 200,
};

/**
 * Lines kept as the blocks they arrived in; split into LogLine objects only when asked for. A
 * child's output stays bytes (a copy, see kept-bytes.ts) until the ring is read; a supervisor
 * line is text from the start.
 */
interface Block {
  ts: string;
  stream: LogStream;
  /** Whole lines joined by \n, no final newline; null until the bytes are decoded. */
  text: string | null;
  kept: Kept | null;
  count: number;
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function decode(head: Buffer | null, bytes: Buffer): string {
  return head && head.length > 0 ? Buffer.concat([head, bytes]).toString('utf8') : bytes.toString('utf8');
}

function blockText(block: Block): string {
  if (block.text === null) {
    const kept = block.kept as Kept;
    block.text = kept.bytes.toString('utf8');
    block.kept = null;
    release(kept.slab);
  }
  return block.text;
}

function toLine(ts: string, stream: LogStream, raw: string): LogLine {
  return { ts, stream, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
}

class BlockRing {
  private blocks: Block[] = [];
  private total = 0;
  constructor(private readonly capacity: number) {}

  push(block: Block): void {
    this.blocks.push(block);
    this.total += block.count;
    // Drop whole blocks while the rest still holds `capacity` lines.
    while (this.blocks.length > 1 && this.total - (this.blocks[0] as Block).count >= this.capacity) {
      const gone = this.blocks.shift() as Block;
      this.total -= gone.count;
      if (gone.kept) release(gone.kept.slab);
    }
  }

  last(n: number): LogLine[] {
    const want = Math.max(0, Math.min(n, this.capacity, this.total));
    const out: LogLine[] = [];
    for (let b = this.blocks.length - 1; b >= 0 && out.length < want; b--) {
      const block = this.blocks[b] as Block;
      const lines = blockText(block).split('\n');
      for (let i = lines.length - 1; i >= 0 && out.length < want; i--) out.push(toLine(block.ts, block.stream, lines[i] as string));
    }
    return out.reverse();
  }
}

const EMPTY = Buffer.alloc(0);
const MAX_PARTIAL = 64 * 1024;
const { O_WRONLY, O_CREAT, O_APPEND, O_NOFOLLOW } = fs.constants;

/** How many bytes of `buf` end in whole UTF-8 characters (an incomplete trailing one is left out). */
export function completeUtf8Length(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

export class ServiceLog {
  private readonly ring: BlockRing;
  private readonly partial: Record<'stdout' | 'stderr', Buffer> = { stdout: EMPTY, stderr: EMPTY };
  /** Why the log file cannot be written right now, or null. */
  writeError: string | null = null;
  /** Lines the file missed since writing began to fail. */
  private missedLines = 0;
  /** Told when writing begins to fail (a message) and when it works again (null, with what was lost). */
  onWriteProblem: ((error: string | null, detail: string) => void) | null = null;
  private file: string;
  private fd: number | null = null;
  private bytes = 0;
  private disposed = false;
  /** Old rotated files being deleted off the event loop; dispose() waits for them. */
  private readonly unlinking = new Set<Promise<void>>();

  constructor(
    readonly id: string,
    dir: string | null,
    private readonly emit: (line: LogLine) => void,
    private opts: LogOptions = defaultLogOptions,
    /** Whether anyone watches live (no objects are made for a flood nobody sees). */
    private readonly live: () => boolean = () => true,
  ) {
    this.ring = new BlockRing(opts.ringLines);
    this.file = '';
    this.useFile(opts.file ?? (dir ? path.join(dir, `${id}.log`) : ''));
  }

  private useFile(file: string): void {
    this.file = file;
    this.bytes = 0;
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.bytes = fs.statSync(file).size;
    } catch {
      this.bytes = 0;
    }
  }

  /**
   * A reload changed `log:` (size, keep, timestamps, or the file itself): applies from the next
   * line, to the same ring. A new file is opened on the next write; the old one is left as it is.
   */
  reconfigure(opts: Pick<LogOptions, 'maxFileBytes' | 'keepFiles' | 'timestamps' | 'file'>, dir: string | null): void {
    const file = opts.file ?? (dir ? path.join(dir, `${this.id}.log`) : '');
    this.opts = { ...this.opts, ...opts };
    if (file === this.file) return;
    this.closeFd();
    this.writeError = null;
    this.missedLines = 0;
    this.useFile(file);
  }

  /** Takes a chunk of a child's output; the chunk is not kept (its buffer may be reused at once). */
  ingest(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const held = this.partial[stream];
    const lastNl = bytes.lastIndexOf(10);
    if (lastNl === -1) {
      const buf = held.length === 0 ? Buffer.from(bytes) : Buffer.concat([held, bytes]);
      this.partial[stream] = buf;
      // A line with no end in sight is cut (between characters) so memory stays bounded.
      if (buf.length > MAX_PARTIAL) this.cutPartial(stream, completeUtf8Length(buf));
      return;
    }
    this.partial[stream] = lastNl + 1 < bytes.length ? Buffer.from(bytes.subarray(lastNl + 1)) : EMPTY;
    // The held start of the first line is written and kept beside the chunk, not copied into it.
    this.addBytes(stream, held.length === 0 ? null : held, bytes.subarray(0, lastNl));
  }

  /** A child's stream ended: keep what it wrote without a final newline. */
  flushPartial(stream: 'stdout' | 'stderr'): void {
    this.cutPartial(stream, this.partial[stream].length);
  }

  private cutPartial(stream: 'stdout' | 'stderr', length: number): void {
    const held = this.partial[stream];
    if (length === 0) return;
    this.partial[stream] = length < held.length ? Buffer.from(held.subarray(length)) : EMPTY;
    this.addBytes(stream, null, held.subarray(0, length));
  }

  /** A supervisor line (started, exited, restarting…). */
  supervisor(text: string): void {
    const block = text.replaceAll('\n', ' ');
    const ts = new Date().toISOString();
    if (this.file) {
      // A supervisor line alone (a failed start, a stop) does not keep the file open: a
      // thousand stopped or failed services must not hold a thousand descriptors.
      const wasOpen = this.fd !== null;
      const data = Buffer.from(`${this.prefix(ts, 'supervisor')}${block}\n`, 'utf8');
      this.write(() => {
        writeAll(this.fd as number, data);
        return data.length;
      }, () => 1);
      if (!wasOpen) this.closeFd();
    }
    this.ring.push({ ts, stream: 'supervisor', text: block, kept: null, count: 1 });
    if (this.live()) this.emit(toLine(ts, 'supervisor', block));
  }

  tail(n: number): LogLine[] {
    return this.ring.last(n);
  }

  private prefix(ts: string, stream: LogStream): string {
    return this.opts.timestamps === false ? `${stream} ` : `${ts} ${stream} `;
  }

  /**
   * Whole lines of a child's output (`head` + `body`, no final newline). The file gets the bytes as
   * they came, each line behind its prefix (prefixed-write.ts, off the V8 heap), the ring keeps
   * the bytes as they are, and only the lines shown live are decoded and become objects, so a
   * flood costs a copy per chunk, not objects per line.
   */
  private addBytes(stream: 'stdout' | 'stderr', head: Buffer | null, body: Buffer): void {
    const ts = new Date().toISOString();
    let count = -1;
    if (this.file && !this.disposed) {
      const prefix = Buffer.from(this.prefix(ts, stream), 'latin1');
      this.write(() => {
        const done = writePrefixedLines(this.fd as number, prefix, head, body);
        count = done.lines;
        return done.bytes;
      }, () => countNewlines(body) + 1);
    }
    if (count < 0) count = countNewlines(body) + 1;
    this.ring.push({ ts, stream, text: null, kept: keep(head, body), count });
    if (!this.live()) return;
    const limit = this.opts.liveLinesPerChunk;
    if (count <= limit) {
      for (const raw of decode(head, body).split('\n')) this.emit(toLine(ts, stream, raw));
      return;
    }
    this.emit({ ts, stream: 'supervisor', text: `… ${count - limit} lines not shown live (all are in the log file)` });
    // The last `limit` lines: past the newline before them (there are more lines than that).
    let from = body.length;
    for (let i = 0; i < limit; i++) from = body.lastIndexOf(10, from - 1);
    for (const raw of body.subarray(from + 1).toString('utf8').split('\n')) this.emit(toLine(ts, stream, raw));
  }

  // Synchronous appends: a chunk is at most a pipe's worth (64 KiB), the page cache takes it in
  // microseconds, and nothing queues in memory, so a flood costs no RAM and rotation never races
  // a pending write. `put` writes to this.fd and returns the bytes written; `lines` says how many
  // lines the file misses when it fails.
  private write(put: () => number, lines: () => number): void {
    if (!this.file || this.disposed) return;
    if (this.bytes >= this.opts.maxFileBytes) this.rotate();
    try {
      this.fd ??= fs.openSync(this.file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600);
      this.bytes += put();
    } catch (err) {
      // A full disk or a removed folder must not take the supervisor down; the ring keeps lines.
      this.closeFd();
      this.missedLines += lines();
      if (this.writeError === null) {
        this.writeError = `cannot write log file ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        const message = this.writeError;
        queueMicrotask(() => this.onWriteProblem?.(message, message));
      }
      return;
    }
    if (this.writeError !== null) {
      const detail = `log file writable again; ${this.missedLines} line${this.missedLines === 1 ? '' : 's'} missing from it`;
      this.writeError = null;
      this.missedLines = 0;
      queueMicrotask(() => this.onWriteProblem?.(null, detail));
    }
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Already closed.
    }
    this.fd = null;
  }

  /**
   * Shifts `x.log` → `x.log.1` → … and drops the oldest. The oldest is first renamed aside (a
   * rename onto an existing file makes the kernel free its 10 MB right there, on this thread) and
   * then unlinked asynchronously, off the event loop.
   */
  private rotate(): void {
    this.closeFd();
    try {
      const oldest = `${this.file}.${this.opts.keepFiles - 1}`;
      if (this.opts.keepFiles > 1 && fs.existsSync(oldest)) {
        const aside = `${oldest}.${process.pid}-${Date.now()}.old`;
        fs.renameSync(oldest, aside);
        const gone = fs.promises.unlink(aside).catch(() => undefined);
        this.unlinking.add(gone);
        void gone.finally(() => this.unlinking.delete(gone));
      }
      for (let i = this.opts.keepFiles - 1; i >= 1; i--) {
        const from = i === 1 ? this.file : `${this.file}.${i - 1}`;
        if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i}`);
      }
    } catch {
      // Rotation is best effort; the next write starts a fresh file either way.
    }
    this.bytes = 0;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.closeFd();
    await Promise.all(this.unlinking);
  }
}
