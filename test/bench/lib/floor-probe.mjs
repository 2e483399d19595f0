// Floor for "CPU with N services HTTP-probed every second": a bare Node process that GETs
// /health on each port of $PORTS_FILE once a second (spread over the second, one keep-alive
// agent) and answers GET /api/ping on 127.0.0.1, so it can be timed like the daemon. Prints
// `url=<base url>` once listening.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const ports = JSON.parse(readFileSync(process.env.PORTS_FILE, 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const probe = (port) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', resolve);
  });
ports.forEach((port, i) => {
  setTimeout(() => {
    const tick = () => void probe(port).then(() => setTimeout(tick, 1000));
    tick();
  }, (i / ports.length) * 1000);
});
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
server.listen(0, '127.0.0.1', () => console.log(`url=http://127.0.0.1:${server.address().port}`));
