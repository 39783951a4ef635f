// orgsim serve: the what-if page. Plain JavaScript, no library: the charts are SVG drawn here.
"use strict";

// The main parameters shown as sliders. Titles, units, bounds and defaults come from the
// parameter declarations (/api/meta); `lo`/`hi` narrow a slider to a useful span inside them.
const MAIN = [
  { path: "organization.founders", lo: 1, hi: 500, title: "Founders" },
  { path: "organization.capacity", lo: 100, hi: 10000, step: 100, title: "Headcount the market supports" },
  { path: "organization.growth_rate", lo: 0.1, hi: 2, title: "Growth rate" },
  { path: "management.rule_growth", lo: 0, hi: 1, title: "Rules written", unit: "" },
  { path: "management.rule_retirement", lo: 0, hi: 0.2, title: "Rules retired" },
  { path: "management.suppression", lo: 0, hi: 1, title: "Managers block self-chosen work" },
  { path: "leadership.spot_rate", lo: 0, hi: 0.6, title: "Spotting opportunities" },
  { path: "leadership.fear", lo: 0, hi: 1, title: "Fear in the culture" },
  { path: "people.operational_load", lo: 0.3, hi: 0.95, title: "Time for day-to-day work" },
  { path: "years", lo: 5, hi: 40, step: 1, title: "Years simulated" },
];
// Per intervention kind, the settings shown (all declared; the others keep their values).
const MAIN_SETTINGS = {
  task_force: ["every_years", "duration_months", "members"],
  guiding_coalition: ["seats", "selection"],
  onboarding: ["initiative_boost"],
  autonomy: ["protected_share"],
  cross_team: ["every_months", "participants"],
  fear_based_management: ["fear"],
  psychological_safety: ["reduction"],
  negative_stereotyping: ["hostility"],
  keep_close: ["closeness"],
  celebrate_wins: ["boost"],
  follow_up: ["support"],
  urgency_group: ["share"],
  opportunity_statement: ["clarity", "appeal"],
  ninety_day_wins: ["cycle_days"],
};
const UI_RANGE = { seats: [1, 200], members: [1, 100], every_years: [0.25, 10], start_year: [0, 40],
  cycle_days: [14, 180], duration_months: [0.5, 24], every_months: [0.5, 24] };
const ELEMENTS = ["opportunity_statement", "urgency_group", "guiding_coalition", "ninety_day_wins",
  "celebrate_wins", "keep_close"];
const STORY = [
  { title: "Founding.", scenario: "baseline", focus: [0, 3],
    text: "A startup of 15 is a leadership network: with almost no process, nearly half its people lead or help an initiative." },
  { title: "Growth.", scenario: "baseline", focus: [3, 6],
    text: "As it grows, managers and rules arrive: process density rises, efficiency climbs, and capacity grows with headcount." },
  { title: "The dual window.", scenario: "baseline", focus: [6, 9],
    text: "For a few years both systems are strong: management runs the business, the network still innovates, and capacity peaks." },
  { title: "Bureaucracy.", scenario: "baseline", focus: [9, 20],
    text: "Density keeps rising, blocking and lost slack choke the network, and capacity collapses while efficiency stays high." },
  { title: "Task forces.", scenario: "task-forces", focus: [6, 20],
    text: "The usual remedy, a task force of senior people every three years, gives a small bump that fades once it is disbanded." },
  { title: "The dual system at maturity.", scenario: "dual-system", focus: [10, 20],
    text: "Kotter's dual operating system at year 10 brings capacity back at no cost in efficiency, then erodes as density keeps rising." },
  { title: "Early, with onboarding.", scenario: "dual-system-early", focus: [3, 20],
    text: "Started at year 3 with every hire onboarded, the network grows with the firm and far more capacity survives to year 20." },
];
const PIN_COLORS = ["var(--pin1)", "var(--pin2)", "var(--pin3)"];
const MAX_PINS = 3;

const $ = (id) => document.getElementById(id);
const client = Math.random().toString(36).slice(2);
let meta = null;
let decl = {};          // path -> declaration
let cols = {};          // column name -> column
let state = { scenario: "dual-system", set: [], replicates: null, seed: null, story: null };
let file = null;        // { name, text } of a loaded file
let resolved = null;    // the resolved scenario of the last accepted request
let current = null;     // { id, result, whatIf }
let pending = 0;        // id of the run being waited for
let generation = 0;     // counts recomputes (and stops): only the latest one draws
let pins = [];          // { label, whatIf, result, id, paired }

// ---------- numbers ----------
function fmt(v, digits) {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (digits === undefined && a < 0.001) return v.toExponential(1).replace(/-/g, "\u2212");
  let d = digits;
  if (d === undefined) d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 2 : a >= 0.01 ? 3 : 4;
  const s = v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  return s.replace(/-/g, "\u2212");
}
function signed(v) { return (v > 0 ? "+" : "") + fmt(v); }
function niceStep(span, target) {
  const raw = span / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
}
function ticks(lo, hi, target) {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, target);
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return { values: out, step };
}

// ---------- the URL holds the state ----------
function readUrl() {
  const q = new URLSearchParams(location.search);
  if (q.get("scenario")) state.scenario = q.get("scenario");
  state.set = q.getAll("set");
  state.replicates = q.get("replicates") ? +q.get("replicates") : null;
  state.seed = q.get("seed") !== null && q.get("seed") !== "" ? +q.get("seed") : null;
  state.story = q.get("story") !== null ? +q.get("story") : null;
  const theme = q.get("theme");
  if (theme) setTheme(theme);
}
// An opened scenario file travels in the link's fragment (never sent to the server):
// "#file=" + its name + ":" + the text, deflated and base64url-encoded ("z") where the browser
// can deflate, else the text base64url-encoded ("t").
let fileFragment = "";
let linkError = null; // a damaged file link: shown instead of running anything else
const b64url = (bytes) => { let bin = ""; for (const b of bytes) bin += String.fromCharCode(b); return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); };
const unb64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
async function piped(bytes, stream) { return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer()); }
async function encodeFile(f) {
  const bytes = new TextEncoder().encode(f.text);
  const packed = typeof CompressionStream === "function" ? "z" + b64url(await piped(bytes, new CompressionStream("deflate-raw"))) : "t" + b64url(bytes);
  return "file=" + encodeURIComponent(f.name) + ":" + packed;
}
async function decodeFile(fragment) {
  const m = /^#?file=([^:]*):([zt])([A-Za-z0-9_-]*)$/.exec(fragment);
  if (!m) throw new Error("its text is damaged (a character was added or cut)");
  let bytes = unb64url(m[3]);
  if (m[2] === "z") bytes = await piped(bytes, new DecompressionStream("deflate-raw"));
  return { name: decodeURIComponent(m[1]), text: new TextDecoder().decode(bytes) };
}
function urlOf() {
  const q = new URLSearchParams();
  q.set("scenario", state.scenario);
  for (const s of state.set) q.append("set", s);
  if (state.replicates !== null) q.set("replicates", state.replicates);
  if (state.seed !== null) q.set("seed", state.seed);
  if (state.story !== null) q.set("story", state.story);
  return location.pathname.replace(/^\/+/, "/") + "?" + q.toString() + (file && fileFragment ? "#" + fileFragment : "");
}
function writeUrl() { history.replaceState(null, "", urlOf()); }

function whatIf(extra) {
  const w = { scenario: state.scenario, set: state.set.slice(), client };
  if (file) w.file = file;
  if (state.replicates !== null) w.replicates = state.replicates;
  if (state.seed !== null) w.seed = state.seed;
  return Object.assign(w, extra || {});
}

// ---------- the server ----------
async function api(path, body) {
  const init = body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) { data = null; }
  if (!res.ok) throw new Error((data && data.error) || text || res.statusText);
  return data;
}
async function download(path, body, fallbackName) {
  const res = await fetch(path, body ? { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {});
  if (!res.ok) {
    const t = await res.text();
    let m = t; try { m = JSON.parse(t).error; } catch (e) { /* plain text */ }
    throw new Error(m);
  }
  const cd = res.headers.get("Content-Disposition") || "";
  const name = (cd.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  saveBlob(await res.blob(), name);
}
function saveBlob(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
function showError(message) {
  const e = $("error");
  if (message) { e.textContent = message; e.hidden = false; } else { e.hidden = true; e.textContent = ""; }
}
function busy(on, text) {
  document.body.classList.toggle("busy", on);
  $("stop").disabled = !on;
  if (text !== undefined) $("status-text").textContent = text;
}

// Starts a run of `w` and waits for it; `progress` sees (done, total). Resolves to
// { id, result } or null if it was cancelled or made stale.
async function runOnce(w, progress) {
  const started = await api("/api/run", w);
  if (progress) progress(0, started.total, started);
  const id = started.id;
  for (;;) {
    const s = await api("/api/run/" + id);
    if (s.state === "done") return { id, result: s.result, scenario: started.scenario };
    if (s.state === "cancelled") return null;
    if (s.state === "failed") throw new Error(s.error);
    if (progress && progress(s.done, s.total, started) === false) return null;
    await new Promise((r) => setTimeout(r, 120));
  }
}

async function recompute() {
  writeUrl();
  const w = whatIf();
  const t0 = performance.now();
  // A newer recompute, or Stop, makes this one stale: it then draws nothing.
  const gen = ++generation;
  busy(true, "Running…");
  try {
    const out = await runOnce(w, (done, total, started) => {
      if (gen !== generation) return false;
      if (pending !== started.id) { pending = started.id; resolved = started.scenario; buildControls(); }
      $("progress-bar").style.width = (100 * done / Math.max(1, total)) + "%";
      $("status-text").textContent = `Running ${done} of ${total} replicates…`;
      return true;
    });
    if (!out || gen !== generation) return;
    showError(null);
    current = { id: out.id, result: out.result, whatIf: w };
    await refreshPins();
    draw();
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    $("progress-bar").style.width = "100%";
    busy(false, `${out.result.replicates} replicates, seed ${out.result.seed}: ${secs} s`);
  } catch (e) {
    if (gen === generation) {
      showError(e.message);
      busy(false, "Not run: see the message above.");
    }
  }
}

async function refreshPins() {
  for (const p of pins) {
    const w = Object.assign({}, p.whatIf, { replicates: current.result.replicates, seed: current.result.seed, client: client + "-pin" });
    if (!p.result || p.result.replicates !== current.result.replicates || p.result.seed !== current.result.seed) {
      const out = await runOnce(w);
      if (!out) continue;
      p.id = out.id; p.result = out.result; p.whatIf = w;
    }
    try {
      p.paired = (await api(`/api/compare?reference=${p.id}&run=${current.id}`)).rows;
    } catch (e) { p.paired = null; }
  }
}

// ---------- controls ----------
function valueAt(doc, path) {
  let v = doc;
  for (const part of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (v === null || v === undefined) return undefined;
    v = v[part];
  }
  return v;
}
function setOverride(path, value) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  state.set = state.set.filter((s) => s.slice(0, s.indexOf("=")) !== path);
  state.set.push(path + "=" + text);
  state.story = null;
  updateStory();
  recompute();
}
function changed(path) { return state.set.some((s) => s.slice(0, s.indexOf("=")) === path || path.startsWith("interventions") && s.startsWith("interventions=")); }

function slider(path, d, value, opts) {
  const o = opts || {};
  const wrap = document.createElement("div");
  wrap.className = "param";
  const lo = Math.max(d.min ?? 0, o.lo ?? d.min ?? 0);
  let hi = Math.min(d.max ?? 100, o.hi ?? d.max ?? 100);
  if (value > hi) hi = value;
  const step = o.step ?? (d.integer ? 1 : niceStep(hi - lo, 100));
  const u = o.unit ?? d.unit;
  const unit = u && !["-", "integer", "count"].includes(u) ? " " + u : "";
  wrap.innerHTML = `<div class="label"><span></span><span class="value"></span></div>
    <input type="range"><div class="bounds"><span></span><span></span></div>`;
  const [title, shown] = wrap.querySelectorAll(".label span");
  title.textContent = o.title || capital(d.title.split(":")[0].split(";")[0]);
  title.title = `${d.path}: ${d.meaning || d.title} (allowed ${fmt(d.min, null)}–${fmt(d.max, null)}; default ${JSON.stringify(d.default)})`;
  const input = wrap.querySelector("input");
  input.min = lo; input.max = hi; input.step = step; input.value = value;
  input.dataset.param = path;
  input.setAttribute("aria-label", title.textContent);
  const show = (v) => { shown.textContent = fmt(+v, d.integer ? 0 : undefined) + unit; };
  show(value);
  if (changed(path)) shown.classList.add("changed");
  const [blo, bhi] = wrap.querySelectorAll(".bounds span");
  blo.textContent = fmt(lo, d.integer ? 0 : undefined); bhi.textContent = fmt(hi, d.integer ? 0 : undefined);
  input.addEventListener("input", () => show(input.value));
  input.addEventListener("change", () => setOverride(path, d.integer ? Math.round(+input.value) : +input.value));
  return wrap;
}
function checkbox(path, label, value) {
  const wrap = document.createElement("label");
  wrap.className = "param check";
  const input = document.createElement("input");
  input.type = "checkbox"; input.checked = value !== false; input.dataset.param = path;
  input.addEventListener("change", () => setOverride(path, input.checked));
  wrap.append(input, document.createTextNode(label));
  return wrap;
}
function choice(path, d, value) {
  const wrap = document.createElement("label");
  wrap.className = "param";
  const options = (d.title.match(/`([a-z_]+)`/g) || []).map((s) => s.replace(/`/g, ""));
  const sel = document.createElement("select");
  sel.dataset.param = path;
  for (const o of options) sel.add(new Option(o.replace(/_/g, " "), o, false, o === value));
  sel.addEventListener("change", () => setOverride(path, sel.value));
  const t = document.createElement("div");
  t.className = "label"; t.textContent = capital(d.name.replace(/_/g, " "));
  wrap.append(t, sel);
  return wrap;
}
function capital(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
function kindLabel(kind) {
  return { dual_operating_system: "Dual operating system", task_force: "Task force", ninety_day_wins: "90-day wins" }[kind]
    || capital(kind.replace(/_/g, " "));
}
function declOf(kind, name) { return decl[`interventions[kind=${kind}].${name}`] || decl[`interventions[].${name}`]; }
function setting(base, kind, name, value) {
  const d = declOf(kind, name);
  if (!d) return null;
  if (d.min === null || d.min === undefined) return typeof d.default === "string" || d.unit === "name" ? choice(`${base}.${name}`, d, value) : null;
  const r = UI_RANGE[name] || [];
  const v = value ?? (typeof d.default === "number" ? d.default : r[0] ?? d.min);
  return slider(`${base}.${name}`, d, v, { lo: r[0], hi: r[1] });
}

function buildControls() {
  if (!resolved) return;
  $("scenario").value = file ? "__file" : state.scenario;
  $("description").textContent = resolved.description || "";
  $("replicates").value = state.replicates ?? resolved.replicates;
  $("seed").value = state.seed ?? resolved.seed;
  const params = $("params");
  params.replaceChildren();
  for (const m of MAIN) {
    const d = decl[m.path];
    if (!d) continue;
    params.append(slider(m.path, d, valueAt(resolved, m.path), m));
  }
  const list = $("interventions");
  list.replaceChildren();
  const years = resolved.years || 20;
  (resolved.interventions || []).forEach((e, i) => {
    const base = `interventions[${i}]`;
    const box = document.createElement("div");
    box.className = "intervention" + (e.enabled === false ? " off" : "");
    box.dataset.kind = e.kind;
    const head = document.createElement("div");
    head.className = "head";
    const on = checkbox(`${base}.enabled`, kindLabel(e.kind), e.enabled);
    const remove = document.createElement("button");
    remove.className = "remove"; remove.type = "button"; remove.textContent = "\u2715";
    remove.title = "Remove this intervention"; remove.setAttribute("aria-label", "Remove " + kindLabel(e.kind));
    remove.addEventListener("click", () => replaceInterventions(resolved.interventions.filter((_, k) => k !== i)));
    head.append(on, remove);
    const body = document.createElement("div");
    body.className = "body";
    body.append(slider(`${base}.start_year`, decl["interventions[].start_year"], e.start_year, { lo: 0, hi: years, title: "Starts at year", unit: "" }));
    for (const name of MAIN_SETTINGS[e.kind] || []) {
      const c = setting(base, e.kind, name, e[name]);
      if (c) body.append(c);
    }
    if (e.kind === "dual_operating_system") {
      const els = document.createElement("div");
      els.className = "elements";
      for (const el of ELEMENTS) {
        const spec = e[el] || {};
        const eb = `${base}.${el}`;
        els.append(checkbox(`${eb}.enabled`, kindLabel(el), spec.enabled));
        if (el === "guiding_coalition" && spec.enabled !== false) {
          els.append(slider(`${eb}.start_year`, decl["interventions[].start_year"], spec.start_year ?? e.start_year, { lo: 0, hi: years, title: "Coalition starts at year", unit: "" }));
          for (const name of MAIN_SETTINGS.guiding_coalition) {
            const c = setting(eb, el, name, spec[name]);
            if (c) els.append(c);
          }
        }
      }
      body.append(els);
    }
    box.append(head, body);
    list.append(box);
  });
}
function replaceInterventions(list) {
  state.set = state.set.filter((s) => !s.startsWith("interventions"));
  state.set.push("interventions=" + JSON.stringify(list.map(stripNulls)));
  state.story = null;
  updateStory();
  recompute();
}
function stripNulls(v) {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === "object") {
    const o = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) o[k] = stripNulls(x);
    return o;
  }
  return v;
}

// ---------- charts ----------
const W = 900, SW = 470;
function svgEl(tag, attrs, text) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
// lines: [{ x, y, low, high, color, dash, width, label }]
function plot(svg, box, opt) {
  const { x0, y0, w, h } = box;
  const xmax = opt.xmax;
  let ymax = opt.ymax;
  if (ymax === undefined) {
    ymax = 0;
    for (const l of opt.lines) for (let i = 0; i < l.y.length; i++) ymax = Math.max(ymax, (l.high || l.y)[i]);
    ymax = ymax > 0 ? ymax * 1.05 : 1;
  }
  const yt = ticks(0, ymax, 5);
  ymax = yt.values[yt.values.length - 1] < ymax ? yt.values[yt.values.length - 1] + yt.step : yt.values[yt.values.length - 1];
  const X = (v) => x0 + (v / xmax) * w;
  const Y = (v) => y0 + h - (v / ymax) * h;
  const g = svgEl("g");
  svg.append(g);
  // Phases, the dual window, the story's focus.
  (opt.phases || []).forEach((p, i) => {
    g.append(svgEl("rect", { x: X(p.from), y: y0, width: Math.max(0, X(p.to) - X(p.from)), height: h, class: i % 2 ? "phase-b" : "phase-a" }));
    if (opt.phaseLabels && X(p.to) - X(p.from) > p.label.length * 7 + 8) g.append(svgEl("text", { x: X(p.from) + 4, y: y0 + 13, class: "phase-label" }, p.label));
  });
  for (const s of opt.windows || []) g.append(svgEl("rect", { x: X(s.from), y: y0, width: Math.max(0, X(s.to) - X(s.from)), height: h, class: "window" }));
  if (opt.focus) {
    const fx = X(opt.focus[0]), fw = X(Math.min(opt.focus[1], xmax)) - X(opt.focus[0]);
    g.append(svgEl("rect", { x: fx, y: y0, width: fw, height: h, class: "focus" }));
    g.append(svgEl("rect", { x: fx, y: y0 - 5, width: fw, height: 5, class: "focus-bar" }));
  }
  // Grid and axes.
  for (const v of yt.values) {
    g.append(svgEl("line", { x1: x0, x2: x0 + w, y1: Y(v), y2: Y(v), class: "grid" }));
    g.append(svgEl("text", { x: x0 - 6, y: Y(v) + 4, "text-anchor": "end", class: "tick" }, opt.percent ? fmt(v * 100, 0) + "%" : fmt(v, yt.step >= 1 ? 0 : undefined)));
  }
  const xt = ticks(0, xmax, Math.max(3, Math.round(w / 90)));
  for (const v of xt.values) {
    if (v > xmax + 1e-9) continue;
    g.append(svgEl("text", { x: X(v), y: y0 + h + 16, "text-anchor": "middle", class: "tick" }, fmt(v, 0)));
  }
  g.append(svgEl("line", { x1: x0, x2: x0 + w, y1: y0 + h, y2: y0 + h, class: "axis" }));
  g.append(svgEl("text", { x: x0 + w / 2, y: y0 + h + 32, "text-anchor": "middle", class: "axis-label" }, "years since founding"));
  if (opt.ylabel) g.append(svgEl("text", { x: x0, y: y0 - 8, class: "axis-label" }, opt.ylabel));
  // Intervention markers.
  let row = 0;
  for (const m of opt.markers || []) {
    const starts = [m.start];
    if (m.every) for (let t = m.start + m.every; t < (m.end ?? xmax) && t <= xmax; t += m.every) starts.push(t);
    for (const t of starts) if (t <= xmax) g.append(svgEl("line", { x1: X(t), x2: X(t), y1: y0, y2: y0 + h, class: "marker" }));
    if (m.end !== null && m.end !== undefined && m.end <= xmax) g.append(svgEl("line", { x1: X(m.end), x2: X(m.end), y1: y0, y2: y0 + h, class: "marker" }));
    if (opt.markerLabels && m.start <= xmax) {
      const right = X(m.start) > x0 + w * 0.75;
      g.append(svgEl("text", { x: X(m.start) + (right ? -4 : 4), y: y0 + 30 + 14 * row, "text-anchor": right ? "end" : "start", class: "marker-label" }, m.label));
      row = (row + 1) % 3;
    }
  }
  // Bands, then lines (pinned first, so the current run is on top).
  for (const l of opt.lines) {
    if (!l.low) continue;
    let d = "";
    l.x.forEach((x, i) => { d += (i ? "L" : "M") + X(x).toFixed(1) + "," + Y(l.high[i]).toFixed(1); });
    for (let i = l.x.length - 1; i >= 0; i--) d += "L" + X(l.x[i]).toFixed(1) + "," + Y(l.low[i]).toFixed(1);
    g.append(svgEl("path", { d: d + "Z", fill: l.color, "fill-opacity": 0.18, stroke: "none" }));
  }
  for (const l of opt.lines) {
    let d = "";
    l.x.forEach((x, i) => { d += (i ? "L" : "M") + X(x).toFixed(1) + "," + Y(l.y[i]).toFixed(1); });
    const attrs = { d, fill: "none", stroke: l.color, "stroke-width": l.width || 2.5, "stroke-linejoin": "round" };
    if (l.dash) attrs["stroke-dasharray"] = l.dash;
    const path = svgEl("path", attrs);
    if (l.name) path.dataset.series = l.name;
    g.append(path);
  }
  return { X, Y };
}
function legend(svg, items, x, y, charWidth) {
  for (const it of items) {
    const attrs = { x1: x, x2: x + 26, y1: y - 4, y2: y - 4, stroke: it.color, "stroke-width": 3 };
    if (it.dash) attrs["stroke-dasharray"] = it.dash;
    svg.append(svgEl("line", attrs));
    const t = svgEl("text", { x: x + 32, y, class: "legend" }, it.label);
    svg.append(t);
    x += 48 + it.label.length * (charWidth || 8.6);
  }
}
function newSvg(figure, height, title, width) {
  const svg = svgEl("svg", { viewBox: `0 0 ${width || W} ${height}`, role: "img", "aria-label": title });
  svg.append(svgEl("text", { x: 12, y: 22, class: "title" }, title));
  figure.replaceChildren(svg);
  return svg;
}
function band(result, name) { return result.bands.find((b) => b.name === name); }
function runsDrawn() {
  const runs = pins.filter((p) => p.result).map((p, i) => ({ result: p.result, color: PIN_COLORS[i], dash: "7 5", label: p.label, width: 2, pinned: true }));
  runs.push({ result: current.result, color: "var(--accent)", dash: null, label: pins.length ? "current" : "", width: 2.8 });
  return runs;
}
function draw() {
  if (!current) return;
  const r = current.result;
  const runs = runsDrawn();
  const focus = state.story !== null ? STORY[state.story].focus : null;
  const xmax = r.years.length ? Math.max(...runs.map((u) => u.result.years[u.result.years.length - 1])) : 20;
  const titleOf = (n) => (cols[n] ? cols[n].title : n);
  // Innovation capacity.
  {
    const fig = document.querySelector('[data-chart="innovation_capacity"]');
    const svg = newSvg(fig, 380, "Innovation capacity: expected innovations a year (mean, 95% band)");
    const lines = runs.map((u) => {
      const b = band(u.result, "innovation_capacity");
      return { x: u.result.years, y: b.mean, low: u.pinned ? null : b.low, high: b.high, color: u.color, dash: u.dash, width: u.width, name: u.label || "current" };
    });
    plot(svg, { x0: 60, y0: 74, w: W - 80, h: 260 }, { xmax, lines, phases: r.phases, phaseLabels: true, markers: r.markers, markerLabels: true, focus, ylabel: "innovations a year" });
    if (runs.length > 1) legend(svg, runs.map((u) => ({ color: u.color, dash: u.dash, label: u.label || "current" })), 14, 48);
  }
  // The two systems.
  {
    const fig = document.querySelector('[data-chart="two_systems"]');
    const svg = newSvg(fig, 400, "Management and leadership", SW);
    const lines = [];
    for (const u of runs) {
      const w = u.dash ? 1.8 : 2.6;
      for (const [name, color] of [["process_density", "var(--density)"], ["leadership_share", "var(--leaders)"]]) {
        const b = band(u.result, name);
        lines.push({ x: u.result.years, y: b.mean, low: u.dash ? null : b.low, high: b.high, color, dash: u.dash, width: w, name: name + (u.dash ? "-pinned" : "") });
      }
    }
    plot(svg, { x0: 52, y0: 88, w: SW - 68, h: 260 }, { xmax, lines, ymax: 1, percent: true, windows: r.dual_window, markers: r.markers, focus });
    legend(svg, [
      { color: "var(--density)", label: "management" },
      { color: "var(--leaders)", label: "leadership share" },
    ], 14, 50, 10);
    svg.append(svgEl("rect", { x: 14, y: 60, width: 26, height: 12, class: "window" }));
    svg.append(svgEl("text", { x: 46, y: 72, class: "legend" }, "both systems strong"));
  }
  // Headcount and efficiency.
  {
    const fig = document.querySelector('[data-chart="headcount_efficiency"]');
    const svg = newSvg(fig, 400, "Headcount and efficiency", SW);
    const panel = (name, x0, percent) => {
      const lines = runs.map((u) => {
        const b = band(u.result, name);
        return { x: u.result.years, y: b.mean, low: u.pinned ? null : b.low, high: b.high, color: u.color, dash: u.dash, width: u.width, name };
      });
      plot(svg, { x0, y0: 88, w: SW / 2 - 74, h: 260 }, { xmax, lines, percent, ymax: percent ? 1 : undefined, markers: r.markers, ylabel: titleOf(name).toLowerCase(), focus });
    };
    panel("headcount", 58, false);
    panel("efficiency", SW / 2 + 50, true);
  }
  drawOutcomes();
  drawPins();
}
function drawOutcomes() {
  const r = current.result;
  const t = $("outcomes");
  t.replaceChildren();
  const head = t.insertRow();
  head.innerHTML = "<th>outcome</th><th>mean [95% CI]</th>";
  for (const name of meta.headline) {
    const o = r.outcomes.find((x) => x.name === name);
    if (!o) continue;
    const row = t.insertRow();
    row.dataset.outcome = name;
    row.insertCell().textContent = cols[name] ? cols[name].title : name;
    const c = row.insertCell();
    c.textContent = fmt(o.mean);
    if (o.ci) { const s = document.createElement("div"); s.className = "ci"; s.textContent = `[${fmt(o.ci[0])}, ${fmt(o.ci[1])}]`; c.append(s); }
  }
  const cmp = $("comparison");
  cmp.replaceChildren();
  pins.forEach((p, i) => {
    if (!p.paired) return;
    const h = document.createElement("h2");
    h.innerHTML = `<span class="swatch dashed" style="border-color:${PIN_COLORS[i]}"></span> Current minus ${escapeHtml(p.label)}`;
    const table = document.createElement("table");
    table.dataset.compare = String(i + 1);
    table.insertRow().innerHTML = "<th>outcome</th><th>pinned → current</th><th>difference [95% CI]</th>";
    for (const row of p.paired) {
      const tr = table.insertRow();
      tr.dataset.outcome = row.name;
      tr.insertCell().textContent = cols[row.name] ? cols[row.name].title : row.name;
      tr.insertCell().textContent = `${fmt(row.reference)} → ${fmt(row.this)}`;
      const c = tr.insertCell();
      const apart = row.ci && (row.ci[0] > 0 || row.ci[1] < 0);
      c.textContent = signed(row.difference);
      c.className = apart ? (row.difference > 0 ? "up" : "down") : "";
      if (row.ci) { const s = document.createElement("div"); s.className = "ci"; s.textContent = `[${fmt(row.ci[0])}, ${fmt(row.ci[1])}]`; c.append(s); }
    }
    cmp.append(h, table);
  });
  if (pins.length) {
    const n = document.createElement("p");
    n.className = "note";
    n.textContent = `Paired on the same ${r.replicates} seeds: replicate r of each run shares its random numbers, so the difference is the change's effect.`;
    cmp.append(n);
  }
}
function escapeHtml(s) { return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }
function drawPins() {
  const el = $("pins");
  el.replaceChildren();
  pins.forEach((p, i) => {
    const d = document.createElement("div");
    d.className = "pin";
    d.innerHTML = `<span class="swatch dashed" style="border-color:${PIN_COLORS[i]}"></span>`;
    d.append(document.createTextNode(p.label));
    el.append(d);
  });
  $("unpin").disabled = pins.length === 0;
  $("pin").disabled = pins.length >= MAX_PINS || !current;
}
function describe(w) {
  const base = w.file ? w.file.name : w.scenario;
  if (!w.set.length) return base;
  const short = w.set.map((s) => s.startsWith("interventions=") ? "interventions changed" : s.replace(/^interventions\[(\d+)\]\./, "#$1 ").replace(/^[a-z]+\./, ""));
  const text = base + ": " + short.join(", ");
  return text.length > 70 ? text.slice(0, 69) + "…" : text;
}

// ---------- story mode ----------
function updateStory() {
  const on = state.story !== null;
  $("story").hidden = !on;
  $("story-toggle").classList.toggle("active", on);
  if (!on) return;
  const s = STORY[state.story];
  $("story-title").textContent = s.title;
  $("story-sentence").textContent = s.text;
  $("story-count").textContent = `${state.story + 1} / ${STORY.length}`;
  $("story-prev").disabled = state.story === 0;
  $("story-next").disabled = state.story === STORY.length - 1;
}
function goStory(i) {
  const s = STORY[i];
  const rerun = state.scenario !== s.scenario || state.set.length > 0 || file;
  state.story = i;
  state.scenario = s.scenario;
  state.set = [];
  file = null;
  updateStory();
  if (rerun || !current) recompute(); else { writeUrl(); draw(); }
}

// ---------- exports ----------
function pinWhatIfs() {
  return pins.map((p) => Object.assign({}, p.whatIf, { title: p.label.slice(0, 80) }));
}
async function exportChart(format) {
  const chart = $("export-chart").value;
  const runs = pinWhatIfs().slice(0, meta.limits.chart_scenarios - 1).concat([whatIf({ title: pins.length ? "current what-if" : undefined })]);
  if (chart === "comparison" && runs.length < 2) throw new Error("Pin a run first: the comparison chart draws the current run against a pinned one.");
  const dark = document.documentElement.classList.contains("dark");
  $("note").textContent = "Drawing the chart with orgsim plot's code (runs the what-if again)…";
  await download("/api/chart", { runs, chart, format, theme: dark ? "dark" : "light" }, chart + "." + format);
  $("note").textContent = "";
}
async function snapshot() {
  const css = await (await fetch("style.css")).text();
  const root = document.documentElement.classList.contains("dark") ? "dark" : "";
  const charts = [...document.querySelectorAll("#charts .chart")].map((f) => `<figure class="${f.className}">${f.innerHTML}</figure>`).join("\n");
  const link = location.origin + urlOf();
  const rows = (w) => w.set.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("") || "<li>no changes</li>";
  const html = `<!doctype html><html lang="en" class="${root}"><head><meta charset="utf-8">
<title>orgsim what-if: ${escapeHtml(describe(current.whatIf))}</title><style>${css}
body{padding:16px;max-width:1400px;margin:auto} main{display:block} #charts{margin:12px 0}</style></head><body>
<h1>orgsim what-if: ${escapeHtml(current.whatIf.file ? current.whatIf.file.name : current.whatIf.scenario)}</h1>
<p>${escapeHtml(resolved ? resolved.description : "")}</p>
<p>${current.result.replicates} replicates, seed ${current.result.seed}, orgsim ${escapeHtml(meta.version)}. Changes:</p><ul>${rows(current.whatIf)}</ul>
${pins.map((p, i) => `<p>Pinned ${i + 1}: ${escapeHtml(p.label)}</p>`).join("")}
<section id="charts">${charts}</section>
<h2>Outcomes</h2><table>${$("outcomes").innerHTML}</table>
<div>${$("comparison").innerHTML}</div>
<p class="note">Rerun it live: <code>orgsim serve</code>, then open <code>${escapeHtml(link)}</code>.</p>
</body></html>`;
  saveBlob(new Blob([html], { type: "text/html" }), "orgsim-what-if.html");
}

// ---------- theme ----------
function setTheme(t) {
  document.documentElement.classList.toggle("dark", t === "dark");
  $("theme").textContent = t === "dark" ? "Light" : "Dark";
}

// ---------- start ----------
async function start() {
  readUrl();
  if (location.hash.startsWith("#file=")) {
    try { file = await decodeFile(location.hash); fileFragment = location.hash.slice(1); }
    catch (e) { file = null; linkError = "This link's scenario file could not be read: " + e.message + ". Ask for the link again, or open the exported scenario file."; }
  }
  if (!new URLSearchParams(location.search).get("theme") && matchMedia("(prefers-color-scheme: dark)").matches) setTheme("dark");
  meta = await api("/api/meta");
  for (const d of meta.params) decl[d.path] = d;
  for (const c of meta.series.concat(meta.outcomes)) cols[c.name] = c;
  const sel = $("scenario");
  for (const s of meta.scenarios) sel.add(new Option(s.title ? `${s.title} (${s.name})` : s.name, s.name));
  sel.add(new Option("(a file you opened)", "__file"));
  sel.options[sel.options.length - 1].disabled = true;
  sel.value = state.scenario;
  const kinds = [...new Set(meta.params.map((d) => (d.path.match(/^interventions\[kind=([a-z_]+)\]/) || [])[1]).filter(Boolean))];
  kinds.unshift("dual_operating_system");
  for (const k of kinds) $("add-kind").add(new Option(kindLabel(k), k));
  $("replicates").max = meta.limits.replicates;

  sel.addEventListener("change", () => { state.scenario = sel.value; state.set = []; state.story = null; file = null; updateStory(); recompute(); });
  $("file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    file = { name: f.name, text: await f.text() };
    fileFragment = await encodeFile(file);
    state.set = []; state.story = null; updateStory();
    $("note").textContent = "The file travels in the link (after its #): a copied link opens the same what-if.";
    recompute();
  });
  $("replicates").addEventListener("change", () => { state.replicates = Math.round(+$("replicates").value); recompute(); });
  $("seed").addEventListener("change", () => { state.seed = Math.round(+$("seed").value); recompute(); });
  $("stop").addEventListener("click", async () => {
    const id = pending;
    generation++;
    busy(false, "Stopped.");
    try { await api(`/api/run/${id}/cancel`, {}); } catch (e) { /* already finished */ }
  });
  $("pin").addEventListener("click", () => {
    if (!current || pins.length >= MAX_PINS) return;
    pins.push({ label: describe(current.whatIf), whatIf: current.whatIf, result: current.result, id: current.id, paired: null });
    drawPins();
    draw();
  });
  $("unpin").addEventListener("click", () => { pins = []; draw(); });
  $("copy-link").addEventListener("click", async () => {
    const link = location.origin + urlOf();
    try { await navigator.clipboard.writeText(link); $("note").textContent = "Link copied."; }
    catch (e) { $("note").textContent = link; }
  });
  $("reset").addEventListener("click", () => { state.set = []; recompute(); });
  $("add").addEventListener("click", () => {
    const kind = $("add-kind").value;
    const list = (resolved.interventions || []).slice();
    list.push({ kind, start_year: Math.round((resolved.years || 20) / 2) });
    replaceInterventions(list);
  });
  $("story-toggle").addEventListener("click", () => {
    if (state.story === null) goStory(0); else { state.story = null; updateStory(); writeUrl(); draw(); }
  });
  $("story-prev").addEventListener("click", () => goStory(Math.max(0, state.story - 1)));
  $("story-next").addEventListener("click", () => goStory(Math.min(STORY.length - 1, state.story + 1)));
  document.addEventListener("keydown", (e) => {
    if (state.story === null || e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
    if (e.key === "ArrowRight" && state.story < STORY.length - 1) goStory(state.story + 1);
    if (e.key === "ArrowLeft" && state.story > 0) goStory(state.story - 1);
  });
  $("theme").addEventListener("click", () => { setTheme(document.documentElement.classList.contains("dark") ? "light" : "dark"); });
  const guard = (f) => async () => { try { showError(null); await f(); } catch (e) { showError(e.message); $("note").textContent = ""; } };
  $("export-scenario").addEventListener("click", guard(() => download("/api/scenario", whatIf(), "what-if.json")));
  $("export-csv").addEventListener("click", guard(() => download(`/api/run/${current.id}/series.csv`, null, "orgsim-series.csv")));
  $("export-png").addEventListener("click", guard(() => exportChart("png")));
  $("export-svg").addEventListener("click", guard(() => exportChart("svg")));
  $("export-html").addEventListener("click", guard(snapshot));
  updateStory();
  if (state.story !== null && STORY[state.story]) { state.scenario = STORY[state.story].scenario; }
  if (linkError) { $("scenario").value = "__file"; showError(linkError); return; }
  await recompute();
}
start().catch((e) => showError(e.message));
