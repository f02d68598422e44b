// Shared helpers of the explore pages (hand-written, no dependencies):
// - Explore.updater: at most one request in flight per figure; moving a slider while a request
//   runs queues one follow-up with the newest values, so the figure never lags behind a burst.
// - Explore.live: a live run (t-SNE, SMACOF, training): start it, then poll its newest frame
//   until it ends; a new start supersedes the old one (the server cancels it).
// - Explore.message: the line under the controls that shows the server's 400 messages.
// - Explore.heatmap / scatter / lines / plane: canvas drawers for the JSON the server sends.
'use strict';

// Inside the course book (an iframe under /book/): the page drops its header and stacks its
// controls in columns above the figures (explore.css, .embedded).
if (window.self !== window.top) document.documentElement.classList.add('embedded');

// A link may preset controls by id before the page's first request: /spectral?method=isomap
// (the book's live panels open each claim's view this way). A value a control does not offer
// leaves it empty, and the server's 400 message says what is wrong.
new URLSearchParams(location.search).forEach((v, k) => {
  const el = document.getElementById(k);
  if (!el || !(el.tagName === 'INPUT' || el.tagName === 'SELECT')) return;
  if (el.type === 'checkbox') el.checked = v === '1' || v === 'true';
  else el.value = v;
});

const Explore = (() => {
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function message(text, kind, id) {
    const el = document.getElementById(id || 'message');
    el.textContent = text || '';
    el.className = text ? (kind || 'error') : '';
  }

  // updater(url, draw, messageId): returns update(); url() builds the request from the controls,
  // draw(json) redraws, errors go to the element messageId (default 'message'). Timings
  // (request start to figure drawn, ms) are kept in window.exploreTimings.
  let answered = 0; // requests answered (figure drawn or message shown), in data-drawn
  function updater(url, draw, messageId) {
    const say = (text, kind) => message(text, kind, messageId);
    let busy = false, again = false;
    window.exploreTimings = window.exploreTimings || [];
    async function run() {
      if (busy) { again = true; return; }
      busy = true;
      try {
        do {
          again = false;
          const t0 = performance.now();
          let reply, body;
          try {
            reply = await fetch(url());
            body = await reply.json();
          } catch (e) {
            say('The server did not answer (' + e + '). Is `lectures explore` still running?');
            answered++;
            continue;
          }
          if (!reply.ok) { say(body.error || ('HTTP ' + reply.status)); answered++; continue; }
          say('');
          draw(body);
          const ms = performance.now() - t0;
          window.exploreTimings.push(ms);
          answered++;
          const t = document.getElementById('timing');
          if (t) t.textContent = 'request to figure: ' + ms.toFixed(0) + ' ms' +
            (body.compute_ms !== undefined ? ' (computing: ' + body.compute_ms.toFixed(0) + ' ms)' : '');
        } while (again);
      } finally {
        busy = false;
        document.body.dataset.drawn = String(answered);
      }
    }
    return run;
  }

  // live({name, start, begin, frame, records, end, messageId}): returns restart(), which starts
  // the run whose URL start() builds (120 ms after the last call, so a dragged slider starts
  // one run, not fifty) and then polls /api/job for frames newer than the last drawn one.
  // begin(info) gets the start reply, frame(poll, info) each new frame, records(list, info) the
  // new per-step records (KL, stress, loss), end(poll, info) the end. restart.stop() stops the
  // run. Frame times are kept in window.exploreLive[name].times (for the frame rate); every
  // frame drawn and every message shown counts in body[data-drawn].
  function live(o) {
    const say = (text, kind) => message(text, kind, o.messageId);
    const stats = { frames: 0, times: [], runs: 0, done: false };
    window.exploreLive = window.exploreLive || {};
    window.exploreLive[o.name] = stats;
    let generation = 0, timer = null, job = null;
    const bump = () => { answered++; document.body.dataset.drawn = String(answered); };
    async function get(url) {
      const reply = await fetch(url);
      return { ok: reply.ok, status: reply.status, body: await reply.json() };
    }
    async function begin() {
      const gen = ++generation;
      stats.done = false;
      let r;
      try { r = await get(o.start()); } catch (e) {
        say('The server did not answer (' + e + '). Is `lectures explore` still running?'); bump(); return;
      }
      if (gen !== generation) return;
      if (!r.ok) { say(r.body.error || ('HTTP ' + r.status)); stats.done = true; bump(); return; }
      const info = r.body;
      job = info.job; stats.runs++; stats.times = [];
      say('');
      if (o.begin) o.begin(info);
      let after = 0, have = 0;
      while (gen === generation) {
        let p;
        try { p = await get('/api/job?id=' + info.job + '&after=' + after + '&have=' + have); } catch (e) {
          say('The server did not answer (' + e + ').'); bump(); return;
        }
        if (gen !== generation) return;
        if (!p.ok) { say(p.body.error || ('HTTP ' + p.status)); bump(); return; }
        const v = p.body;
        have += v.records.length;
        if (v.records.length && o.records) o.records(v.records, info);
        if (v.points) {
          stats.frames++; stats.times.push(performance.now());
          o.frame(v, info); bump();
        }
        after = v.seq;
        if (v.done) {
          stats.done = true;
          if (v.error && v.cancelled) say('stopped: ' + v.error, 'note');
          else if (v.error) say(v.error);
          if (o.end) o.end(v, info);
          bump();
          return;
        }
      }
    }
    function restart() { clearTimeout(timer); timer = setTimeout(begin, 120); }
    restart.stop = () => {
      clearTimeout(timer);
      if (job !== null && !stats.done) fetch('/api/stop?id=' + job);
    };
    // Frames drawn per second over the last second.
    restart.rate = () => {
      const now = performance.now();
      return stats.times.filter(t => now - t <= 1000).length;
    };
    return restart;
  }

  // Show a slider's value next to its label: <span class="value" data-for="id">.
  function bindValues(format) {
    document.querySelectorAll('.value[data-for]').forEach(span => {
      const input = document.getElementById(span.dataset.for);
      const show = () => { span.textContent = (format && format[input.id]) ? format[input.id](input.value) : input.value; };
      input.addEventListener('input', show);
      show();
    });
  }

  function clear(canvas) {
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return ctx;
  }

  // |a_ij| on a log scale over 16 decades below the largest entry, white at 1e-16 of it (or
  // zero); the fourth power of the level spreads the first decades, where the rotations act
  // first. The cells (p, q) and (q, p) of `mark` get a red frame.
  function heatmap(canvas, m, mark) {
    const ctx = clear(canvas), n = m.length, s = canvas.width / n;
    let max = 0;
    for (const row of m) for (const v of row) max = Math.max(max, Math.abs(v));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const a = Math.abs(m[i][j]);
      const level = a > 0 && max > 0 ? Math.pow(Math.max(0, 1 + Math.log10(a / max) / 16), 4) : 0;
      ctx.fillStyle = 'rgb(' + Math.round(255 - 247 * level) + ',' + Math.round(255 - 207 * level) + ',' + Math.round(255 - 148 * level) + ')';
      ctx.fillRect(j * s, i * s, Math.ceil(s), Math.ceil(s));
    }
    if (mark) {
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = Math.max(2, s / 8);
      for (const [i, j] of [[mark[0], mark[1]], [mark[1], mark[0]]]) ctx.strokeRect(j * s + 1, i * s + 1, s - 2, s - 2);
    }
  }

  function bounds(points) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of points) {
      if (!isFinite(x) || !isFinite(y)) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
    if (!(y1 > y0)) { y0 -= 1; y1 += 1; }
    return { x0, x1, y0, y1 };
  }

  // A blue-to-yellow ramp for a continuous colouring (the manifold coordinate).
  function ramp(t) {
    const r = Math.round(68 + t * (253 - 68)), g = Math.round(1 + t * (231 - 1)), b = Math.round(84 + t * (37 - 84));
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }

  // Points with equal scales on both axes (an embedding's geometry is the point), coloured by
  // class or by a continuous value.
  function scatter(canvas, points, colour) {
    const ctx = clear(canvas), b = bounds(points), pad = 12;
    const scale = Math.min((canvas.width - 2 * pad) / (b.x1 - b.x0), (canvas.height - 2 * pad) / (b.y1 - b.y0));
    const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    let lo = Infinity, hi = -Infinity;
    if (colour && colour.values) for (const v of colour.values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const r = points.length > 600 ? 2 : 3;
    points.forEach(([x, y], i) => {
      if (colour && colour.classes) ctx.fillStyle = palette[colour.classes[i] % palette.length];
      else if (colour && colour.values) ctx.fillStyle = ramp((colour.values[i] - lo) / ((hi - lo) || 1));
      else ctx.fillStyle = palette[0];
      ctx.beginPath();
      ctx.arc(canvas.width / 2 + (x - cx) * scale, canvas.height / 2 - (y - cy) * scale, r, 0, 2 * Math.PI);
      ctx.fill();
    });
  }

  // Line plot: series [{data: [[x, y]], color, label}], options {logy, vlines: [{x, label}]}.
  function lines(canvas, series, opt) {
    opt = opt || {};
    const ctx = clear(canvas), L = 58, R = 10, T = 10, B = 30;
    const f = y => opt.logy ? (y > 0 ? Math.log10(y) : NaN) : y; // a log axis skips y <= 0
    const all = [];
    for (const s of series) for (const [x, y] of s.data) if (isFinite(f(y))) all.push([x, f(y)]);
    const b = bounds(all);
    const X = x => L + (x - b.x0) / (b.x1 - b.x0) * (canvas.width - L - R);
    const Y = y => canvas.height - B - (f(y) - b.y0) / (b.y1 - b.y0) * (canvas.height - T - B);
    ctx.strokeStyle = '#999'; ctx.lineWidth = 1;
    ctx.strokeRect(L, T, canvas.width - L - R, canvas.height - T - B);
    ctx.fillStyle = '#444'; ctx.font = '11px system-ui';
    const logLabel = v => (b.y1 - b.y0 >= 4) ? '1e' + v.toFixed(0) : Math.pow(10, v).toPrecision(2);
    const fmt = v => opt.logy ? logLabel(v) : (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(1) : +v.toPrecision(3));
    for (let k = 0; k <= 4; k++) {
      const v = b.y0 + k / 4 * (b.y1 - b.y0), py = canvas.height - B - k / 4 * (canvas.height - T - B);
      ctx.fillText(fmt(v), 2, py + 4);
      const u = b.x0 + k / 4 * (b.x1 - b.x0);
      ctx.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
      ctx.fillText(+u.toPrecision(3), L + k / 4 * (canvas.width - L - R), canvas.height - B + 14);
      ctx.textAlign = 'left';
    }
    if (opt.xlabel) ctx.fillText(opt.xlabel, canvas.width / 2 - 20, canvas.height - 3);
    for (const v of opt.vlines || []) {
      ctx.strokeStyle = '#888'; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(X(v.x), T); ctx.lineTo(X(v.x), canvas.height - B); ctx.stroke();
      ctx.setLineDash([]);
      if (v.label) ctx.fillText(v.label, X(v.x) + 3, T + 12);
    }
    series.forEach((s, k) => {
      ctx.strokeStyle = s.color || palette[k]; ctx.lineWidth = 2; ctx.beginPath();
      let started = false;
      for (const [x, y] of s.data) {
        if (!isFinite(f(y))) continue;
        if (started) ctx.lineTo(X(x), Y(y)); else { ctx.moveTo(X(x), Y(y)); started = true; }
      }
      ctx.stroke();
      ctx.fillStyle = s.color || palette[k];
      if (s.label) ctx.fillText(s.label, canvas.width - R - 150, T + 14 + 14 * k);
    });
  }

  return { message, updater, live, bindValues, heatmap, scatter, lines, palette, clear };
})();
