/* Register page: the legacy app's checks and messages, in the legacy order; the form posts itself. */
(function () {
  'use strict';
  var form = document.getElementById('register-form');
  if (!form) return;

  WK.enhanceAuthForm(form, function (fields) {
    var username = fields.username.value.trim();
    var email = fields.email.value.trim();
    if (!username) return ['You have to enter a username', fields.username];
    if (Array.from(username).length > 32) return ['The username can be at most 32 characters long', fields.username];
    if (!email || email.indexOf('@') < 0) return ['You have to enter a valid email address', fields.email];
    if (!fields.password.value) return ['You have to enter a password', fields.password];
    if (Array.from(fields.password.value).length > 256) {
      return ['The password can be at most 256 characters long', fields.password];
    }
    if (fields.password.value !== fields.password2.value) return ['The two passwords do not match', fields.password2];
    return null;
  });
})();
