/* global document */
// The demo LMS's answer to an authentication request: it form-posts the id_token and state to
// Pathwise's redirect URI (response_mode=form_post,
// https://www.imsglobal.org/spec/security/v1p0/#step-3-authentication-response). Without
// JavaScript the page's visible button does the same.
(function () {
  'use strict';
  var form = document.getElementById('demo-lms-launch');
  if (form && !form.getAttribute('data-sent')) {
    form.setAttribute('data-sent', '1');
    form.submit();
  }
})();
