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
  var retry = document.getElementById('search-retry');
  var pager = document.getElementById('search-pages');
  var SNIPPET_LENGTH = 260;
  /** Results per page; the course's backend answers at most 50 and knows nothing of paging. */
  var PAGE_SIZE = 50;
  var TITLE = document.title;
  var pending = null;
  var current = null;

  function languageOf(value) {
    return value === 'da' ? 'da' : 'en';
  }

  function pageOf(value) {
    var n = parseInt(value, 10);
    return n >= 1 && n <= 10000 ? n : 1;
  }

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    return { q: params.get('q') || '', language: languageOf(params.get('language')), page: pageOf(params.get('page')) };
  }

  function urlFor(q, lang, page) {
    var params = new URLSearchParams();
    if (q) params.set('q', q);
    params.set('language', lang);
    if (page > 1) params.set('page', String(page));
    return '/?' + params.toString();
  }

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    results.setAttribute('aria-busy', state === 'searching' ? 'true' : 'false');
    retry.hidden = state !== 'error';
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

  /**
   * Appends text to element with each query term wrapped in <mark> where it starts a word (the whole
   * word or its beginning: "contain" marks "containers", "a" does not mark the a in "data").
   */
  function appendHighlighted(element, text, terms) {
    if (!terms.length) {
      element.textContent = text;
      return;
    }
    var pattern = new RegExp('(?<![\\p{L}\\p{N}\\p{M}])(?:' + terms.slice().sort(function (a, b) { return b.length - a.length; })
      .map(escapeRegExp).join('|') + ')', 'giu');
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
    if (page.language === 'da' || page.language === 'en') article.lang = page.language;

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

  function showPager(q, lang, page, total) {
    pager.replaceChildren();
    var pages = Math.ceil(total / PAGE_SIZE);
    pager.hidden = pages <= 1;
    if (pages <= 1) return;
    function link(text, to, rel) {
      var a = document.createElement('a');
      a.href = urlFor(q, lang, to);
      a.rel = rel;
      a.textContent = text;
      return a;
    }
    if (page > 1) pager.appendChild(link('‹ Previous', page - 1, 'prev'));
    var where = document.createElement('span');
    where.className = 'search-page-of';
    where.textContent = 'Page ' + page + ' of ' + pages;
    pager.appendChild(where);
    if (page < pages) pager.appendChild(link('Next ›', page + 1, 'next'));
  }

  async function search(q, lang, page) {
    if (pending) pending.abort();
    results.replaceChildren();
    pager.replaceChildren();
    pager.hidden = true;
    page = page || 1;
    current = { q: q, language: lang, page: page };
    document.title = q.trim() ? q.trim() + ' – Search | ' + TITLE : TITLE;
    if (!q.trim()) {
      setStatus('idle', '');
      return;
    }
    var controller = new AbortController();
    pending = controller;
    setStatus('searching', 'Searching…');
    var params = { q: q, language: lang };
    if (page > 1) {
      params.page = String(page);
      params.limit = String(PAGE_SIZE);
    }
    var result = await WK.fetchJson('/api/search?' + new URLSearchParams(params).toString(),
      { signal: controller.signal });
    if (controller !== pending) return;
    pending = null;
    if (result.aborted) return;

    var body = result.body;
    var data = result.ok && body && Array.isArray(body.data) ? body.data : null;
    if (data === null) {
      setStatus('error', result.unavailable || !body
        ? 'Search is unavailable right now: the WhoKnows backend is not answering. Please try again in a moment.'
        : WK.messageOf(result));
      return;
    }
    // The paging extension: a backend that knows it says how many match and which page this is.
    var paged = typeof body.total === 'number' && body.total >= data.length && (body.page === undefined || body.page === page);
    if (!paged) page = 1; // a backend that ignores page answers its first results
    var quoted = '“' + q.trim() + '”';
    if (data.length === 0) {
      setStatus('empty', paged && body.total > 0
        ? 'No more results for ' + quoted + ': there are ' + body.total + '.'
        : 'No results for ' + quoted + '. Try fewer or different words' + (lang === 'da' ? ', or search in English.' : '.'));
      if (paged && body.total > 0) showPager(q, lang, page, body.total);
      return;
    }
    var terms = termsOf(q);
    var fragment = document.createDocumentFragment();
    data.forEach(function (item) {
      if (item && typeof item === 'object') fragment.appendChild(resultElement(item, terms));
    });
    results.appendChild(fragment);
    var text;
    if (paged && body.total > data.length) {
      var first = (page - 1) * PAGE_SIZE + 1;
      text = 'Results ' + first + '–' + (first + data.length - 1) + ' of ' + body.total + ' for ' + quoted;
    } else if (paged || data.length < PAGE_SIZE) {
      text = data.length + (data.length === 1 ? ' result for ' : ' results for ') + quoted;
    } else {
      text = 'First ' + data.length + ' results for ' + quoted + ' (the backend shows no more)';
    }
    setStatus('results', text);
    if (paged) showPager(q, lang, page, body.total);
  }

  function showUrlState() {
    var state = stateFromUrl();
    input.value = state.q;
    language.value = state.language;
    search(state.q, state.language, state.page);
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

  retry.addEventListener('click', function () {
    if (current) search(current.q, current.language, current.page);
  });

  window.addEventListener('popstate', showUrlState);
  showUrlState();
})();
