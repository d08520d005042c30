/* app.js - the what-if page of `funnelsim serve` (cli/serve_page.h).
 *
 * Reads the scenario's levers and measures from GET /api/meta, shows them
 * as controls named by the key table's labels, and on every change asks
 * POST /api/run {"set": {PATH: value}} for the figures (debounced; a newer
 * change aborts the older request, so a stale answer never overwrites a
 * fresh one).  The junk-vs-inflow curve is a row of /api/run calls with
 * every channel's inflow scaled together from 0.5x to 2x: five points at
 * a few replications first (drawn at once, marked as coarse), then the
 * full curve at the scenario's replications, drawn as the points arrive.
 * The settings live in the URL's fragment (#PATH=VALUE&...&measures=2,5),
 * so a link reopens the same what-if; the access token is taken out of
 * the address bar once the page has its cookie.  No inline script, no
 * network beyond this server (CSP default-src 'self'). */
'use strict';

const DEBOUNCE_MS = 60;
const COARSE_SCALES = [0.5, 0.875, 1.25, 1.625, 2];
const COARSE_REPS = 4;
const FINE_STEPS = 16;          /* 0.5, 0.6, ..., 2.0 */

let meta = null;
const values = {};              /* lever key -> current value */
const onMeasures = new Set();   /* measure numbers switched on */
let runAbort = null, curveAbort = null, runTimer = null, runSeq = 0;
let lastRun = null;

const $ = (id) => document.getElementById(id);

function pct(x) { return (100 * x).toFixed(1) + '%'; }
function shareCi(m) {
  if (!m || typeof m.mean !== 'number') return '-';
  const ci = m.ci95;
  if (ci && typeof ci[0] === 'number' && typeof ci[1] === 'number')
    return pct(m.mean) + ' (95% CI ' + pct(ci[0]) + ' to ' + pct(ci[1]) + ')';
  return pct(m.mean);
}
function num(x, digits) {
  if (typeof x !== 'number' || !isFinite(x)) return '-';
  return x.toLocaleString('en', { maximumFractionDigits: digits === undefined ? 0 : digits });
}
function countCi(m, digits) {
  if (!m || typeof m.mean !== 'number') return '-';
  const ci = m.ci95;
  const s = num(m.mean, digits);
  return ci && typeof ci[0] === 'number' ? s + ' (' + num(ci[0], digits) + ' to ' + num(ci[1], digits) + ')' : s;
}

/* ---- the settings ------------------------------------------------------- */

function leverOf(key) { return meta.levers.find((l) => l.key === key); }

/* What /api/run is asked to set: every switched-on measure's keys, then
 * every lever that differs from the scenario (or that a measure set). */
function settings() {
  const set = {};
  for (const m of meta.measures)
    if (onMeasures.has(m.number))
      for (const kv of m.keys) set[kv.key] = kv.value;
  for (const l of meta.levers)
    if (values[l.key] !== l.value || l.key in set) set[l.key] = values[l.key];
  return set;
}

function writeFragment() {
  const p = new URLSearchParams();
  for (const l of meta.levers)
    if (values[l.key] !== l.value) p.set(l.key, JSON.stringify(values[l.key]));
  if (onMeasures.size) p.set('measures', [...onMeasures].sort((a, b) => a - b).join(','));
  const frag = p.toString();
  history.replaceState(null, '', location.pathname + (frag ? '#' + frag : ''));
}

function readFragment() {
  const p = new URLSearchParams(location.hash.slice(1));
  for (const [k, v] of p) {
    if (k === 'measures') {
      for (const n of v.split(',')) if (meta.measures.some((m) => m.number === +n)) onMeasures.add(+n);
      continue;
    }
    const l = leverOf(k);
    if (!l) continue;
    try {
      const x = JSON.parse(v);
      if (x === null ? l.nullable : typeof x === (l.type === 'bool' ? 'boolean' : 'number')) values[k] = x;
    } catch (e) { /* a hand-edited link: ignore that part */ }
  }
}

/* ---- controls ------------------------------------------------------------ */

function idOf(key) { return 'lever-' + key.replace(/[^A-Za-z0-9]/g, '_'); }

function buildLevers() {
  const form = $('levers');
  form.textContent = '';
  for (const l of meta.levers) {
    const div = document.createElement('div');
    div.className = 'lever';
    const id = idOf(l.key);
    if (l.type === 'bool') {
      div.className = 'lever switch';
      const box = document.createElement('input');
      box.type = 'checkbox'; box.id = id; box.dataset.key = l.key;
      box.addEventListener('change', () => { values[l.key] = box.checked; changed(); });
      const lab = document.createElement('label');
      lab.htmlFor = id; lab.textContent = l.label;
      div.append(box, lab);
    } else {
      const lab = document.createElement('label');
      lab.htmlFor = id; lab.textContent = l.label;
      const range = document.createElement('input');
      range.type = 'range'; range.min = l.min; range.max = l.max; range.step = l.step;
      range.setAttribute('aria-label', l.label); range.dataset.key = l.key;
      const box = document.createElement('input');
      box.type = 'number'; box.id = id; box.min = l.min; box.max = l.max; box.step = l.step;
      box.dataset.key = l.key;
      const unit = document.createElement('span');
      unit.className = 'unit'; unit.textContent = ' ' + (l.unit || '');
      const set = (x) => {
        if (!isFinite(x)) return;
        values[l.key] = l.type === 'integer' ? Math.round(x) : x;
        changed();
      };
      range.addEventListener('input', () => set(parseFloat(range.value)));
      box.addEventListener('input', () => set(parseFloat(box.value)));
      div.append(lab, range, ' ', box, unit);
      if (l.nullable) {
        const none = document.createElement('input');
        none.type = 'checkbox'; none.id = id + '-none'; none.dataset.key = l.key;
        const nl = document.createElement('label');
        nl.htmlFor = none.id; nl.textContent = 'none';
        nl.style.display = 'inline'; nl.style.fontWeight = 'normal';
        none.addEventListener('change', () => {
          values[l.key] = none.checked ? null : (l.value !== null ? l.value : Math.round((l.min + l.max) / 2));
          changed();
        });
        div.append(' ', none, nl);
      }
    }
    form.append(div);
  }
}

function buildMeasures() {
  if (!meta.measures.length) return;
  $('measures-box').hidden = false;
  const form = $('measures');
  for (const m of meta.measures) {
    const div = document.createElement('div');
    div.className = 'switch';
    const box = document.createElement('input');
    box.type = 'checkbox'; box.id = 'measure-' + m.number; box.dataset.measure = m.number;
    const lab = document.createElement('label');
    lab.htmlFor = box.id; lab.textContent = m.number + '. ' + m.name;
    lab.title = m.keys.map((kv) => kv.key + ' = ' + JSON.stringify(kv.value)).join('\n');
    box.addEventListener('change', () => {
      if (box.checked) onMeasures.add(m.number); else onMeasures.delete(m.number);
      /* A lever the measure moves shows the measure's value, or the
       * scenario's when it is switched off. */
      for (const kv of m.keys) {
        const l = leverOf(kv.key);
        if (l) values[l.key] = box.checked ? kv.value : l.value;
      }
      changed();
    });
    div.append(box, lab);
    form.append(div);
  }
}

function showControls() {
  for (const el of document.querySelectorAll('#levers input')) {
    const l = leverOf(el.dataset.key), v = values[l.key];
    if (el.type === 'checkbox' && l.type === 'bool') el.checked = v;
    else if (el.type === 'checkbox') el.checked = v === null;
    else { el.disabled = v === null; if (v !== null) el.value = v; }
  }
  for (const el of document.querySelectorAll('#measures input'))
    el.checked = onMeasures.has(+el.dataset.measure);
}

function changed() {
  showControls();
  writeFragment();
  clearTimeout(runTimer);
  runTimer = setTimeout(run, DEBOUNCE_MS);
  $('results').classList.add('stale');
}

/* ---- the server ------------------------------------------------------------ */

async function post(path, body, signal) {
  const r = await fetch(path, {
    method: 'POST', credentials: 'same-origin', signal,
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!r.ok) {
    let msg = r.status + ' ' + r.statusText;
    try { const j = await r.json(); if (j.error) msg = j.error; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}

/* A quick answer from QUICK_REPS replications first (the same streams as
 * the first replications of the full run), said so on the page, then the
 * full one; a newer change aborts both. */
const QUICK_REPS = 5;

async function run() {
  if (runAbort) runAbort.abort();
  if (curveAbort) curveAbort.abort();
  runAbort = new AbortController();
  const signal = runAbort.signal;
  const seq = ++runSeq, set = settings(), t0 = performance.now();
  $('status').textContent = 'Running...';
  $('status').className = 'meta';
  try {
    if (!('replications' in set)) {
      const quick = await (await post('/api/run', { set: Object.assign({}, set, { replications: QUICK_REPS }) }, signal)).json();
      if (seq !== runSeq) return;
      showRun(quick);
      $('status').textContent = 'Quick answer from ' + quick.replications + ' replications (' +
        Math.round(performance.now() - t0) + ' ms); the full run is on its way...';
      document.body.dataset.quickAt = String(performance.now());
      $('results').classList.remove('stale');
    }
    const res = await (await post('/api/run', { set }, signal)).json();
    if (seq !== runSeq) return;
    lastRun = res;
    showRun(res);
    const ms = Math.round(performance.now() - t0);
    $('status').textContent = 'From ' + res.replications + ' replications, seed ' + res.seed +
      ', answered in ' + ms + ' ms.';
    document.body.dataset.answered = String(seq);
    document.body.dataset.answeredAt = String(performance.now());
    $('results').classList.remove('stale');
    curve(set, res);
  } catch (e) {
    if (e.name === 'AbortError') return;
    $('status').textContent = 'Error: ' + e.message;
    $('status').className = 'meta error';
  }
}

function showRun(res) {
  $('junk-rate').textContent = shareCi(res.junk_rate);
  $('junk-rate').dataset.value = res.junk_rate.mean;
  $('lost-rate').textContent = shareCi(res.lost_rate);
  $('lost-rate').dataset.value = res.lost_rate.mean;
  $('deals').textContent = countCi(res.deals);
  $('revenue').textContent = countCi(res.revenue);
  $('profit').textContent = countCi(res.profit);
  $('load').textContent = num(res.load_ratio, 2) + ' (' + num(res.offered_per_week) +
    ' leads a week for a capacity of ' + num(res.capacity_per_week) + ')';
  /* Junk by cause: a stacked bar in the report's colours and words. */
  const bars = $('causes');
  bars.textContent = '';
  const total = Math.max(res.junk_rate.mean, 1e-9);
  for (const r of meta.reasons) {
    const m = res.junk_by_reason[r.key];
    if (!m) continue;
    const s = document.createElement('span');
    s.style.width = (100 * m.mean / total) + '%';
    s.style.background = r.colour;
    s.title = r.label + ': ' + pct(m.mean);
    bars.append(s);
  }
  let legend = bars.nextElementSibling;
  if (!legend || legend.className !== 'legend') {
    legend = document.createElement('div');
    legend.className = 'legend';
    bars.after(legend);
  }
  legend.textContent = '';
  for (const r of meta.reasons) {
    const m = res.junk_by_reason[r.key];
    if (!m) continue;
    const e = document.createElement('span');
    const i = document.createElement('i');
    i.style.background = r.colour;
    e.append(i, r.label + ' ' + pct(m.mean));
    legend.append(e);
  }
  const tb = $('channels').tBodies[0];
  tb.textContent = '';
  for (const c of res.by_channel || []) {
    const tr = document.createElement('tr');
    for (const text of [c.name, num(c.leads_generated && c.leads_generated.mean),
      shareCi(c.junk_rate), shareCi(c.lost_rate), num(c.deals && c.deals.mean)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tb.append(tr);
  }
}

/* ---- the curve ------------------------------------------------------------------ */

function scaled(set, factor, reps) {
  const s = Object.assign({}, set);
  for (const l of meta.levers)
    if (l.role === 'inflow') {
      const v = (l.key in s ? s[l.key] : values[l.key]) * factor;
      s[l.key] = l.type === 'integer' ? Math.max(l.min > 0 ? 1 : 0, Math.round(v)) : v;
    }
  if (reps) s.replications = reps;
  return s;
}

async function curve(set, today) {
  curveAbort = new AbortController();
  const signal = curveAbort.signal;
  const pts = { coarse: [], fine: [] };
  const point = async (f, reps, into) => {
    const r = await post('/api/run', { set: scaled(set, f, reps) }, signal);
    const res = await r.json();
    into.push({ x: res.inflow_per_week, y: res.junk_rate.mean, lo: res.junk_rate.ci95[0], hi: res.junk_rate.ci95[1] });
    into.sort((a, b) => a.x - b.x);
    draw(pts, today);
  };
  try {
    $('curve-status').textContent = 'Coarse curve (' + COARSE_REPS + ' replications a point)...';
    await Promise.all(COARSE_SCALES.map((f) => point(f, COARSE_REPS, pts.coarse)));
    $('curve-status').textContent = 'Coarse curve from ' + COARSE_REPS + ' replications a point; refining...';
    /* One point at a time: a change made meanwhile waits for at most one
     * point's run before its own starts. */
    for (let j = 0; j < FINE_STEPS; j++)
      await point(0.5 + 1.5 * j / (FINE_STEPS - 1), 0, pts.fine);
    pts.coarse = [];
    draw(pts, today);
    $('curve-status').textContent = FINE_STEPS + ' points at ' + today.replications +
      ' replications each, every channel scaled together; band: 95% interval.';
  } catch (e) {
    if (e.name !== 'AbortError') $('curve-status').textContent = 'Curve: ' + e.message;
  }
}

function draw(pts, today) {
  const cv = $('curve'), g = cv.getContext('2d'), C = meta.colours;
  const W = cv.width, H = cv.height, L = 56, R = 16, T = 14, B = 40;
  g.clearRect(0, 0, W, H);
  const all = pts.fine.concat(pts.coarse);
  const xs = all.map((p) => p.x).concat([today.inflow_per_week, today.capacity_per_week]);
  const x0 = Math.min(...xs) * 0.95, x1 = Math.max(...xs) * 1.05;
  const y1 = Math.max(0.1, ...all.map((p) => p.hi || p.y), today.junk_rate.mean) * 1.1;
  const X = (x) => L + (W - L - R) * (x - x0) / (x1 - x0);
  const Y = (y) => H - B - (H - T - B) * y / y1;
  g.font = '12px sans-serif'; g.fillStyle = '#555'; g.strokeStyle = '#ddd'; g.lineWidth = 1;
  for (let k = 0; k <= 5; k++) {
    const y = y1 * k / 5;
    g.beginPath(); g.moveTo(L, Y(y)); g.lineTo(W - R, Y(y)); g.stroke();
    g.fillText(pct(y), 4, Y(y) + 4);
  }
  g.fillText('leads a week (all channels)', W / 2 - 70, H - 6);
  for (let k = 0; k <= 4; k++) {
    const x = x0 + (x1 - x0) * k / 4;
    g.fillText(num(x), X(x) - 12, H - B + 16);
  }
  const line = (p, colour, width, dash) => {
    if (p.length < 1) return;
    g.strokeStyle = colour; g.lineWidth = width; g.setLineDash(dash || []);
    g.beginPath();
    p.forEach((q, i) => (i ? g.lineTo(X(q.x), Y(q.y)) : g.moveTo(X(q.x), Y(q.y))));
    g.stroke(); g.setLineDash([]);
  };
  if (pts.fine.length > 1) {
    g.fillStyle = C.band; g.globalAlpha = 0.55; g.beginPath();
    pts.fine.forEach((q, i) => (i ? g.lineTo(X(q.x), Y(q.hi)) : g.moveTo(X(q.x), Y(q.hi))));
    [...pts.fine].reverse().forEach((q) => g.lineTo(X(q.x), Y(q.lo)));
    g.closePath(); g.fill(); g.globalAlpha = 1;
  }
  line(pts.coarse, C.mean, 2, [4, 4]);
  line(pts.fine, C.mean, 3);
  const vline = (x, colour, dash, text) => {
    if (!(x >= x0 && x <= x1)) return;
    g.strokeStyle = colour; g.lineWidth = 2; g.setLineDash(dash);
    g.beginPath(); g.moveTo(X(x), T); g.lineTo(X(x), H - B); g.stroke(); g.setLineDash([]);
    g.fillStyle = colour; g.fillText(text, X(x) + 4, T + 12);
  };
  vline(today.capacity_per_week, C.cap, [8, 4], 'capacity ' + num(today.capacity_per_week));
  const target = typeof today.target_junk === 'number' ? today.target_junk : 0.1;
  g.strokeStyle = C.target; g.setLineDash([6, 4]); g.lineWidth = 2;
  g.beginPath(); g.moveTo(L, Y(target)); g.lineTo(W - R, Y(target)); g.stroke(); g.setLineDash([]);
  g.fillStyle = C.today;
  g.beginPath(); g.arc(X(today.inflow_per_week), Y(today.junk_rate.mean), 6, 0, 2 * Math.PI); g.fill();
  g.fillText('today', X(today.inflow_per_week) + 8, Y(today.junk_rate.mean) - 8);
}

/* ---- downloads -------------------------------------------------------------------- */

async function download(path, fallback) {
  try {
    const r = await post(path, { set: settings() });
    const cd = r.headers.get('Content-Disposition') || '';
    const m = /filename="?([^";]+)"?/.exec(cd);
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement('a');
    a.href = url; a.download = m ? m[1] : fallback;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    $('status').textContent = 'Download failed: ' + e.message;
    $('status').className = 'meta error';
  }
}

/* ---- start ---------------------------------------------------------------------------- */

async function start() {
  try {
    const r = await fetch('/api/meta', { credentials: 'same-origin' });
    if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
    meta = await r.json();
  } catch (e) {
    $('status').textContent = 'Cannot read the scenario: ' + e.message;
    $('status').className = 'meta error';
    return;
  }
  /* The cookie is set: the token leaves the address bar (and any link). */
  if (location.search) history.replaceState(null, '', location.pathname + location.hash);
  $('title').textContent = 'What if: ' + meta.name;
  $('description').textContent = meta.description;
  for (const l of meta.levers) values[l.key] = l.value;
  buildLevers();
  buildMeasures();
  readFragment();
  showControls();
  $('reset').addEventListener('click', () => {
    for (const l of meta.levers) values[l.key] = l.value;
    onMeasures.clear();
    changed();
  });
  $('download-scenario').addEventListener('click', () => download('/api/scenario', meta.name + '-what-if.json'));
  $('download-report').addEventListener('click', () => download('/api/report', 'report.html'));
  /* A link pasted into this tab: its settings, from the scenario's. */
  window.addEventListener('hashchange', () => {
    for (const l of meta.levers) values[l.key] = l.value;
    onMeasures.clear();
    readFragment();
    changed();
  });
  run();
}

document.addEventListener('DOMContentLoaded', start);
