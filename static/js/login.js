/*
 * Log in page. No client-side checks on purpose: the legacy app answered an empty form with the
 * backend's "Invalid username", and legacy browser suites expect exactly that. The form posts itself.
 */
(function () {
  'use strict';
  var form = document.getElementById('login-form');
  if (!form) return;

  WK.enhanceAuthForm(form, function () { return null; });
})();
