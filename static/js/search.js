/*
 * Search page: the query and language live in the URL (/?q=term&language=da), so a search can be
 * linked, reloaded and navigated with back/forward. Results are built with DOM APIs only.
 */
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  var input = document.getElementById('search-input');
  var language = document.getElementById('search-language');
  var status = document.getElementById('search-status');
  var results = document.getElementById('results');
  var SNIPPET_LENGTH = 260;
  var pending = null;

  function languageOf(value) {
    return value === 'da' ? 'da' : 'en';
  }

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    return { q: params.get('q') || '', language: languageOf(params.get('language')) };
  }

  function urlFor(q, lang) {
    var params = new URLSearchParams();
    if (q) params.set('q', q);
    params.set('language', lang);
    return '/?' + params.toString();
  }

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    results.setAttribute('aria-busy', state === 'searching' ? 'true' : 'false');
  }

  function termsOf(q) {
    var seen = {};
    return q.toLowerCase().split(/\s+/).filter(function (term) {
      if (!term || seen[term]) return false;
      seen[term] = true;
      return true;
    });
  }

  /** A window of the content around the first query term, cut at word boundaries. */
  function snippetOf(content, terms) {
    var text = String(content || '').replace(/\s+/g, ' ').trim();
    if (text.length <= SNIPPET_LENGTH) return text;
    var lower = text.toLowerCase();
    var first = -1;
    terms.forEach(function (term) {
      var at = lower.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first > 60 ? first - 60 : 0;
    if (start > 0) {
      var space = text.indexOf(' ', start);
      if (space >= 0 && space < first) start = space + 1;
    }
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
      var lastSpace = text.lastIndexOf(' ', end);
      if (lastSpace > start + SNIPPET_LENGTH / 2) end = lastSpace;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  function escapeRegExp(term) {
    return term.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
  }

  /** Appends text to element with every occurrence of a term wrapped in <mark>. */
  function appendHighlighted(element, text, terms) {
    if (!terms.length) {
      element.textContent = text;
      return;
    }
    var pattern = new RegExp(terms.slice().sort(function (a, b) { return b.length - a.length; })
      .map(escapeRegExp).join('|'), 'giu');
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match[0] === '') { pattern.lastIndex++; continue; }
      if (match.index > last) element.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement('mark');
      mark.textContent = match[0];
      element.appendChild(mark);
      last = match.index + match[0].length;
    }
    if (last < text.length) element.appendChild(document.createTextNode(text.slice(last)));
  }

  /** Only http(s) links become clickable: a javascript: URL in the data must stay text. */
  function safeHref(url) {
    try {
      var parsed = new URL(String(url), window.location.origin);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function formatDate(iso) {
    var date = new Date(String(iso) + 'T00:00:00Z');
    if (isNaN(date.getTime())) return null;
    return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  }

  function resultElement(page, terms) {
    var article = document.createElement('article');
    article.className = 'search-result';

    var heading = document.createElement('h3');
    var href = safeHref(page.url);
    var title = document.createElement(href ? 'a' : 'span');
    title.className = 'search-result-title';
    if (href) title.href = href;
    title.textContent = page.title || page.url || 'Untitled page';
    heading.appendChild(title);
    article.appendChild(heading);

    var meta = document.createElement('p');
    meta.className = 'search-result-meta';
    var url = document.createElement('cite');
    url.className = 'search-result-url';
    url.textContent = page.url || '';
    meta.appendChild(url);
    var updated = page.last_updated ? formatDate(page.last_updated) : null;
    if (updated) {
      var time = document.createElement('time');
      time.dateTime = String(page.last_updated);
      time.textContent = updated;
      meta.appendChild(document.createTextNode(' · '));
      meta.appendChild(time);
    }
    article.appendChild(meta);

    var description = document.createElement('p');
    description.className = 'search-result-description';
    appendHighlighted(description, snippetOf(page.content, terms), terms);
    article.appendChild(description);
    return article;
  }

  async function search(q, lang) {
    if (pending) pending.abort();
    results.replaceChildren();
    if (!q.trim()) {
      setStatus('idle', '');
      return;
    }
    var controller = new AbortController();
    pending = controller;
    setStatus('searching', 'Searching…');
    var result = await WK.fetchJson('/api/search?' + new URLSearchParams({ q: q, language: lang }).toString(),
      { signal: controller.signal });
    if (controller !== pending) return;
    pending = null;
    if (result.aborted) return;

    var data = result.ok && result.body && Array.isArray(result.body.data) ? result.body.data : null;
    if (data === null) {
      setStatus('error', result.unavailable || !result.body
        ? 'Search is unavailable right now: the WhoKnows backend is not answering. Please try again in a moment.'
        : WK.messageOf(result));
      return;
    }
    var quoted = '“' + q.trim() + '”';
    if (data.length === 0) {
      setStatus('empty', 'No results for ' + quoted + '. Try fewer or different words' +
        (lang === 'da' ? ', or search in English.' : '.'));
      return;
    }
    var terms = termsOf(q);
    var fragment = document.createDocumentFragment();
    data.forEach(function (page) {
      if (page && typeof page === 'object') fragment.appendChild(resultElement(page, terms));
    });
    results.appendChild(fragment);
    setStatus('results', data.length + (data.length === 1 ? ' result for ' : ' results for ') + quoted);
  }

  function showUrlState() {
    var state = stateFromUrl();
    input.value = state.q;
    language.value = state.language;
    search(state.q, state.language);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var q = input.value;
    var lang = languageOf(language.value);
    if (!q.trim()) {
      input.focus();
      return;
    }
    var url = urlFor(q, lang);
    if (url !== window.location.pathname + window.location.search) window.history.pushState(null, '', url);
    search(q, lang);
  });

  language.addEventListener('change', function () {
    var lang = languageOf(language.value);
    var q = input.value;
    if (q.trim()) {
      window.history.pushState(null, '', urlFor(q, lang));
      search(q, lang);
    } else {
      window.history.replaceState(null, '', urlFor('', lang));
    }
  });

  window.addEventListener('popstate', showUrlState);
  showUrlState();
})();
