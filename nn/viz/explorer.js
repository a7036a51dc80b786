// The explorer's script: `root` is its element. The SVG is drawn once; a
// step only repaints the nodes whose gradient changed between two steps
// (read from `timeline`), moves the `active` class and recolours edges.
"use strict";
const data = JSON.parse(root.querySelector("script.agx-data").textContent);
const N = data.steps;
const view = root.querySelector(".agx-view");
const svg = view.querySelector("svg");
const caption = root.querySelector("[data-caption]");
const details = root.querySelector("[data-details]");
const slider = root.querySelector('[data-act="slider"]');
const counter = root.querySelector(".agx-counter");
const playButton = root.querySelector('[data-act="play"]');

const nodes = {};
for (const g of root.querySelectorAll("[data-node]")) {
  nodes[g.dataset.node] = {g: g, texts: Array.from(g.querySelectorAll('[data-role="grad"]'))};
}
const edges = {};
for (const g of root.querySelectorAll("[data-edge]")) edges[g.dataset.edge] = g;
const changes = [];  // step -> keys of the nodes whose gradient changes at that step
for (let s = 0; s <= N; s++) changes.push([]);
for (const key of Object.keys(data.timeline)) {
  for (const entry of data.timeline[key]) changes[entry[0]].push(key);
}

function stateAt(key, step) {  // [step, version, complete] in force at `step`, or null
  const line = data.timeline[key];
  if (!line) return null;
  let lo = 0, hi = line.length - 1, found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (line[mid][0] <= step) { found = line[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

// A gradient's state shows as attributes of its own text and cell, not as a
// class on the node: restyling a thousand nodes' subtrees after a class
// change costs more than the step itself. `data-grad` names the state.
const STATES = ["unknown", "partial", "complete"];
const CELL = [null, "#fff2cc", "#b6e3b6"], INK = ["#aaaaaa", null, null];
for (const key of Object.keys(nodes)) {
  const node = nodes[key];
  node.bg = node.g.querySelector('[data-role="gradbg"]');
  node.paper = node.bg ? node.bg.getAttribute("fill") : null;
}
function paint(key, step) {
  const node = nodes[key];
  if (!node || !node.texts.length) return;
  const state = stateAt(key, step);
  const version = state ? state[1] : -1, kind = state ? 1 + state[2] : 0;
  if (node.version !== version) {  // only what changed: each text costs layout
    const lines = state ? data.versions[version].lines : ["?"];
    node.texts.forEach((text, i) => {
      text.textContent = i < lines.length ? (i === 0 ? "grad " : "     ") + lines[i] : "";
    });
    node.version = version;
  }
  if (node.kind !== kind) {
    node.g.dataset.grad = STATES[kind];
    if (node.bg) node.bg.setAttribute("fill", CELL[kind] || node.paper);
    for (const text of node.texts) {
      if (INK[kind]) text.setAttribute("fill", INK[kind]); else text.removeAttribute("fill");
      if (kind === 1) text.setAttribute("font-style", "italic"); else text.removeAttribute("font-style");
    }
    node.kind = kind;
  }
}

let current = -1, marked = [], selected = null;
function show(step) {
  step = Math.max(0, Math.min(N, Math.round(Number(step)) || 0));
  if (current < 0) {
    for (const key of Object.keys(nodes)) paint(key, step);
  } else if (step !== current) {
    const from = Math.min(current, step) + 1, to = Math.max(current, step);
    const touched = new Set();
    for (let s = from; s <= to; s++) for (const key of changes[s]) touched.add(key);
    touched.forEach(key => paint(key, step));
  }
  for (const [g, cls] of marked) g.classList.remove(cls);
  marked = [];
  const frame = data.frames[step];
  if (frame.active) {
    const op = nodes["o" + frame.active.slice(1)];
    marked.push([nodes[frame.active].g, "active"]);
    if (op) marked.push([op.g, "agx-active-op"]);
  }
  for (const id of frame.edges) if (edges[id]) marked.push([edges[id], "agx-flow"]);
  for (const [g, cls] of marked) g.classList.add(cls);
  caption.textContent = frame.caption;
  root.dataset.step = String(step);
  slider.value = String(step);
  counter.textContent = "step " + step + " of " + N;
  current = step;
  if (selected) describe(selected);
  if (frame.active) reveal(nodes[frame.active].g);
}

// -- zoom, pan, and keeping the active node in sight ------------------------------
const unit = v => (String(v).endsWith("pt") ? 4 / 3 : 1) * parseFloat(v);
const width = unit(svg.getAttribute("width")), height = unit(svg.getAttribute("height"));
let scale = 1;
function zoom(to, x, y) {  // keep the point (x, y) of the view where it is
  const old = scale;
  scale = Math.max(0.05, Math.min(4, to));
  if (x === undefined) { x = view.clientWidth / 2; y = view.clientHeight / 2; }
  const left = (view.scrollLeft + x) * scale / old - x, top = (view.scrollTop + y) * scale / old - y;
  svg.setAttribute("width", (width * scale).toFixed(1));
  svg.setAttribute("height", (height * scale).toFixed(1));
  view.scrollLeft = left;
  view.scrollTop = top;
}
function fit() {
  zoom(Math.min(1, (view.clientWidth - 4) / width));
  view.scrollLeft = 0;
  view.scrollTop = 0;
}
function reveal(g) {
  const r = g.getBoundingClientRect(), v = view.getBoundingClientRect();
  if (r.left < v.left || r.right > v.left + view.clientWidth) {
    view.scrollLeft += (r.left + r.right) / 2 - (v.left + view.clientWidth / 2);
  }
  if (r.top < v.top || r.bottom > v.top + view.clientHeight) {
    view.scrollTop += (r.top + r.bottom) / 2 - (v.top + view.clientHeight / 2);
  }
}
let drag = null, dragged = false;
view.addEventListener("pointerdown", e => {
  if (e.button !== 0) return;
  root.focus({preventScroll: true});
  drag = {x: e.clientX, y: e.clientY, left: view.scrollLeft, top: view.scrollTop};
  dragged = false;
});
view.addEventListener("pointermove", e => {
  if (!drag) return;
  const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 4) dragged = true;
  if (dragged) { view.scrollLeft = drag.left - dx; view.scrollTop = drag.top - dy; }
});
const endDrag = () => { drag = null; };
view.addEventListener("pointerup", endDrag);
view.addEventListener("pointerleave", endDrag);
view.addEventListener("wheel", e => {
  if (!(e.ctrlKey || e.metaKey)) return;
  e.preventDefault();
  const v = view.getBoundingClientRect();
  zoom(scale * Math.exp(-e.deltaY * 0.002), e.clientX - v.left, e.clientY - v.top);
}, {passive: false});

// -- details of a clicked node --------------------------------------------------------
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
function colour(q) {  // 0..255, 128 is zero: blue, white, red
  const t = (q - 127.5) / 127.5, a = Math.abs(t);
  const to = t < 0 ? [33, 102, 172] : [178, 24, 43];
  return to.map(c => Math.round(255 + (c - 255) * a));
}
function heatmap(h) {
  const bytes = atob(h.b64), box = el("div", undefined, "agx-heat");
  const draw = (rows, cols, offset, label) => {
    const canvas = el("canvas");
    canvas.width = cols; canvas.height = rows;
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const [r, g, b] = colour(bytes.charCodeAt(offset + i));
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    const zoomBy = Math.max(1, Math.floor((h.tiles ? 56 : 160) / Math.max(rows, cols)));
    canvas.style.width = cols * zoomBy + "px";
    canvas.style.height = rows * zoomBy + "px";
    const figure = el("figure");
    figure.appendChild(canvas);
    if (label) figure.appendChild(el("figcaption", label));
    box.appendChild(figure);
  };
  if (h.tiles) {
    for (let u = 0; u < h.rows; u++) draw(h.tiles[0], h.tiles[1], u * h.cols, "unit " + (u + 1));
  } else {
    draw(h.rows, h.cols, 0);
  }
  box.appendChild(el("div", "blue -" + h.scale + ", white 0, red +" + h.scale));
  return box;
}
function values(shown, into) {
  into.appendChild(el("pre", shown.lines.join("\n")));
  const value = shown.value;
  if (!value) return;
  if (value.rows) {
    const table = el("table");
    for (const row of value.rows) {
      const tr = el("tr");
      for (const v of row) tr.appendChild(el("td", v));
      table.appendChild(tr);
    }
    into.appendChild(table);
  }
  if (value.heat) into.appendChild(heatmap(value.heat));
}
function describe(key) {
  let info = data.nodes[key], head = null;
  if (info && info.of) {
    head = "op " + info.op + ": makes " + data.nodes[info.of].name +
      (info.step ? "; its backward runs at step " + info.step + " of " + N : "");
    key = info.of;
    info = data.nodes[key];
  }
  if (!info) return;
  for (const g of root.querySelectorAll(".agx-selected")) g.classList.remove("agx-selected");
  if (nodes[key]) nodes[key].g.classList.add("agx-selected");
  selected = key;
  details.textContent = "";
  const close = el("button", "\u00d7", "agx-close");
  close.type = "button";
  close.title = "close";
  close.addEventListener("click", () => {
    details.hidden = true;
    selected = null;
    for (const g of root.querySelectorAll(".agx-selected")) g.classList.remove("agx-selected");
  });
  details.appendChild(close);
  details.appendChild(el("div", info.name, "agx-sec"));
  if (head) details.appendChild(el("div", head));
  const what = (info.shape ? "Tensor, shape (" + info.shape.join(", ") +
    (info.shape.length === 1 ? ",)" : ")") + ", " : "") + info.dtype + ", " + info.kind +
    (info.step ? ", step " + info.step + " of " + N : "");
  details.appendChild(el("div", info.shape || info.dtype ? what : info.kind));
  details.appendChild(el("div", "data", "agx-sec"));
  values(info.data, details);
  if (info.grad) {
    const state = stateAt(key, current);
    const when = !state ? "not reached yet" : state[2] ? "complete" : "the sum so far";
    details.appendChild(el("div", "gradient at step " + current + ": " + when, "agx-sec"));
    if (state) values(data.versions[state[1]], details);
  } else if (info.kind !== "constant") {
    details.appendChild(el("div", "no gradient flows here", "agx-sec"));
  }
  details.hidden = false;
}
view.addEventListener("click", e => {
  if (dragged) return;
  const g = e.target.closest("[data-node]");
  if (g) describe(g.dataset.node);
});

// -- controls ---------------------------------------------------------------------
let timer = null;
function stop() {
  if (timer !== null) clearInterval(timer);
  timer = null;
  playButton.textContent = "play";
}
function play() {
  if (timer !== null) { stop(); return; }
  if (current >= N) show(0);
  playButton.textContent = "pause";
  timer = setInterval(() => { if (current >= N) stop(); else show(current + 1); }, 700);
}
const actions = {
  prev: () => { stop(); show(current - 1); },
  next: () => { stop(); show(current + 1); },
  play: play,
  in: () => zoom(scale * 1.25),
  out: () => zoom(scale / 1.25),
  fit: fit,
};
for (const button of root.querySelectorAll("button[data-act]")) {
  button.addEventListener("click", () => actions[button.dataset.act]());
}
slider.addEventListener("input", () => { stop(); show(slider.value); });
const keys = {ArrowRight: () => current + 1, ArrowLeft: () => current - 1, Home: () => 0, End: () => N};
root.addEventListener("keydown", e => {
  if (!keys[e.key] || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  e.stopPropagation();
  stop();
  show(keys[e.key]());
});

fit();
if (!root.classList.contains("agx-page")) {
  view.style.height = Math.min(height * scale + 20, 640) + "px";
} else {
  root.focus({preventScroll: true});
}
show(0);
