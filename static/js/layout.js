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

  /** The nav for a known session: "Log out [name]" (a long name is cut with an ellipsis), or Log in + Register. */
  function showUser(username) {
    var login = document.getElementById('nav-login');
    var register = document.getElementById('nav-register');
    var logout = document.getElementById('nav-logout');
    document.documentElement.dataset.session = 'known';
    if (!logout) return;
    var loggedIn = typeof username === 'string' && username.length > 0;
    if (login) login.hidden = loggedIn;
    if (register) register.hidden = loggedIn;
    logout.hidden = !loggedIn;
    logout.replaceChildren(document.createTextNode('Log out'));
    logout.removeAttribute('title');
    if (loggedIn) {
      var name = document.createElement('span');
      name.className = 'nav-user';
      name.textContent = username;
      logout.title = 'Log out ' + username;
      logout.append(' [', name, ']');
    }
  }

  var REMEMBER = 'wk_form_';

  /**
   * Login and register submit themselves (a native POST: the frontend answers 303 + flash, so the
   * navigation starts at the click, as in the legacy app). JavaScript only enhances: validate returns
   * [message, field] to stop a form that cannot succeed, a second click while the post is on its way is
   * ignored, and after a failed post the username (and e-mail) the user typed is filled in again.
   */
  function enhanceAuthForm(form, validate) {
    var key = REMEMBER + form.id;
    var remembered = ['username', 'email'];
    var failed = flashList() && flashList().querySelector('li.error');
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(key) || 'null');
      window.sessionStorage.removeItem(key);
    } catch (e) {
      saved = null;
    }
    if (failed && saved) {
      remembered.forEach(function (name) {
        var input = form.elements[name];
        if (input && typeof saved[name] === 'string' && !input.value) input.value = saved[name];
      });
    }
    form.addEventListener('submit', function (event) {
      var problem = validate(form.elements);
      if (problem) {
        event.preventDefault();
        showError(problem[0]);
        problem[1].focus();
        return;
      }
      if (form.getAttribute('aria-busy') === 'true') {
        event.preventDefault();
        return;
      }
      form.setAttribute('aria-busy', 'true');
      var values = {};
      remembered.forEach(function (name) {
        if (form.elements[name]) values[name] = form.elements[name].value;
      });
      try {
        window.sessionStorage.setItem(key, JSON.stringify(values));
      } catch (e) {
        // storage off: nothing is filled in again
      }
    });
    window.addEventListener('pageshow', function () {
      form.removeAttribute('aria-busy');
    });
  }

  /** Resolves to the logged-in username, or null (also when the backend cannot tell). */
  function fetchSession() {
    return fetchJson('/api/session', { cache: 'no-store' }).then(function (result) {
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
