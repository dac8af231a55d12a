// Streamcast dashboard: polls the ops API and shows its answers; the charts are drawn by assets/charts.js (uPlot,
// served from the jar's WebJar).
// Data from the API is put into the page with textContent only: sensor ids come from Kafka keys and are untrusted.
(() => {
  'use strict';

  const POLL_MS = 2000;
  const PAGE_SIZE = 20;
  const MAX_POINTS = 120;        // readings kept and drawn per chart while a sensor stays selected
  const RATE_POINTS = 90;
  const TOKEN_KEY = 'streamcast.token';

  const $ = (id) => document.getElementById(id);
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    prefix: '',
    offset: 0,
    total: 0,
    selected: decodeHashSensor(),
    points: new Map(),          // timestamp (ms) -> scored reading of the selected sensor
    detail: null,
    lastStats: null,
    rate: [[], []],
    models: null,
  };

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (state.token) {
      headers.Authorization = 'Bearer ' + state.token;
    }
    const response = await fetch(path, { ...options, headers, cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) {
      $('token-form').hidden = false;
    }
    if (!response.ok && !(path === '/ready' && response.status === 503)) {
      throw new ApiError(response.status, body.error || response.statusText);
    }
    return body;
  }

  // ---------------------------------------------------------------- formatting

  // A number for the page. With `decimals` (a sensor's, from its resolution): exactly that many places, at any
  // magnitude. Without: `digits` significant digits, but never fewer than the whole part and two places, so a
  // four-digit value keeps its decimals ("1,008.99", not "1,009"); exponents only beyond what a page can show.
  function fmt(value, digits = 4, decimals = null) {
    if (value === null || value === undefined || Number.isNaN(value)) {
      return '–';
    }
    if (decimals !== null) {
      return value.toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    }
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e15 || abs < 1e-3)) {
      return value.toExponential(2);
    }
    const whole = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 0;
    if (whole + 2 > digits) {
      // Two places, trailing zeros kept, so the bounds of an interval line up ("1,010.38 … 1,010.60").
      const significant = Math.min(21, whole + 2);
      return value.toLocaleString(undefined, { minimumSignificantDigits: significant,
        maximumSignificantDigits: significant });
    }
    return Number(value.toPrecision(digits)).toLocaleString(undefined, { maximumFractionDigits: 6 });
  }

  // The decimal places a sensor's readings have, from the step of the grid they lie on (the API's resolution):
  // 0.1 and 0.5 one, 0.01 and 0.05 two, 1 and 5 none; null when the resolution is not known.
  function decimalsOf(resolution) {
    return resolution > 0 ? Math.max(0, Math.ceil(-Math.log10(resolution) - 1e-9)) : null;
  }

  // A reading, forecast or bound of the sensor shown, at its resolution's precision.
  function reading(value) {
    return fmt(value, 4, state.detail ? decimalsOf(state.detail.resolution) : null);
  }

  function count(value) {
    return value === null || value === undefined ? '–' : value.toLocaleString();
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '–';
  }

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'class') {
        node.className = value;
      } else if (key.startsWith('data-')) {
        node.setAttribute(key, value);
      } else {
        node[key] = value;
      }
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function pair(model, naive) {
    const span = el('span', {}, fmt(model), ' / ', fmt(naive));
    if (model !== null && naive !== null && model !== undefined && naive !== undefined) {
      span.className = model <= naive ? 'better' : 'worse';
      span.title = model <= naive ? 'the model beats the naive forecast' : 'the naive forecast is better';
    }
    return span;
  }

  function decodeHashSensor() {
    const match = /^#sensor=(.*)$/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  // ---------------------------------------------------------------- charts (assets/charts.js)

  const charts = window.StreamcastCharts;
  const setChart = charts.set;

  // "lstm", or "naive (floor)": which forecaster serves the sensor and why a naive one.
  function served(forecast) {
    return forecast.forecaster + (forecast.naiveReason ? ' (' + forecast.naiveReason + ')' : '');
  }

  // ---------------------------------------------------------------- sensors

  async function pollSensors() {
    const query = new URLSearchParams({ prefix: state.prefix, offset: state.offset, limit: PAGE_SIZE });
    const page = await api('/api/sensors?' + query);
    state.total = page.total;
    renderSensorList(page);
    if (state.selected === null && page.sensors.length > 0) {
      select(page.sensors[0].id);
    }
  }

  function renderSensorList(page) {
    const list = $('sensor-list');
    list.replaceChildren(...page.sensors.map((s) => {
      const forecast = s.forecast ? '→ ' + fmt(s.forecast.value) : '';
      const item = el('li', { class: 'sensor' + (s.id === state.selected ? ' selected' : ''), 'data-id': s.id, title: s.id },
        el('span', { class: 'id', title: s.id }, s.id),
        el('span', { class: 'value' }, fmt(s.lastValue), ' ', forecast),
        el('span', { class: 'sub' }, 'RMSE ', pair(s.errors.model.rmse, s.errors.naive.rmse),
          s.forecast ? '  v' + s.forecast.modelVersion + ' ' + served(s.forecast) : ''));
      item.addEventListener('click', () => select(s.id));
      return item;
    }));
    if (page.sensors.length === 0) {
      list.append(el('li', { class: 'muted' }, state.prefix ? 'No sensor id starts with “' + state.prefix + '”.'
        : 'No sensors yet: produce readings to the readings topic.'));
    }
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.sensors.length;
    $('page-label').textContent = first + '–' + last + ' of ' + page.total;
    $('sensor-total').textContent = '(' + page.total + ')';
    $('page-prev').disabled = page.offset === 0;
    $('page-next').disabled = last >= page.total;
  }

  function select(id) {
    if (id === state.selected && state.detail) {
      return;
    }
    state.selected = id;
    state.points = new Map();
    state.detail = null;
    // The title follows the highlighted sensor at once, not when its details arrive.
    $('sensor-title').textContent = id;
    $('sensor-title').title = id;
    $('detail-note').textContent = 'Loading ' + id + '…';
    history.replaceState(null, '', '#sensor=' + encodeURIComponent(id));
    for (const item of $('sensor-list').children) {
      item.classList.toggle('selected', item.dataset.id === id);
    }
    pollDetail().catch(showError);
  }

  async function pollDetail() {
    if (state.selected === null) {
      return;
    }
    const id = state.selected;
    let detail;
    try {
      detail = await api('/api/sensors/' + encodeURIComponent(id));
    } catch (e) {
      if (e.status === 404) {
        $('detail-note').textContent = 'Sensor “' + id + '” is not known (yet).';
        return;
      }
      throw e;
    }
    if (id !== state.selected) {
      return;
    }
    state.detail = detail;
    for (const r of detail.readings) {
      state.points.set(Date.parse(r.timestamp), r);
    }
    while (state.points.size > MAX_POINTS) {
      state.points.delete(Math.min(...state.points.keys()));
    }
    renderDetail(detail);
  }

  function renderDetail(d) {
    $('sensor-title').textContent = d.id;
    $('sensor-title').title = d.id;
    $('fact-last').textContent = d.lastValue === null ? '–' : reading(d.lastValue) + ' at ' + clock(d.lastTimestamp);
    $('fact-next').textContent = d.forecast ? reading(d.forecast.value) : '– (window not full)';
    $('fact-model').textContent = d.forecast ? d.forecast.modelId + ' v' + d.forecast.modelVersion + ' (' + served(d.forecast) + ')' : '–';
    $('fact-interval').textContent = d.forecast && d.forecast.lower !== null && d.forecast.lower !== undefined
      ? reading(d.forecast.lower) + ' … ' + reading(d.forecast.upper) : '–';
    const horizon = d.forecast && d.forecast.horizon ? d.forecast.horizon : [];
    $('fact-horizon').textContent = horizon.length === 0 ? '–'
      : horizon.length + (horizon.length === 1 ? ' step' : ' steps') + ', to ' + clock(horizon[horizon.length - 1].timestamp);
    $('fact-season').textContent = seasonText(d.season);
    $('fact-coverage').textContent = (d.coverage === null || d.coverage === undefined ? '–' : (100 * d.coverage).toFixed(0) + ' %')
      // Both counted over the server's recent readings (d.readings), which the chart may outlast.
      + ' · ' + (d.anomalies ? d.anomalies.length : 0) + ' anomalies in the last ' + d.readings.length + ' readings';
    $('fact-rmse').replaceChildren(pair(d.errors.model.rmse, d.errors.naive.rmse));
    $('fact-mae').replaceChildren(pair(d.errors.model.mae, d.errors.naive.mae));

    const times = [...state.points.keys()].sort((a, b) => a - b);
    charts.showForecast(times, state.points, d);
    setChart('error-chart', [times.map((t) => t / 1000), times.map((t) => Math.abs(state.points.get(t).error)),
      times.map((t) => Math.abs(state.points.get(t).naiveError))]);
    $('detail-note').textContent = d.readings.length === 0
      ? 'No scored readings yet: a forecast is scored when the reading after it arrives.'
      : d.readings.length + ' scored readings from the server, ' + state.points.size + ' kept while this sensor is shown.';
  }

  // ---------------------------------------------------------------- stats

  async function pollStats() {
    const stats = await api('/api/stats');
    const previous = state.lastStats;
    if (previous) {
      const seconds = (Date.parse(stats.time) - Date.parse(previous.time)) / 1000;
      if (seconds > 0) {
        const rate = Math.max(0, (stats.accepted - previous.accepted) / seconds);
        state.rate[0].push(Date.parse(stats.time) / 1000);
        state.rate[1].push(rate);
        if (state.rate[0].length > RATE_POINTS) {
          state.rate[0].shift();
          state.rate[1].shift();
        }
        $('kpi-rate').textContent = fmt(rate, 3);
        setChart('rate-chart', state.rate);
      }
    }
    state.lastStats = stats;
    $('kpi-accepted').textContent = count(stats.accepted);
    $('kpi-refused').textContent = count(stats.refusedTotal);
    $('kpi-forecasts').textContent = count(stats.forecasts);
    $('kpi-rmse').replaceChildren(pair(stats.errors.model.rmse, stats.errors.naive.rmse));
    $('kpi-instances').textContent = stats.instances + (stats.unreachable.length ? ' (' + stats.unreachable.length + ' unreachable)' : '');
    renderRefused(stats);
  }

  function renderRefused(stats) {
    const max = Math.max(1, ...Object.values(stats.refused));
    $('refused-total').textContent = '(' + count(stats.refusedTotal) + ' to the dead-letter topic)';
    $('refused-list').replaceChildren(...Object.entries(stats.refused).map(([reason, n]) => {
      const bar = el('span', { class: 'bar' });
      bar.style.width = (n === 0 ? 0 : Math.max(2, (100 * n) / max)) + '%';
      return el('li', { class: n === 0 ? 'zero' : '', 'data-reason': reason },
        el('span', {}, reason), el('span', {}, bar), el('span', { class: 'count' }, count(n)));
    }));
  }

  async function pollReady() {
    const ready = await api('/ready');
    const pill = $('status');
    pill.textContent = ready.status === 'READY' ? 'ready' : 'not ready: ' + ready.state;
    pill.className = 'pill ' + (ready.status === 'READY' ? 'pill-ok' : 'pill-wait');
  }

  // ---------------------------------------------------------------- models

  async function pollModels() {
    state.models = await api('/api/models?limit=50');
    renderModels(state.models);
  }

  function renderModels(page) {
    $('model-rows').replaceChildren(...page.models.map((m) => {
      const button = el('button', { type: 'button', title: 'POST /api/models/' + m.modelId + '/retrain' },
        m.retrainRequested ? 'requested' : 'retrain');
      button.disabled = m.retrainRequested;
      button.addEventListener('click', () => retrain(m.modelId, button));
      return el('tr', { 'data-model': m.modelId },
        el('td', { title: m.modelId }, m.modelId),
        el('td', { class: 'num' }, 'v' + m.version + (m.version === 0 ? ' (naive)' : '')),
        el('td', { class: 'num' }, fmt(m.validationRmse)),
        el('td', { class: 'num' }, fmt(m.championRmse)),
        el('td', { class: 'num' }, fmt(m.naiveRmse)),
        el('td', {}, button));
    }));
    const wanted = state.detail && state.detail.forecast ? state.detail.forecast.modelId : null;
    const model = page.models.find((m) => m.modelId === wanted) || page.models[0];
    renderTimeline(model);
  }

  function renderTimeline(model) {
    const runs = model ? [...model.runs].reverse() : [];
    $('timeline-model').textContent = model ? '(' + model.modelId + ', now v' + model.version + ')' : '';
    const x = runs.map((r) => Date.parse(r.startedAt) / 1000);
    const inUse = runs.map((r) => (r.outcome === 'accepted' ? r.publishedVersion : r.championVersion));
    const accepted = runs.map((r) => (r.outcome === 'accepted' ? r.publishedVersion : null));
    const rejected = runs.map((r) => (r.outcome === 'accepted' ? null : r.championVersion));
    setChart('timeline-chart', [x, inUse, accepted, rejected]);
    const list = $('run-list');
    list.replaceChildren(...(model ? model.runs.slice(0, 8) : []).map((r) => el('li', { title: r.reason },
      el('span', { class: 'badge ' + r.outcome }, r.outcome),
      clock(r.startedAt), ' · ', r.modelId,
      r.publishedVersion ? ' → v' + r.publishedVersion : '',
      ' · RMSE ', fmt(r.challengerRmse), ' vs ', r.championRmse === null ? 'naive ' + fmt(r.naiveRmse) : 'champion ' + fmt(r.championRmse),
      ' · ', r.trainingSamples + ' samples, ' + r.durationMs + ' ms')));
    if (!model || model.runs.length === 0) {
      list.append(el('li', { class: 'muted' }, 'No retraining yet' + (model ? ': ' + model.modelId + ' is at v' + model.version : '') + '.'));
    }
  }

  async function retrain(modelId, button) {
    button.disabled = true;
    try {
      await api('/api/models/' + encodeURIComponent(modelId) + '/retrain', { method: 'POST' });
      button.textContent = 'requested';
    } catch (e) {
      button.disabled = false;
      showError(e);
    }
  }

  // ---------------------------------------------------------------- loop

  function showError(e) {
    $('footer-status').textContent = 'Last error: ' + (e && e.message ? e.message : e) + ' (' + new Date().toLocaleTimeString() + ')';
  }

  async function tick() {
    const results = await Promise.allSettled([pollStats(), pollReady(), pollSensors(), pollDetail(), pollModels()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      showError(failed.reason);
      if (failed.reason instanceof TypeError) {
        $('status').textContent = 'server unreachable';
        $('status').className = 'pill pill-bad';
      }
    } else {
      $('footer-status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · polling every ' + POLL_MS / 1000 + ' s';
    }
    setTimeout(tick, POLL_MS);
  }

  function wireControls() {
    let debounce = null;
    $('sensor-search').addEventListener('input', (event) => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        state.prefix = event.target.value;
        state.offset = 0;
        pollSensors().catch(showError);
      }, 250);
    });
    $('page-prev').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      pollSensors().catch(showError);
    });
    $('page-next').addEventListener('click', () => {
      state.offset += PAGE_SIZE;
      pollSensors().catch(showError);
    });
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      state.token = $('token-input').value.trim();
      sessionStorage.setItem(TOKEN_KEY, state.token);
      $('token-form').hidden = true;
      $('token-input').value = '';
    });
  }

  wireControls();
  charts.create({ fmt, reading, rateWindow: (RATE_POINTS * POLL_MS) / 1000 });
  tick();
})();

// The sensor's cadence and season (GET /api/sensors/{id}, "season"): "30 min · week (336 readings, strength 0.89)".
function seasonText(season) {
  if (!season || !season.cadence) return '–';
  const cadence = season.cadence === 'P1M' ? 'monthly' : durationText(season.cadence) + (season.regular ? '' : ' (irregular)');
  if (!season.cycle) return cadence + ' · no season';
  return cadence + ' · ' + season.cycle + ' (' + season.length + ' readings, strength ' + season.strength.toFixed(2) + ')';
}

// An ISO-8601 duration as Java writes it (PT30M, PT1H, PT24H, PT0.5S) in words.
function durationText(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return iso;
  const seconds = 3600 * (+m[1] || 0) + 60 * (+m[2] || 0) + (+m[3] || 0);
  if (seconds % 86400 === 0) return (seconds / 86400) + ' d';
  if (seconds % 3600 === 0) return (seconds / 3600) + ' h';
  if (seconds % 60 === 0) return (seconds / 60) + ' min';
  return seconds + ' s';
}
