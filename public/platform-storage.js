/* global window, document, setTimeout */
// LTI Platform Storage (https://www.imsglobal.org/spec/lti-pm-s/v0p1, https://www.imsglobal.org/spec/lti-cs-oidc/v0p1):
// at login, put this state's nonce into the platform; at launch without cookies, get it back and re-post.
(function () {
  'use strict';
  var dataEl = document.getElementById('lti-storage-data');
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var TIMEOUT_MS = 3000;

  // The platform names the frame that answers; fall back to our opener or parent.
  function targetWindow() {
    try {
      var parent = window.parent || window.opener;
      if (data.target && data.target !== '_parent' && parent && parent.frames && parent.frames[data.target]) {
        return parent.frames[data.target];
      }
    } catch {
      // Cross-origin access to frames by name is allowed; anything else falls through.
    }
    return window.opener || (window.parent !== window ? window.parent : null);
  }

  function send(message, done) {
    var target = targetWindow();
    if (!target) return done(null);
    var id = 'pw-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
    var finished = false;
    function finish(value) {
      if (finished) return;
      finished = true;
      window.removeEventListener('message', onMessage);
      done(value);
    }
    function onMessage(event) {
      // Only the platform's origin may answer, and only to this message.
      if (event.origin !== data.origin || !event.data || event.data.message_id !== id) return;
      if (event.data.subject !== message.subject + '.response') return;
      finish(event.data.error ? null : event.data);
    }
    window.addEventListener('message', onMessage);
    message.message_id = id;
    try {
      target.postMessage(message, data.origin);
    } catch {
      return finish(null);
    }
    setTimeout(function () { finish(null); }, TIMEOUT_MS);
  }

  if (data.mode === 'put') {
    send({ subject: data.subject, key: data.key, value: data.value }, function () {
      // Go on even if storing failed: the state cookie may still work.
      window.location.replace(data.next);
    });
  } else if (data.mode === 'get') {
    send({ subject: data.subject, key: data.key }, function (response) {
      var form = document.getElementById('lti-repost');
      var proof = document.getElementById('lti-storage-proof');
      if (response && typeof response.value === 'string' && proof) proof.value = response.value;
      if (form) form.submit();
    });
  }
})();
