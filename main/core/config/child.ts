// The config parser as a short child process, started by the daemon (host/config-loader.ts) at
// start and on every reload. It takes one ParseRequest over the IPC channel (the text the daemon
// read, or "the built-in config"), validates and normalises it (parse-request.ts), sends the
// LoadResult back (advanced serialisation: plain data, errors as values with file:line:col) and
// exits. Why a process and not a worker thread: yaml, zod and the schema cost the daemon ~24 MB of
// RSS for its whole life when loaded in it; a worker thread that ended still left ~10 MB behind
// (measured), an exited process leaves nothing. Started by hand it does nothing: it needs the
// parent's channel.
import { parseRequest, type ParseRequest } from './parse-request.js';

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write('hypha: the config parser runs as a child of the daemon, not by hand\n');
  process.exitCode = 2;
} else {
  process.once('message', (req) => {
    send(parseRequest(req as ParseRequest), undefined, {}, () => process.disconnect());
  });
}
