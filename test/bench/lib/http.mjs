// A lean HTTP client for timing the API: node:http with one keep-alive agent, so a round trip
// measures the daemon, not the client's connection setup.
import http from 'node:http';

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * @param {string} url
 * @param {{method?: string, headers?: Record<string, string>, body?: string | Buffer, agent?: http.Agent | false, timeoutMs?: number}} [opts]
 * @returns {Promise<{status: number, text: string, ms: number}>}
 */
export function request(url, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? keepAlive }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`timed out: ${opts.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Times `/api/ping` every `everyMs` for `forMs`; resolves with the round-trip times in ms. */
export async function pingTimes(baseUrl, forMs, everyMs = 50) {
  const times = [];
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const t = Date.now();
    try {
      times.push((await request(`${baseUrl}/api/ping`, { timeoutMs: 5000 })).ms);
    } catch {
      times.push(5000);
    }
    const wait = everyMs - (Date.now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return times;
}
