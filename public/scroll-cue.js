/* global window, document */
// Shows the cue of each sideways-scrolling region (data-scroll-cue = the cue's id) only while its
// content is wider than the region, e.g. the class dashboard's grid on an iPad.
(function () {
  'use strict';
  var regions = document.querySelectorAll('[data-scroll-cue]');
  function update() {
    Array.prototype.forEach.call(regions, function (region) {
      var cue = document.getElementById(region.getAttribute('data-scroll-cue'));
      if (cue) cue.hidden = region.scrollWidth <= region.clientWidth + 1;
    });
  }
  update();
  window.addEventListener('resize', update);
})();
