/* global window, document */
// Tells the LMS that registration is finished so it can close its dialog,
// https://www.imsglobal.org/spec/lti-dr/v1p0/#step-4-registration-completed-and-activation
(function () {
  'use strict';
  function close() {
    var target = window.opener || window.parent;
    if (target && target !== window) {
      target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
    }
  }
  var button = document.getElementById('registration-close');
  if (button) button.addEventListener('click', close);
  close();
})();
