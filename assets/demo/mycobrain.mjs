#!/usr/bin/env node
// MycoBrain: the demo daemon Hypha runs when there is no hypha.yaml. Plain Node, no dependencies.
// It behaves like a real small service so the tray, logs and health checks have something to show:
// an HTTP server on 127.0.0.1:$PORT (GET /health, GET /), periodic log lines, a warning now and
// then on stderr, and a clean exit on SIGTERM/SIGINT.
//
// Knobs for demos and tests (all optional):
//   PORT                         port to serve (default 8765)
//   MYCOBRAIN_INDEX_INTERVAL_MS  time between "indexed N spores" lines (default 3000)
//   MYCOBRAIN_UNHEALTHY=1        /health answers 503, to show an unhealthy service
//   MYCOBRAIN_CRASH_AFTER_MS     exit 1 after this long, to show restarts and backoff
import { createServer } from 'node:http';

const VERSION = '1.4.2';
const HOST = '127.0.0.1';
const port = parsePort(process.env.PORT ?? '8765');
const indexEveryMs = positiveInt(process.env.MYCOBRAIN_INDEX_INTERVAL_MS, 3000);
const unhealthy = process.env.MYCOBRAIN_UNHEALTHY === '1';
const crashAfterMs = positiveInt(process.env.MYCOBRAIN_CRASH_AFTER_MS, 0);
const startedAt = Date.now();

let sporesIndexed = 0;
let batches = 0;
const timers = [];

function info(text) {
  process.stdout.write(`INFO  ${text}\n`);
}
function warn(text) {
  process.stderr.write(`WARN  ${text}\n`);
}
function error(text) {
  process.stderr.write(`ERROR ${text}\n`);
}

function parsePort(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    error(`PORT must be a port number (0-65535), got "${text}"`);
    process.exit(2);
  }
  return n;
}

function positiveInt(text, fallback) {
  const n = Number(text);
  return text !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
  if (path === '/health') {
    return unhealthy ? json(res, 503, { status: 'degraded' }) : json(res, 200, { status: 'ok' });
  }
  if (path === '/') {
    return json(res, 200, {
      name: 'MycoBrain',
      version: VERSION,
      description: 'Demo daemon bundled with Hypha: indexes imaginary spores.',
      pid: process.pid,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      sporesIndexed,
      endpoints: ['/', '/health'],
    });
  }
  json(res, 404, { error: `no route ${path}` });
});

server.on('error', (err) => {
  if (err.code === 'EADDRINUSE') error(`port ${port} is already in use`);
  else error(`server error: ${err.message}`);
  process.exit(1);
});

info(`MycoBrain v${VERSION} starting (pid ${process.pid}, node ${process.version})`);
info('loading mycelium graph: 3 substrates, 12 hyphal clusters');

server.listen(port, HOST, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  info(`listening on http://${HOST}:${actual}`);
  timers.push(setInterval(indexBatch, indexEveryMs));
  if (crashAfterMs > 0) {
    timers.push(
      setTimeout(() => {
        error('lost contact with the substrate, exiting');
        process.exit(1);
      }, crashAfterMs),
    );
  }
});

function indexBatch() {
  batches++;
  const found = 20 + Math.floor(Math.random() * 180);
  sporesIndexed += found;
  const tookMs = 5 + Math.floor(Math.random() * 40);
  info(`indexed ${found} spores (${sporesIndexed} total) in ${tookMs}ms`);
  if (batches % 7 === 0) warn(`slow hyphal branch #${100 + Math.floor(Math.random() * 900)}: took ${300 + Math.floor(Math.random() * 900)}ms`);
}

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  info(`received ${signal}, shutting down`);
  for (const t of timers) clearInterval(t);
  server.close(() => {
    info(`stopped after indexing ${sporesIndexed} spores`);
    process.exit(0);
  });
  server.closeAllConnections();
  // Should a client hold the server open, do not hang the supervisor's stop.
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
