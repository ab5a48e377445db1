/* global document */
// Posts the signed LtiDeepLinkingResponse back to the LMS at once (the JWT form field of a POST to
// deep_link_return_url, https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message).
// Without JavaScript the page's visible button does the same.
(function () {
  'use strict';
  var form = document.getElementById('deep-linking-return');
  if (form && !form.getAttribute('data-sent')) {
    form.setAttribute('data-sent', '1');
    form.submit();
  }
})();
