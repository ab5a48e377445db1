/** HTML the fake LMS serves to the browser: its course page (which frames Pathwise) and its OIDC auth answer. */

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The LMS course page: Pathwise in a named iframe, and the platform side of LTI Platform Storage
 * (https://www.imsglobal.org/spec/lti-pm-s/v0p1): this window answers `lti.put_data` / `lti.get_data`
 * from the tool's origin with `*.response` messages, keeps the values in memory for the page's
 * lifetime (login and launch happen in one page load), and reports each exchange to its server.
 */
export function coursePage(opts: { title: string; loginUrl: string; toolOrigin: string; sandbox?: boolean }): string {
  // A sandbox without allow-same-origin gives the frame an opaque origin: no cookies, no web
  // storage, no platform storage answers (the "storage blocked too" case). Popups may open and
  // escape the sandbox, as a link with target=_blank needs.
  const sandbox = opts.sandbox ? ' sandbox="allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"' : '';
  const data = JSON.stringify({ toolOrigin: opts.toolOrigin }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(opts.title)} · Fake LMS</title>
<style>body{margin:0;font-family:sans-serif;background:#eef1f4}header{background:#1f3b57;color:#fff;padding:.6rem 1rem}
main{padding:1rem}iframe{display:block;width:100%;height:760px;border:1px solid #9aa5b1;background:#fff}</style></head>
<body><header><strong>Fake LMS</strong> · Algebra I · ${escape(opts.title)}</header>
<main><iframe name="pathwise" title="Pathwise"${sandbox} src="${escape(opts.loginUrl)}"></iframe></main>
<script>
(function () {
  var cfg = ${data};
  var store = new Map();
  function report(entry) {
    fetch('/storage-log', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry), keepalive: true });
  }
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!m || typeof m.subject !== 'string') return;
    if (event.origin !== cfg.toolOrigin) return;
    var reply = { subject: m.subject + '.response', message_id: m.message_id, key: m.key };
    if (m.subject === 'lti.put_data') {
      store.set(event.origin + ' ' + m.key, String(m.value));
      reply.value = m.value;
    } else if (m.subject === 'lti.get_data') {
      var k = event.origin + ' ' + m.key;
      if (store.has(k)) reply.value = store.get(k);
      else reply.error = { code: 'bad_request', message: 'no such key' };
    } else {
      return;
    }
    report({ subject: m.subject, key: m.key, value: reply.value === undefined ? null : reply.value, origin: event.origin });
    event.source.postMessage(reply, event.origin);
  });
})();
</script></body></html>`;
}

/** The OIDC authentication response: a form that posts id_token and state to the tool at once (response_mode=form_post). */
export function autoPostForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing in…</title></head><body>
<form id="f" method="post" action="${escape(action)}">${inputs}<noscript><button>Continue</button></noscript></form>
<script>document.getElementById('f').submit();</script></body></html>`;
}

/** The page the LMS shows after a deep linking response: what it added. */
export function returnPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake LMS</title></head><body><p id="lms-result">${escape(message)}</p></body></html>`;
}

/** A page framing `src` (another site): used to see whether that site's cookies survive in a frame. */
export function probePage(src: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head><body><iframe name="probe" title="probe" src="${escape(src)}"></iframe></body></html>`;
}
