/* Weather page: current conditions and the next days from /api/weather, built with DOM APIs. */
(function () {
  'use strict';

  var ICONS = ['sunny', 'partly-cloudy', 'cloudy', 'rain', 'showers', 'snow', 'fog', 'thunder', 'wind'];
  var status = document.getElementById('weather-status');
  var section = document.getElementById('weather');
  var retry = document.getElementById('weather-retry');

  function byId(id) {
    return document.getElementById(id);
  }

  function iconUrl(icon) {
    return '/static/img/weather/' + (ICONS.indexOf(icon) >= 0 ? icon : 'cloudy') + '.svg';
  }

  function isNumber(value) {
    return typeof value === 'number' && isFinite(value);
  }

  function degrees(value) {
    return isNumber(value) ? Math.round(value) + '°' : '–';
  }

  function speed(kph, direction) {
    if (!isNumber(kph)) return '–';
    var text = Math.round(kph) + ' km/h';
    return direction ? text + ' ' + direction : text;
  }

  function text(value, fallback) {
    return typeof value === 'string' && value ? value : fallback;
  }

  function setStatus(state, message) {
    status.dataset.state = state;
    status.textContent = message;
    status.hidden = !message;
  }

  function weekdayOf(day) {
    if (typeof day.weekday === 'string' && day.weekday) return day.weekday;
    var date = new Date(String(day.date) + 'T12:00:00Z');
    return isNaN(date.getTime()) ? String(day.date || '') : date.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  }

  /** "Updated Tue 24 Nov, 09:00": the time as the forecast gives it (the place's own time). */
  function updatedText(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(iso));
    if (!parts) return '';
    var date = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    var day = date.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
    return 'Updated ' + day + ', ' + parts[4] + ':' + parts[5] + ' local time';
  }

  function shortDate(iso) {
    var date = new Date(String(iso) + 'T12:00:00Z');
    return isNaN(date.getTime()) ? '' : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function dayElement(day, index) {
    var item = element('li', 'forecast-day');
    var when = element('p', 'forecast-when');
    var weekday = weekdayOf(day);
    var label = element('span', 'forecast-weekday', index === 0 ? 'Today' : weekday.slice(0, 3));
    label.title = weekday;
    when.appendChild(label);
    when.appendChild(element('span', 'forecast-date', shortDate(day.date)));
    item.appendChild(when);

    var icon = element('img', 'forecast-icon');
    icon.src = iconUrl(day.icon);
    icon.alt = '';
    icon.width = 48;
    icon.height = 48;
    item.appendChild(icon);

    item.appendChild(element('p', 'forecast-condition', text(day.condition, '')));
    var temps = element('p', 'forecast-temps');
    temps.appendChild(element('span', 'forecast-high', degrees(day.high_c)));
    temps.appendChild(document.createTextNode(' '));
    temps.appendChild(element('span', 'forecast-low', degrees(day.low_c)));
    temps.setAttribute('aria-label', 'High ' + degrees(day.high_c) + ', low ' + degrees(day.low_c));
    item.appendChild(temps);

    var extra = element('p', 'forecast-extra');
    extra.appendChild(element('span', 'forecast-rain',
      isNumber(day.precipitation_mm) ? day.precipitation_mm.toFixed(1) + ' mm' : '–'));
    extra.appendChild(element('span', 'forecast-wind', speed(day.wind_kph)));
    item.appendChild(extra);
    return item;
  }

  function render(data) {
    var location = data.location || {};
    var current = data.current || {};
    var place = text(location.name, 'Unknown place');
    byId('weather-place').textContent = location.country ? place + ', ' + location.country : place;
    byId('weather-temperature').textContent = degrees(current.temperature_c) + 'C';
    byId('weather-condition').textContent = text(current.condition, '');
    byId('weather-feels-like').textContent = degrees(current.feels_like_c);
    byId('weather-humidity').textContent = isNumber(current.humidity_pct) ? Math.round(current.humidity_pct) + ' %' : '–';
    byId('weather-wind').textContent = speed(current.wind_kph, current.wind_direction);
    var icon = byId('weather-current-icon');
    icon.src = iconUrl(current.icon);

    var list = byId('weather-forecast');
    list.replaceChildren();
    (Array.isArray(data.forecast) ? data.forecast : []).forEach(function (day, index) {
      if (day && typeof day === 'object') list.appendChild(dayElement(day, index));
    });

    byId('weather-updated').textContent = updatedText(data.updated);
  }

  async function load() {
    retry.hidden = true;
    setStatus('loading', 'Loading the forecast…');
    var result = await WK.fetchJson('/api/weather');
    var data = result.ok && result.body && result.body.data;
    if (!data || typeof data !== 'object') {
      section.hidden = true;
      setStatus('error', result.unavailable || !result.body
        ? 'The forecast is unavailable right now: the WhoKnows backend is not answering. Please try again in a moment.'
        : WK.messageOf(result));
      retry.hidden = false;
      return;
    }
    render(data);
    section.hidden = false;
    setStatus('ready', '');
  }

  retry.addEventListener('click', load);
  load();
})();
