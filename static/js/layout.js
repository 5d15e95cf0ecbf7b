/*
 * Shared by every page: the session-aware navigation, flash messages (ul.flashes and the wk_flash
 * cookie) and the JSON fetch helper the page scripts use. Everything user-controlled is rendered
 * with textContent, never as HTML.
 */
(function () {
  'use strict';

  var FLASH_COOKIE = 'wk_flash';
  var UNAVAILABLE = 'The WhoKnows backend is unavailable. Please try again in a moment.';

  function flashList() {
    return document.querySelector('ul.flashes');
  }

  function clearFlashes() {
    var list = flashList();
    if (list) list.replaceChildren();
  }

  /** Shows a message in ul.flashes; kind 'error' gets class="error". */
  function showFlash(kind, message) {
    var list = flashList();
    if (!list) return;
    var item = document.createElement('li');
    if (kind === 'error') item.className = 'error';
    item.textContent = message;
    list.appendChild(item);
  }

  function showError(message) {
    clearFlashes();
    showFlash('error', message);
  }

  /** Sets the one-shot cookie the frontend renders on the next page it serves (see PLAN: flash). */
  function setFlashCookie(kind, message) {
    document.cookie = FLASH_COOKIE + '=' + encodeURIComponent(kind + '|' + message) +
      '; Path=/; Max-Age=60; SameSite=Lax';
  }

  /*
   * The frontend renders and expires wk_flash when it serves a page. If the cookie is still here
   * (a page restored from cache, or served by something else), show it once ourselves.
   */
  function takeLeftoverFlash() {
    var prefix = FLASH_COOKIE + '=';
    var raw = document.cookie.split('; ').filter(function (c) { return c.indexOf(prefix) === 0; })[0];
    if (!raw) return;
    document.cookie = FLASH_COOKIE + '=; Path=/; Max-Age=0; SameSite=Lax';
    var value;
    try {
      value = decodeURIComponent(raw.slice(prefix.length).replace(/\+/g, ' '));
    } catch (e) {
      return;
    }
    var bar = value.indexOf('|');
    if (bar < 0) return;
    var kind = value.slice(0, bar) === 'error' ? 'error' : 'info';
    var message = value.slice(bar + 1);
    var already = Array.prototype.some.call(flashList() ? flashList().children : [], function (li) {
      return li.textContent === message;
    });
    if (message && !already) showFlash(kind, message);
  }

  /**
   * fetch() that never rejects: resolves to {status, ok, body, unavailable}. body is the parsed JSON
   * or null; unavailable is true when the backend (or the frontend's proxy to it) did not answer.
   */
  async function fetchJson(url, options) {
    var init = Object.assign({ credentials: 'same-origin' }, options || {});
    init.headers = Object.assign({ Accept: 'application/json' }, init.headers || {});
    var response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      if (e && e.name === 'AbortError') return { status: 0, ok: false, body: null, aborted: true };
      return { status: 0, ok: false, body: null, unavailable: true };
    }
    var body = null;
    var type = response.headers.get('Content-Type') || '';
    if (type.indexOf('json') >= 0) {
      try {
        body = await response.json();
      } catch (e) {
        if (e && e.name === 'AbortError') return { status: 0, ok: false, body: null, aborted: true };
        body = null;
      }
    }
    var unavailable = response.status === 502 || response.status === 503 || response.status === 504 ||
      (response.ok && body === null);
    return { status: response.status, ok: response.ok && body !== null, body: body, unavailable: unavailable };
  }

  /** The message a failed AuthResponse / HTTPValidationError / proxy error carries. */
  function messageOf(result) {
    if (result.unavailable || !result.body) return UNAVAILABLE;
    var body = result.body;
    if (typeof body.message === 'string' && body.message) return body.message;
    if (Array.isArray(body.detail) && body.detail.length > 0) {
      var first = body.detail[0] || {};
      var loc = Array.isArray(first.loc) ? first.loc.filter(function (p) { return p !== 'body'; }) : [];
      var msg = typeof first.msg === 'string' ? first.msg : 'Invalid value';
      return loc.length ? loc.join('.') + ': ' + msg : msg;
    }
    return 'Something went wrong (HTTP ' + result.status + '). Please try again.';
  }

  function showUser(username) {
    var login = document.getElementById('nav-login');
    var register = document.getElementById('nav-register');
    var logout = document.getElementById('nav-logout');
    if (!logout) return;
    var loggedIn = typeof username === 'string' && username.length > 0;
    if (login) login.hidden = loggedIn;
    if (register) register.hidden = loggedIn;
    logout.hidden = !loggedIn;
    logout.textContent = loggedIn ? 'Log out [' + username + ']' : 'Log out';
  }

  /**
   * Login and register: the form posts itself when scripts are off (action/method). With scripts,
   * check the fields (validate returns [message, field] or null), post form-urlencoded as JSON
   * client, show the backend's message on failure, or set the flash and go to successUrl.
   */
  function enhanceAuthForm(form, validate, successUrl, successMessage) {
    var button = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (form.getAttribute('aria-busy') === 'true') return;
      var problem = validate(form.elements);
      if (problem) {
        showError(problem[0]);
        problem[1].focus();
        return;
      }
      form.setAttribute('aria-busy', 'true');
      if (button) button.disabled = true;
      var result = await fetchJson(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)).toString()
      });
      form.removeAttribute('aria-busy');
      if (button) button.disabled = false;
      if (result.ok) {
        var message = typeof result.body.message === 'string' && result.body.message ? result.body.message : successMessage;
        setFlashCookie('info', message);
        window.location.assign(successUrl);
        return;
      }
      showError(messageOf(result));
      Array.prototype.forEach.call(form.querySelectorAll('input[type="password"]'), function (input) {
        input.value = '';
      });
    });
  }

  /** Resolves to the logged-in username, or null (also when the backend cannot tell). */
  function fetchSession() {
    return fetchJson('/api/session').then(function (result) {
      var data = result.ok && result.body && result.body.data;
      return data && typeof data.username === 'string' ? data.username : null;
    });
  }

  var session = fetchSession();

  window.WK = {
    UNAVAILABLE: UNAVAILABLE,
    fetchJson: fetchJson,
    enhanceAuthForm: enhanceAuthForm,
    messageOf: messageOf,
    showFlash: showFlash,
    showError: showError,
    clearFlashes: clearFlashes,
    setFlashCookie: setFlashCookie,
    session: session
  };

  document.addEventListener('DOMContentLoaded', function () {
    takeLeftoverFlash();
    session.then(showUser);
  });

  // Back/forward may restore a page from memory after a login or logout elsewhere: ask again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) fetchSession().then(showUser);
  });
})();
