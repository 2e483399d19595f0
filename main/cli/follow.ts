// Follows the daemon's SSE stream (for `logs -f`) with a fetch-based reader and a well-kept parser.
import { createParser } from 'eventsource-parser';
import { CliError, type Client } from './client.js';

export async function followEvents(client: Client, onEvent: (event: string, data: unknown) => void): Promise<void> {
  const res = await fetch(`${client.info.url}/api/events`, { headers: { authorization: `Bearer ${client.info.token}`, accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new CliError(`cannot follow events: HTTP ${res.status}`, 1);
  const parser = createParser({
    onEvent: (e) => {
      try {
        onEvent(e.event ?? 'message', JSON.parse(e.data));
      } catch {
        // A frame that is not JSON is not ours to print.
      }
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  } catch {
    // The daemon went away.
  }
  throw new CliError('the daemon closed the event stream', 1);
}
