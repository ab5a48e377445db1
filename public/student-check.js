/* global window, document */
// Progressive enhancement for the mastery check: answers are kept in this browser's
// localStorage as they are typed, restored after a reload, and cleared once the result page shows
// the attempt was submitted (not on submit: a submission refused because the session ended must
// find them again after the student relaunches). Without JavaScript the "Save my answers" button
// keeps them on the server instead.
(function () {
  'use strict';
  var form = document.getElementById('check-form');
  var result = document.getElementById('check-result');
  if (!form && !result) return;
  // Where site data is blocked (Safari's "Block All Cookies", a sandboxed frame), merely reading
  // window.localStorage throws a SecurityError: the check then works without the local copy.
  var localStorage = null;
  try {
    localStorage = window.localStorage;
  } catch {
    localStorage = null;
  }
  if (!localStorage) return;
  if (result) {
    try {
      localStorage.removeItem('pathwise-check-' + result.getAttribute('data-attempt'));
    } catch {
      /* ignore */
    }
    return;
  }
  var key = 'pathwise-check-' + form.getAttribute('data-attempt');
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf('answer-') === 0;
    });
  };
  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    try {
      localStorage.setItem(key, JSON.stringify(data));
    } catch {
      /* storage full or blocked */
    }
  }
  function restore() {
    var raw;
    try {
      raw = localStorage.getItem(key);
    } catch {
      return;
    }
    if (!raw) return;
    var data;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    fields().forEach(function (el) {
      var values = data[el.name];
      if (!values) return;
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = values.indexOf(el.value) !== -1;
      else if (!el.value) el.value = values[0] || '';
    });
  }
  restore();
  form.addEventListener('input', save);
  form.addEventListener('change', save);
})();
