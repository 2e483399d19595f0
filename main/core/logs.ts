// One service's log: the last lines in memory (a ring) and every line in a rotating file under
// $HYPHA_HOME/logs/. Output is taken in chunks and split once; the file is written in whole
// chunks, synchronously, so a flood is slowed down (the child blocks on its pipe) rather than
// lost or buffered without bound.
import fs from 'node:fs';
import path from 'node:path';
import type { LogLine, LogStream } from './types.js';

export interface LogOptions {
  ringLines: number;
  maxFileBytes: number;
  keepFiles: number;
  /** Lines per chunk passed on live; a flood beyond it is summarised, the file keeps every line. */
  liveLinesPerChunk: number;
}

export const defaultLogOptions: LogOptions = {
  ringLines: 1000,
  maxFileBytes: 10 * 1024 * 1024,
  keepFiles: 3,
  liveLinesPerChunk: 200,
};

class Ring<T> {
  private items: (T | undefined)[];
  private next = 0;
  private size = 0;
  constructor(private readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }
  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
  last(n: number): T[] {
    const count = Math.max(0, Math.min(n, this.size));
    const out: T[] = [];
    for (let i = count; i > 0; i--) {
      out.push(this.items[(this.next - i + this.capacity) % this.capacity] as T);
    }
    return out;
  }
}

export class ServiceLog {
  private readonly ring: Ring<LogLine>;
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private readonly file: string;
  private fd: number | null = null;
  private bytes = 0;
  private disposed = false;

  constructor(
    readonly id: string,
    dir: string | null,
    private readonly emit: (line: LogLine) => void,
    private readonly opts: LogOptions = defaultLogOptions,
  ) {
    this.ring = new Ring<LogLine>(opts.ringLines);
    this.file = dir ? path.join(dir, `${id}.log`) : '';
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      try {
        this.bytes = fs.statSync(this.file).size;
      } catch {
        this.bytes = 0;
      }
    }
  }

  /** Takes a chunk of a child's output. */
  ingest(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lastNl = text.lastIndexOf('\n');
    if (lastNl === -1) {
      this.partial[stream] = text;
      // A line with no end in sight is cut so memory stays bounded.
      if (text.length > 64 * 1024) this.flushPartial(stream);
      return;
    }
    this.partial[stream] = text.slice(lastNl + 1);
    const lines = text.slice(0, lastNl).split('\n');
    this.addLines(stream, lines);
  }

  /** A child's stream ended: keep what it wrote without a final newline. */
  flushPartial(stream: 'stdout' | 'stderr'): void {
    const rest = this.partial[stream];
    this.partial[stream] = '';
    if (rest.length > 0) this.addLines(stream, [rest]);
  }

  /** A supervisor line (started, exited, restarting…). */
  supervisor(text: string): void {
    this.addLines('supervisor', [text]);
  }

  tail(n: number): LogLine[] {
    return this.ring.last(n);
  }

  private addLines(stream: LogStream, lines: string[]): void {
    const ts = new Date().toISOString();
    const n = lines.length;
    const keepFrom = Math.max(0, n - this.opts.ringLines);
    const liveFrom = Math.max(0, n - this.opts.liveLinesPerChunk);
    if (liveFrom > 0) {
      this.emit({ ts, stream: 'supervisor', text: `… ${liveFrom} lines not shown live (all are in the log file)` });
    }
    let out = '';
    for (let i = 0; i < n; i++) {
      const raw = lines[i] as string;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (this.file) out += `${ts} ${stream} ${text}\n`;
      if (i >= keepFrom) {
        const line: LogLine = { ts, stream, text };
        this.ring.push(line);
        if (i >= liveFrom) this.emit(line);
      }
    }
    this.write(out);
  }

  // Synchronous appends: a chunk is at most a pipe's worth (64 KiB), the page cache takes it in
  // microseconds, and nothing queues in memory, so a flood costs no RAM and rotation never races
  // a pending write.
  private write(out: string): void {
    if (!this.file || this.disposed || out.length === 0) return;
    if (this.bytes >= this.opts.maxFileBytes) this.rotate();
    try {
      this.fd ??= fs.openSync(this.file, 'a', 0o600);
      const buf = Buffer.from(out);
      fs.writeSync(this.fd, buf);
      this.bytes += buf.length;
    } catch {
      // A full disk or a removed folder must not take the supervisor down; the ring keeps lines.
      this.closeFd();
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

  private rotate(): void {
    this.closeFd();
    try {
      for (let i = this.opts.keepFiles - 1; i >= 1; i--) {
        const from = i === 1 ? this.file : `${this.file}.${i - 1}`;
        if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i}`);
      }
    } catch {
      // Rotation is best effort; the next write starts a fresh file either way.
    }
    this.bytes = 0;
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.closeFd();
    return Promise.resolve();
  }
}
