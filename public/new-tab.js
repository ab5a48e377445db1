/* global document */
// The new-tab fallback page: once the link has opened Pathwise in a new tab, this frame says so,
// so the student knows where Pathwise went.
(function () {
  'use strict';
  var link = document.getElementById('new-tab-link');
  var status = document.getElementById('new-tab-status');
  if (!link || !status) return;
  link.addEventListener('click', function () {
    status.textContent = status.getAttribute('data-opened') || '';
  });
})();
