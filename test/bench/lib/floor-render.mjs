// Floor for the dashboard's first render: a bare Node HTTP server and a page with no framework.
// The page carries the same statuses the daemon answered (read from $STATUS_FILE) inline, as a
// JSON data block, and a small same-origin script builds one row per service and the summary
// line the bench waits for ("N of N online"), under the same strict CSP as the dashboard.
// What is left is what any page showing these rows must pay in this browser: one HTML response,
// one script, parsing the JSON, building and laying out the rows. Prints `url=<base url>`.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const services = JSON.parse(readFileSync(process.env.STATUS_FILE, 'utf8'));
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

// `<` escaped as \u003c: no `</script>` (or `<!--`) in a service's name can end the data block.
const inline = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

const css = `body{font:14px system-ui,sans-serif;margin:0 24px}ul{list-style:none;padding:0}
li{display:grid;grid-template-columns:90px 1fr repeat(4,80px);gap:8px;padding:12px;margin:0 0 8px;border:1px solid #ddd;border-radius:8px}
.badge{font-weight:600}`;

const js = `(function () {
  var data = JSON.parse(document.getElementById('status').textContent);
  var list = document.createElement('ul');
  var online = 0;
  for (var i = 0; i < data.services.length; i++) {
    var s = data.services[i];
    if (s.status === 'online') online++;
    var li = document.createElement('li');
    li.setAttribute('data-service', s.id);
    var cells = [s.status, s.name, s.pid == null ? '—' : String(s.pid), s.port == null ? '—' : String(s.port), String(s.restarts), s.health || '—'];
    for (var j = 0; j < cells.length; j++) {
      var span = document.createElement('span');
      if (j === 0) span.className = 'badge';
      span.textContent = cells[j];
      li.appendChild(span);
    }
    list.appendChild(li);
  }
  var p = document.createElement('p');
  p.className = 'summary';
  var strong = document.createElement('strong');
  strong.textContent = online + ' of ' + data.services.length + ' online';
  p.appendChild(strong);
  var root = document.getElementById('root');
  root.appendChild(p);
  root.appendChild(list);
})();`;

function page() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/floor.css"></head><body><div id="root"></div>
<script type="application/json" id="status">${inline({ services, timestamp: new Date().toISOString() })}</script>
<script src="/floor.js"></script></body></html>`;
}

const server = http.createServer((req, res) => {
  const [type, body] = req.url === '/floor.js' ? ['text/javascript', js] : req.url === '/floor.css' ? ['text/css', css] : ['text/html', page()];
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body), 'content-security-policy': CSP, 'cache-control': 'no-cache' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`url=http://127.0.0.1:${server.address().port}`));
