// Server-Sent Events fan-out: one subscription to the supervisor, each message serialized once and
// written to every client. A client that stops reading is dropped before it can hold much memory.
import type http from 'node:http';
import type { SupervisorControl } from '../contract/control.js';
import type { Disposable, SupervisorMessage } from '../contract/status.js';

const MAX_BUFFERED = 1024 * 1024;
const MAX_CLIENTS = 5000;
const HEARTBEAT_MS = 15_000;

export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseHub implements Disposable {
  private readonly clients = new Set<http.ServerResponse>();
  private sub: Disposable | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly sup: SupervisorControl) {}

  get size(): number {
    return this.clients.size;
  }

  attach(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.clients.size >= MAX_CLIENTS) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'too many event streams open' }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    let first = 'retry: 2000\n\n';
    for (const s of this.sup.list()) first += frame('status', s);
    res.write(first);
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.idle();
    };
    req.on('close', drop);
    res.on('error', drop);
    this.ensureSubscribed();
  }

  private ensureSubscribed(): void {
    if (this.sub) return;
    this.sub = this.sup.subscribe((m) => this.broadcast(m));
    this.heartbeat = setInterval(() => this.broadcastRaw(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private idle(): void {
    this.sub?.dispose();
    this.sub = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private broadcast(m: SupervisorMessage): void {
    this.broadcastRaw(frame(m.type, m.data));
  }

  private broadcastRaw(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED) {
        // A slow reader: cut it loose; it reconnects and gets a fresh snapshot.
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
    if (this.clients.size === 0) this.idle();
  }

  dispose(): void {
    for (const res of this.clients) res.destroy();
    this.clients.clear();
    this.idle();
  }
}
