/* global window, document, setTimeout */
// Binds a login to this browser without cookies (docs/sessions.md). At login: keep a random proof in
// this frame's own web storage (partitioned by the top-level site where browsers partition) and,
// when the LMS offers LTI Platform Storage (https://www.imsglobal.org/spec/lti-pm-s/v0p1,
// https://www.imsglobal.org/spec/lti-cs-oidc/v0p1), a second proof there; then go on to the LMS.
// At launch without the cookie: read them back and post the launch again with them.
(function () {
  'use strict';
  var dataEl = document.getElementById('lti-storage-data');
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var TIMEOUT_MS = 3000;
  var PREFIX = 'pathwise_proof_';

  // Where storage is denied, merely reading window.localStorage throws: every access is guarded.
  function stores() {
    var found = [];
    try {
      if (window.localStorage) found.push(window.localStorage);
    } catch {
      /* denied */
    }
    try {
      if (window.sessionStorage) found.push(window.sessionStorage);
    } catch {
      /* denied */
    }
    return found;
  }

  // Forget proofs of logins that expired without a launch.
  function prune(store) {
    try {
      for (var i = store.length - 1; i >= 0; i--) {
        var k = store.key(i);
        if (!k || k.indexOf(PREFIX) !== 0) continue;
        var rec = JSON.parse(store.getItem(k) || '{}');
        if (!rec.exp || rec.exp < Date.now()) store.removeItem(k);
      }
    } catch {
      /* nothing to prune */
    }
  }

  function keepOwn(own) {
    var rec = JSON.stringify({ proof: own.value, exp: own.expiresAt });
    stores().forEach(function (store) {
      prune(store);
      try {
        store.setItem(own.key, rec);
      } catch {
        /* full or denied */
      }
    });
  }

  function takeOwn(own) {
    var proof = '';
    stores().forEach(function (store) {
      try {
        var rec = JSON.parse(store.getItem(own.key) || '{}');
        if (!proof && typeof rec.proof === 'string') proof = rec.proof;
        store.removeItem(own.key);
      } catch {
        /* denied */
      }
    });
    return proof;
  }

  // The platform names the frame that answers; fall back to our opener or parent.
  function targetWindow(p) {
    try {
      var parent = window.parent || window.opener;
      if (p.target && p.target !== '_parent' && parent && parent.frames && parent.frames[p.target]) {
        return parent.frames[p.target];
      }
    } catch {
      // Cross-origin access to frames by name is allowed; anything else falls through.
    }
    return window.opener || (window.parent !== window ? window.parent : null);
  }

  function send(p, message, done) {
    var target = targetWindow(p);
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
      if (event.origin !== p.origin || !event.data || event.data.message_id !== id) return;
      if (event.data.subject !== message.subject + '.response') return;
      finish(event.data.error ? null : event.data);
    }
    window.addEventListener('message', onMessage);
    message.message_id = id;
    try {
      target.postMessage(message, p.origin);
    } catch {
      return finish(null);
    }
    setTimeout(function () {
      finish(null);
    }, TIMEOUT_MS);
  }

  if (data.mode === 'put') {
    if (data.own) keepOwn(data.own);
    var go = function () {
      window.location.replace(data.next);
    };
    // Go on even if the platform did not store it: the cookie or own storage may still work.
    if (data.platform) send(data.platform, { subject: data.platform.subject, key: data.platform.key, value: data.platform.value }, go);
    else go();
  } else if (data.mode === 'get') {
    var form = document.getElementById('lti-repost');
    var ownField = document.getElementById('lti-own-proof');
    var platformField = document.getElementById('lti-storage-proof');
    if (data.own && ownField) ownField.value = takeOwn(data.own);
    var submit = function () {
      if (form) form.submit();
    };
    if (!data.platform) return submit();
    send(data.platform, { subject: data.platform.subject, key: data.platform.key }, function (response) {
      if (response && typeof response.value === 'string' && platformField) platformField.value = response.value;
      submit();
    });
  }
})();
