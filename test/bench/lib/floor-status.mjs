// Floor for GET /api/services/status: a bare Node HTTP server that answers with the same
// statuses (read from $STATUS_FILE), serialised afresh per request as the daemon does. Prints
// `url=<base url>` once listening.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const services = JSON.parse(readFileSync(process.env.STATUS_FILE, 'utf8'));
const server = http.createServer((req, res) => {
  const text = JSON.stringify({ services: services.map((s) => ({ ...s })), timestamp: new Date().toISOString() });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});
server.listen(0, '127.0.0.1', () => console.log(`url=http://127.0.0.1:${server.address().port}`));
