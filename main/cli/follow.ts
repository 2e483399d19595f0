// Follows the daemon's SSE stream (for `logs -f`) with a fetch-based reader and a well-kept parser.
import { createParser } from 'eventsource-parser';
import type { LogLine } from '../contract/status.js';
import { CliError, type Client } from './client.js';

export interface EventStream {
  /** Resolves when the daemon closes the stream (or goes away). */
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
  const parser = createParser({
    onEvent: (e) => {
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return; // A frame that is not JSON is not ours to print.
      }
      onEvent(e.event ?? 'message', data);
    },
  });
  const body = res.body as unknown as AsyncIterable<Uint8Array>;
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // The daemon went away, or we closed the stream.
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
