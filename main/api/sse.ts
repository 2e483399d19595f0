// Server-Sent Events fan-out: one subscription to the supervisor; the messages of one turn of the
// event loop are serialized and encoded once, as one buffer shared by every client, so a flood
// costs one write per client per turn rather than one per message.
//
// A client that stops reading is dropped early: when its unsent data passes MAX_BUFFERED, or when
// it has not drained for SLOW_MS. Thousands of idle clients during a log flood thus hold a bounded
// amount of memory and never stall the loop (or /api/ping). Every HEARTBEAT_MS each client gets a
// `heartbeat` event (its data says the interval), so a follower can tell a frozen daemon from a
// quiet one; the first one is sent on connect.
import type http from 'node:http';
import type { SupervisorControl } from '../contract/control.js';
import type { Disposable, SupervisorMessage } from '../contract/status.js';

const MAX_BUFFERED = 256 * 1024;
const SLOW_MS = 5_000;
const MAX_CLIENTS = 5000;
const DEFAULT_HEARTBEAT_MS = 5_000;

export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The heartbeat interval: HYPHA_SSE_HEARTBEAT_MS (tests shorten it), else 5 s. */
export function heartbeatMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HYPHA_SSE_HEARTBEAT_MS);
  return Number.isFinite(n) && n >= 100 ? n : DEFAULT_HEARTBEAT_MS;
}

interface Client {
  res: http.ServerResponse;
  /** When its socket last refused more (write returned false) without draining since; 0 = flowing. */
  blockedSince: number;
}

export class SseHub implements Disposable {
  private readonly clients = new Set<Client>();
  private sub: Disposable | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private pending: string[] = [];
  private flushing: NodeJS.Immediate | null = null;
  private readonly heartbeatEvery: number;

  constructor(
    private readonly sup: SupervisorControl,
    opts: { heartbeatMs?: number } = {},
  ) {
    this.heartbeatEvery = opts.heartbeatMs ?? heartbeatMs();
  }

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
    let first = 'retry: 2000\n\n' + this.heartbeatFrame();
    for (const s of this.sup.list()) first += frame('status', s);
    const client: Client = { res, blockedSince: 0 };
    this.clients.add(client);
    this.send(client, Buffer.from(first));
    const drop = (): void => {
      if (!this.clients.delete(client)) return;
      if (this.clients.size === 0) this.idle();
    };
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
    res.on('drain', () => (client.blockedSince = 0));
    this.ensureSubscribed();
  }

  private heartbeatFrame(): string {
    return frame('heartbeat', { intervalMs: this.heartbeatEvery });
  }

  private ensureSubscribed(): void {
    if (this.sub) return;
    this.sub = this.sup.subscribe((m) => this.broadcast(m));
    this.heartbeat = setInterval(() => this.queue(this.heartbeatFrame()), this.heartbeatEvery);
    this.heartbeat.unref();
  }

  private idle(): void {
    this.sub?.dispose();
    this.sub = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.pending = [];
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
  }

  private broadcast(m: SupervisorMessage): void {
    this.queue(frame(m.type, m.data));
  }

  private queue(text: string): void {
    this.pending.push(text);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = null;
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    const now = Date.now();
    for (const c of this.clients) {
      if (c.res.writableLength > MAX_BUFFERED || (c.blockedSince > 0 && now - c.blockedSince > SLOW_MS)) {
        // A slow reader: cut it loose; it reconnects and gets a fresh snapshot.
        this.clients.delete(c);
        c.res.destroy();
        continue;
      }
      this.send(c, data, now);
    }
    if (this.clients.size === 0) this.idle();
  }

  private send(c: Client, data: Buffer, now = Date.now()): void {
    if (!c.res.write(data) && c.blockedSince === 0) c.blockedSince = now;
  }

  dispose(): void {
    for (const c of this.clients) c.res.destroy();
    this.clients.clear();
    this.idle();
  }
}
