// Follows the daemon's SSE stream (for `logs -f`) with a fetch-based reader and a well-kept parser.
// The daemon sends a `heartbeat` event every few seconds (its data names the interval); when two
// in a row are missed the daemon is frozen or gone, and following gives up with a message instead
// of hanging forever.
import { createParser } from 'eventsource-parser';
import type { LogLine } from '../contract/status.js';
import { CliError, type Client } from './client.js';

const DEFAULT_HEARTBEAT_MS = 5_000;

export interface EventStream {
  /** Resolves when the daemon closes the stream; rejects (CliError) when its heartbeats stop. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens /api/events and resolves once the daemon has answered, that is once this client is
 * subscribed: whatever happens from then on reaches `onEvent`.
 */
export async function followEvents(client: Client, onEvent: (event: string, data: unknown) => void): Promise<EventStream> {
  const abort = new AbortController();
  let res: Response;
  try {
    res = await fetch(`${client.info.url}/api/events`, {
      headers: { authorization: `Bearer ${client.info.token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
  } catch (err) {
    throw new CliError(`cannot follow events: ${(err as Error).message}`, 3);
  }
  if (!res.ok || !res.body) throw new CliError(`cannot follow events: HTTP ${res.status}`, 1);
  let heartbeatMs = DEFAULT_HEARTBEAT_MS;
  let lastHeard = Date.now();
  const parser = createParser({
    onEvent: (e) => {
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return; // A frame that is not JSON is not ours to print.
      }
      if (e.event === 'heartbeat') {
        const ms = (data as { intervalMs?: unknown } | null)?.intervalMs;
        if (typeof ms === 'number' && ms > 0) heartbeatMs = ms;
      }
      onEvent(e.event ?? 'message', data);
    },
  });
  const body = res.body as unknown as AsyncIterable<Uint8Array>;
  let silent = false;
  const watchdog = setInterval(() => {
    // Two heartbeats missed (with half an interval's grace): the daemon is not answering.
    if (Date.now() - lastHeard > 2.5 * heartbeatMs) {
      silent = true;
      abort.abort();
    }
  }, 250);
  watchdog.unref();
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        lastHeard = Date.now();
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } catch {
      // The daemon went away, or we closed the stream.
    } finally {
      clearInterval(watchdog);
    }
    if (silent) {
      throw new CliError(`no heartbeat from the daemon (pid ${client.info.pid}) for ${Math.round((2.5 * heartbeatMs) / 1000)} s; it is frozen or gone, so following stopped`, 1);
    }
  })();
  return { ended, close: () => abort.abort() };
}

/** The lines of `streamed` that the `tail` does not already end with. */
export function linesAfter(tail: LogLine[], streamed: LogLine[]): LogLine[] {
  const key = (l: LogLine): string => `${l.ts}\u0000${l.stream}\u0000${l.text}`;
  const inTail = new Set(tail.map(key));
  let last = -1;
  streamed.forEach((l, i) => {
    if (inTail.has(key(l))) last = i;
  });
  return streamed.slice(last + 1);
}
