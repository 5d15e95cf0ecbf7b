/* Register page: the legacy app's checks and messages, in the legacy order. */
(function () {
  'use strict';
  var form = document.getElementById('register-form');
  if (!form) return;

  WK.enhanceAuthForm(form, function (fields) {
    var email = fields.email.value.trim();
    if (!fields.username.value.trim()) return ['You have to enter a username', fields.username];
    if (!email || email.indexOf('@') < 0) return ['You have to enter a valid email address', fields.email];
    if (!fields.password.value) return ['You have to enter a password', fields.password];
    if (fields.password.value !== fields.password2.value) return ['The two passwords do not match', fields.password2];
    return null;
  }, '/login', 'You were successfully registered and can login now');
})();
