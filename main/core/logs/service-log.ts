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
import fs from 'node:fs';
import path from 'node:path';
import type { LogLine, LogStream } from '../../contract/status.js';

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

/** Lines kept as the blocks they arrived in; split into LogLine objects only when asked for. */
interface Block {
  ts: string;
  stream: LogStream;
  /** Whole lines joined by \n, no final newline. */
  text: string;
  count: number;
}

function countLines(block: string): number {
  let n = 1;
  for (let i = block.indexOf('\n'); i !== -1; i = block.indexOf('\n', i + 1)) n++;
  return n;
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
      this.total -= (this.blocks.shift() as Block).count;
    }
  }

  last(n: number): LogLine[] {
    const want = Math.max(0, Math.min(n, this.capacity, this.total));
    const out: LogLine[] = [];
    for (let b = this.blocks.length - 1; b >= 0 && out.length < want; b--) {
      const block = this.blocks[b] as Block;
      const lines = block.text.split('\n');
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

  /** Takes a chunk of a child's output. */
  ingest(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const held = this.partial[stream];
    const buf = held.length === 0 ? bytes : Buffer.concat([held, bytes]);
    const lastNl = buf.lastIndexOf(10);
    if (lastNl === -1) {
      this.partial[stream] = held.length === 0 ? Buffer.from(buf) : buf;
      // A line with no end in sight is cut (between characters) so memory stays bounded.
      if (buf.length > MAX_PARTIAL) this.cutPartial(stream, completeUtf8Length(buf));
      return;
    }
    this.partial[stream] = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : EMPTY;
    const raw = buf.subarray(0, lastNl);
    this.addBlock(stream, raw.toString('utf8'), raw);
  }

  /** A child's stream ended: keep what it wrote without a final newline. */
  flushPartial(stream: 'stdout' | 'stderr'): void {
    this.cutPartial(stream, this.partial[stream].length);
  }

  private cutPartial(stream: 'stdout' | 'stderr', length: number): void {
    const held = this.partial[stream];
    if (length === 0) return;
    this.partial[stream] = length < held.length ? Buffer.from(held.subarray(length)) : EMPTY;
    const raw = held.subarray(0, length);
    this.addBlock(stream, raw.toString('utf8'), raw);
  }

  /** A supervisor line (started, exited, restarting…). */
  supervisor(text: string): void {
    this.addBlock('supervisor', text.replaceAll('\n', ' '));
  }

  tail(n: number): LogLine[] {
    return this.ring.last(n);
  }

  /**
   * Whole lines, without the final newline. The file gets them with one native replace per
   * chunk, the ring keeps the block as it is, and only the lines shown live become objects, so a
   * flood costs a copy per chunk, not work per line.
   */
  private addBlock(stream: LogStream, block: string, raw?: Buffer): void {
    const ts = new Date().toISOString();
    const count = countLines(block);
    if (this.file) {
      const prefix = this.opts.timestamps === false ? `${stream} ` : `${ts} ${stream} `;
      // latin1 maps each byte to one code unit and back, so the child's bytes reach the file as they came.
      if (raw) this.write(prefix + raw.toString('latin1').replaceAll('\n', `\n${prefix}`) + '\n', 'latin1', count);
      else {
        // A supervisor line alone (a failed start, a stop) does not keep the file open: a
        // thousand stopped or failed services must not hold a thousand descriptors.
        const wasOpen = this.fd !== null;
        this.write(prefix + block.replaceAll('\n', `\n${prefix}`) + '\n', 'utf8', count);
        if (!wasOpen) this.closeFd();
      }
    }
    this.ring.push({ ts, stream, text: block, count });
    if (!this.live()) return;
    if (count === 1) {
      this.emit(toLine(ts, stream, block));
      return;
    }
    const shown = Math.min(count, this.opts.liveLinesPerChunk);
    if (count > shown) this.emit({ ts, stream: 'supervisor', text: `… ${count - shown} lines not shown live (all are in the log file)` });
    let from = block.length;
    for (let i = 0; i < shown; i++) from = block.lastIndexOf('\n', from - 1);
    for (const raw of block.slice(from + 1).split('\n')) this.emit(toLine(ts, stream, raw));
  }

  // Synchronous appends: a chunk is at most a pipe's worth (64 KiB), the page cache takes it in
  // microseconds, and nothing queues in memory, so a flood costs no RAM and rotation never races
  // a pending write.
  private write(out: string, encoding: BufferEncoding, lines: number): void {
    if (!this.file || this.disposed || out.length === 0) return;
    if (this.bytes >= this.opts.maxFileBytes) this.rotate();
    try {
      this.fd ??= fs.openSync(this.file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600);
      const data = Buffer.from(out, encoding);
      let done = 0;
      while (done < data.length) done += fs.writeSync(this.fd, data, done);
      this.bytes += done;
    } catch (err) {
      // A full disk or a removed folder must not take the supervisor down; the ring keeps lines.
      this.closeFd();
      this.missedLines += lines;
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
