// Asks for the dashboard's first status while the app bundle is still downloading and parsing,
// so the answer is waiting when the app starts (issue 16: first render). A plain `async` script,
// not a module: it runs as soon as it arrives, never blocks the page, never waits for the bundle. The token is found as
// src/transport/token.ts finds it (URL fragment, then this tab's storage); the app still takes
// it out of the address bar. In Electron (window.hypha) there is nothing to fetch.
// The page itself carries no status: it is served without a token, so statuses cannot be inlined.
(function () {
  'use strict';
  // Electron has IPC; and if the app already started (this arrived late), it asked by itself.
  if (window.hypha || window.__hyphaStarted) return;
  var token = null;
  try {
    token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') || sessionStorage.getItem('hypha.token');
  } catch (e) {
    return;
  }
  if (!token) return;
  var init = { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' };
  var ask = function (path) {
    var answer = fetch(path, init);
    answer.catch(function () {}); // the app reports failures when it reads the answer
    return answer;
  };
  window.__hyphaEarly = { token: token, list: ask('/api/services/status'), info: ask('/api/info') };
})();
