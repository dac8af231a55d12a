// Streamcast dashboard charts, drawn with uPlot: the four charts' options, and the forecast chart's data (the
// readings, their forecasts' interval band, the anomaly marks, and the pending forecast's horizon beyond the last
// reading). What a chart drew is kept on its element (data-*) for the browser test.
window.StreamcastCharts = (() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const charts = {};
  let fmt = String;
  // The sensor's readings, at its resolution's precision: the forecast chart's legend.
  let reading = String;

  const axis = { stroke: '#8a96a6', grid: { stroke: '#263040', width: 1 }, ticks: { stroke: '#263040', width: 1 } };
  // Whole seconds and up: a chart a few seconds wide would otherwise label its ticks in fractions of a second.
  const TIME_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  const BAND = 'rgba(255,183,77,0.16)';
  const HORIZON = '#ce93d8';
  const HORIZON_BAND = 'rgba(171,71,188,0.25)';
  // The forecast chart's series (index 0 is x): the horizon's are the last three.
  const F = { actual: 1, forecast: 2, naive: 3, lower: 4, upper: 5, anomaly: 6, horizon: 7, hLower: 8, hUpper: 9 };

  // A time scale at least minSpan seconds wide around its data: uPlot widens a zero-width range (one point) to
  // years, and labels a range of a few seconds in fractions of one.
  function timeRange(minSpan) {
    return (u, min, max) => {
      if (min === null || max === null) {
        const now = Date.now() / 1000;
        return [now - minSpan, now];
      }
      const missing = Math.max(0, minSpan - (max - min));
      return [min - missing / 2, max + missing / 2];
    };
  }

  // Time labels on one line, as wide as the tick spacing needs (18:05:30 below a minute apart, 18:05 below a day,
  // 12-07 beyond): uPlot's own put the date under the first tick, where the chart's edge cut it ("l2/7/26 6:29am"),
  // and its spacing let a narrow chart's labels overlap. The labels drawn and where (CSS pixels from the chart's
  // left) are kept on the chart's element (data-x-labels) for the browser test.
  const X_LABEL_SPACE = 72;

  function timeLabel(seconds, increment) {
    const at = new Date(seconds * 1000);
    if (increment >= 86400) {
      return at.toLocaleDateString(undefined, { month: '2-digit', day: '2-digit' });
    }
    return at.toLocaleTimeString(undefined, increment >= 60 ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  function xAxis(container) {
    return {
      ...axis,
      incrs: TIME_INCREMENTS,
      space: X_LABEL_SPACE,
      values: (u, splits, axisIdx, foundSpace, foundIncr) => {
        u.ctx.font = u.axes[axisIdx].font[0];
        const drawn = [];
        // A tick so near the chart's edge that its label would stick out of it goes unlabelled.
        const labels = splits.map((v) => {
          const text = timeLabel(v, foundIncr);
          const x = u.bbox.left / devicePixelRatio + u.valToPos(v, 'x');
          const half = u.ctx.measureText(text).width / devicePixelRatio / 2;
          if (x - half < 0 || x + half > u.width) {
            return '';
          }
          drawn.push({ text, x });
          return text;
        });
        container.dataset.xLabels = JSON.stringify(drawn);
        return labels;
      },
    };
  }

  // The y axis as wide as its longest label (a fixed width cut "1,012.75" to ",012.75"); the labels drawn are kept
  // on the chart's element (data-y-labels) for the browser test.
  function yAxis(container) {
    return {
      ...axis,
      values: (u, splits) => {
        const labels = splits.map((v) => v.toLocaleString(undefined, { maximumFractionDigits: 6 }));
        container.dataset.yLabels = JSON.stringify(labels);
        return labels;
      },
      size: (u, values, axisIdx, cycleNum) => {
        const a = u.axes[axisIdx];
        if (cycleNum > 1) {
          return a._size;
        }
        let size = a.ticks.size + a.gap;
        const longest = (values || []).reduce((acc, v) => (v.length > acc.length ? v : acc), '');
        if (longest !== '') {
          u.ctx.font = a.font[0];
          size += u.ctx.measureText(longest).width / devicePixelRatio;
        }
        return Math.ceil(size) + 4;
      },
    };
  }

  function makeChart(id, height, series, extra = {}, minSpan = 60, onDraw = () => {}) {
    const container = $(id);
    const options = {
      width: Math.max(container.clientWidth, 200),
      height,
      scales: { x: { time: true, range: timeRange(minSpan) } },
      axes: [xAxis(container), yAxis(container)],
      series: [{}, ...series],
      cursor: { drag: { x: true, y: false } },
      // The x range drawn, in seconds, for the browser test (data-x-span).
      hooks: { draw: [(u) => { container.dataset.xSpan = String(u.scales.x.max - u.scales.x.min); onDraw(u, container); }] },
      ...extra,
    };
    charts[id] = new uPlot(options, [[], ...series.map(() => [])], container);
  }

  function bound(v) {
    return v === null || v === undefined ? null : v;
  }

  function line(label, stroke, more = {}) {
    return { label, stroke, width: 2, spanGaps: true, points: { show: true, size: 5, fill: stroke }, value: (u, v) => fmt(v), ...more };
  }

  function edge(label, stroke, more = {}) {
    return line(label, stroke, { width: 1, points: { show: false }, ...more });
  }

  // options: fmt (the value formatter of the legends), rateWindow (seconds of the throughput chart).
  function create(options) {
    fmt = options.fmt;
    reading = options.reading;
    const inReadingUnits = (series) => series.map((s) => ({ ...s, value: (u, v) => reading(v) }));
    makeChart('forecast-chart', 280, inReadingUnits([
      line('actual', '#4fc3f7'),
      line('forecast', '#ffb74d', { dash: [6, 4] }),
      line('naive', '#9aa4b2', { dash: [2, 4], width: 1 }),
      // The forecasts' prediction interval, drawn as a band between its bounds.
      edge('lower', 'rgba(255,183,77,0.45)'),
      edge('upper', 'rgba(255,183,77,0.45)'),
      line('anomaly', '#ef5350', { paths: () => null, points: { show: true, size: 11, fill: '#ef5350' } }),
      // The horizon: from the last reading, a dashed line through the steps' forecasts inside their own band.
      line('horizon', HORIZON, { dash: [5, 3], points: { show: true, size: 4, fill: HORIZON } }),
      edge('horizon lower', 'rgba(206,147,216,0.6)', { dash: [2, 3] }),
      edge('horizon upper', 'rgba(206,147,216,0.6)', { dash: [2, 3] }),
    ]), { bands: [{ series: [F.upper, F.lower], fill: BAND }, { series: [F.hUpper, F.hLower], fill: HORIZON_BAND }] },
    60, probeForecastChart);
    makeChart('error-chart', 170, [
      line('|error| model', '#ffb74d'),
      line('|error| naive', '#9aa4b2', { width: 1 }),
    ]);
    // The last polls, in real time: the window ends now, so the chart scrolls and is never empty.
    const rateWindow = options.rateWindow;
    makeChart('rate-chart', 120, [
      line('readings/s', '#66bb6a', { fill: 'rgba(102,187,106,0.12)', points: { show: true, size: 3 } }),
    ], { scales: { x: { time: true, range: () => [Date.now() / 1000 - rateWindow, Date.now() / 1000] },
      y: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.15)] } } });
    // Retraining runs come minutes apart: an hour at least (uPlot would span years around a single run).
    makeChart('timeline-chart', 140, [
      line('version in use', '#4fc3f7', { paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }),
      line('accepted', '#66bb6a', { paths: () => null, points: { show: true, size: 9, fill: '#66bb6a' } }),
      line('rejected', '#ef5350', { paths: () => null, points: { show: true, size: 9, fill: '#ef5350' } }),
    ], {}, 3600);
    window.addEventListener('resize', () => {
      for (const [id, chart] of Object.entries(charts)) {
        chart.setSize({ width: Math.max($(id).clientWidth, 200), height: chart.height });
      }
    });
  }

  function set(id, data) {
    charts[id].setData(data);
    const points = data.length > 1 ? data[1].filter((v) => v !== null && v !== undefined).length : 0;
    $(id).dataset.points = String(points);
  }

  // The horizon's steps as [x, forecast, lower, upper]: at their timestamps, or a typical step apart where a
  // timestamp does not come after the one before (a state stored before the horizon); only step 1 without a horizon.
  function horizonRows(forecast, last, typicalStep) {
    const steps = forecast.horizon && forecast.horizon.length > 0 ? forecast.horizon
      : [{ step: 1, forecast: forecast.value, lower: forecast.lower, upper: forecast.upper }];
    let previous = last;
    return steps.map((s) => {
      const at = s.timestamp ? Date.parse(s.timestamp) / 1000 : NaN;
      previous = at > previous ? at : previous + typicalStep;
      return [previous, s.forecast, bound(s.lower), bound(s.upper)];
    });
  }

  // The forecast chart: the scored readings (times in ms, sorted) with their forecasts, naive forecasts, interval
  // band and anomalies, then the sensor's pending forecast d.forecast over its horizon, fanning out from the last
  // reading.
  function showForecast(times, points, d) {
    const rows = times.map((t) => {
      const r = points.get(t);
      return [t / 1000, r.actual, r.forecast, r.naive, bound(r.lower), bound(r.upper), r.anomaly ? r.actual : null,
        null, null, null];
    });
    let steps = 0;
    const last = d.lastTimestamp ? Date.parse(d.lastTimestamp) / 1000 : null;
    if (d.forecast && last !== null && (rows.length === 0 || last >= rows[rows.length - 1][0])) {
      const typicalStep = rows.length > 1 ? Math.max((rows[rows.length - 1][0] - rows[0][0]) / (rows.length - 1), 0.001) : 1;
      if (rows.length === 0 || last > rows[rows.length - 1][0]) {
        rows.push([last, d.lastValue, null, null, null, null, null, null, null, null]);
      }
      const origin = rows[rows.length - 1];
      origin[F.horizon] = origin[F.hLower] = origin[F.hUpper] = d.lastValue;
      for (const [x, forecast, lower, upper] of horizonRows(d.forecast, last, typicalStep)) {
        rows.push([x, null, null, null, null, null, null, forecast, lower, upper]);
        steps++;
      }
    }
    $('forecast-chart').dataset.horizonSteps = String(steps);
    set('forecast-chart', Array.from({ length: 10 }, (_, k) => rows.map((row) => row[k])));
  }

  // ---------------------------------------------------------------- what the forecast chart drew, in canvas pixels

  // data-probes: a point inside the horizon's band (between its last two points, halfway from the dashed line to
  // the upper bound), a point inside the past interval band as far as can be from the lines crossing it, and the
  // anomaly marks' centres; data-band-points: readings drawn with an interval; data-anomalies: marks drawn.
  function probeForecastChart(u, container) {
    const px = (v, scale) => u.valToPos(v, scale, true);
    const [x, actual, forecast, naive, lower, upper, anomaly, horizon, , hUpper] = u.data;
    const probes = { horizon: null, band: null, anomalies: [] };
    const future = x.map((_, i) => i).filter((i) => horizon[i] !== null && hUpper[i] !== null);
    if (future.length >= 2) {
      const [a, b] = future.slice(-2);
      const mid = (s) => (s[a] + s[b]) / 2;
      probes.horizon = { x: px(mid(x), 'x'), y: px((mid(horizon) + mid(hUpper)) / 2, 'y'),
        gap: Math.abs(px(mid(hUpper), 'y') - px(mid(horizon), 'y')) / 2 };
    }
    let bandPoints = 0;
    for (let i = 0; i < x.length; i++) {
      if (lower[i] === null || upper[i] === null) {
        continue;
      }
      bandPoints++;
      if (i === 0 || lower[i - 1] === null || upper[i - 1] === null || anomaly[i] !== null || anomaly[i - 1] !== null) {
        continue;
      }
      const at = (s) => px((s[i - 1] + s[i]) / 2, 'y');
      const lines = [actual, forecast, naive].filter((s) => s[i - 1] !== null && s[i] !== null).map(at);
      const top = at(upper);
      const bottom = at(lower);
      for (let k = 1; k < 10; k++) {
        const y = bottom + ((top - bottom) * k) / 10;
        const gap = Math.min(...lines.map((l) => Math.abs(l - y)));
        if (!probes.band || gap > probes.band.gap) {
          probes.band = { x: px((x[i - 1] + x[i]) / 2, 'x'), y, gap };
        }
      }
    }
    x.forEach((v, i) => {
      if (anomaly[i] !== null) {
        probes.anomalies.push({ x: px(v, 'x'), y: px(anomaly[i], 'y') });
      }
    });
    container.dataset.bandPoints = String(bandPoints);
    container.dataset.anomalies = String(probes.anomalies.length);
    container.dataset.probes = JSON.stringify(probes);
  }

  return { create, set, showForecast };
})();
