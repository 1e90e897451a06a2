// Trends: events or deaths per week or month, stacked by actor family, event type or
// governorate (or one small chart per group); follows every filter and the brush; exports
// PNG, SVG and the CSV of its numbers.
/* global d3 */

import { exportName } from "./cite.js";
import { describeWindow, fromDay, isoDay, MONTHS, toDay } from "./dates.js";
import { el } from "./dom.js";
import { TYPE_COLOURS } from "./palette.js";
import { readState } from "./urlstate.js";

const DAY = 86400000;
const SVG_NS = "http://www.w3.org/2000/svg";
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const INK = "#1d2a33";
const MUTED = "#5b6b75";

// Paul Tol's "muted" scheme for the governorates with most events; the rest share a grey.
export const GOVERNORATE_COLOURS = ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499"];
const OTHER_COLOUR = "#bbbbbb";

const MEASURES = { events: "Events", deaths: "Deaths" };
const INTERVALS = { month: "Month", week: "Week" };
const STACKS = { family: "Actor family", type: "Event type", governorate: "Governorate" };
const VIEWS = { bars: "Stacked bars", multiples: "Small multiples" };
const DEFAULTS = { measure: "events", interval: "month", stack: "family", view: "bars" };

// Bins: an index for a day and the first day of a bin. Weeks run from Monday (1970-01-05,
// day 4, was one); months are calendar months (UTC).
const BINS = {
  month: {
    of: (day) => {
      const d = fromDay(day);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    },
    start: (bin) => Date.UTC(Math.floor(bin / 12), bin % 12, 1) / DAY,
    label: (bin) => `${MONTHS[bin % 12]} ${Math.floor(bin / 12)}`,
    key: (bin) => isoDay(Date.UTC(Math.floor(bin / 12), bin % 12, 1) / DAY).slice(0, 7),
  },
  week: {
    of: (day) => Math.floor((day - 4) / 7),
    start: (bin) => bin * 7 + 4,
    label: (bin) => `Week of ${describeWindow(bin * 7 + 4, bin * 7 + 4)}`,
    key: (bin) => isoDay(bin * 7 + 4),
  },
};

// Build an SVG element with attributes; `text` becomes a text node.
function svgEl(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

// A CSV field: quoted when needed, and a leading = + - @ made inert for spreadsheets.
function csvField(value) {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text))) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Offer a Blob as a download.
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const fmt = (n) => Math.round(n).toLocaleString("en");

export class Trends {
  // `root`: the (hidden) section to fill; `toggle`: the button that opens it. `families`
  // ([{key, label, colour}]) and `familyOf(i)` (an index into `families`, or -1) group
  // events by their first actor's family; without `familyOf`, it is read from `actors`'
  // `family` keys. `getWindow()` is the brush window in days or null; `onChange(text)`
  // keeps the panel's state in the URL.
  constructor(root, { data, types, actors, families, familyOf, toggle, getWindow, onChange }) {
    this.root = root;
    this.data = data;
    this.typeLabels = new Map(types.map((t) => [t.value, t.label]));
    if (families && !familyOf && actors) {
      const index = new Map(families.map((f, k) => [f.key, k]));
      const familyById = new Map(actors.map((a) => [a.id, index.get(a.family) ?? -1]));
      familyOf = (i) => familyById.get(data.primary[i]) ?? -1;
    }
    this.families = families && familyOf ? families : null;
    this.familyOf = familyOf;
    this.toggle = toggle;
    this.getWindow = getWindow;
    this.onChange = onChange;
    this.options = { ...DEFAULTS };
    this.open = false;
    this.visible = new Int32Array(0);
    this.selected = null;
    this.agg = null;
    this.updateMs = 0;
    this.binCache = {};
    this.groupCache = {};
    this.focus = null; // [bin offset, group] under the keyboard
    this.build();
  }

  // ---- state: "measure.interval.stack.view" in the URL's `trends` key ("" when closed)

  get stateText() {
    const o = this.options;
    return this.open ? [o.measure, o.interval, o.stack, o.view].join(".") : "";
  }

  setState(text) {
    const [measure, interval, stack, view] = (text || "").split(".");
    const pick = (value, choices, fallback) => (Object.hasOwn(choices, value) ? value : fallback);
    this.options = {
      measure: pick(measure, MEASURES, DEFAULTS.measure),
      interval: pick(interval, INTERVALS, DEFAULTS.interval),
      stack: pick(stack, STACKS, DEFAULTS.stack),
      view: pick(view, VIEWS, DEFAULTS.view),
    };
    for (const [key, select] of Object.entries(this.selects)) select.value = this.options[key];
    this.show(Boolean(text), { write: false });
  }

  show(open, { write = true } = {}) {
    this.open = open;
    this.root.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open) this.update(this.visible);
    if (write) this.onChange(this.stateText);
  }

  // ---- the panel's DOM: controls, chart, legend, caption, table

  build() {
    const selects = {};
    const select = (key, label, choices) => {
      const node = el("select", { id: `trends-${key}` });
      for (const [value, text] of Object.entries(choices)) node.append(el("option", { value, textContent: text }));
      node.value = this.options[key];
      node.addEventListener("change", () => {
        this.options[key] = node.value;
        this.focus = null;
        this.update(this.visible);
        this.onChange(this.stateText);
      });
      selects[key] = node;
      return el("label", { className: "trends-field" }, `${label} `, node);
    };
    const button = (text, label, onClick) => {
      const node = el("button", { type: "button", textContent: text });
      node.setAttribute("aria-label", label);
      node.addEventListener("click", onClick);
      return node;
    };
    this.selects = selects;
    const exports = el(
      "span",
      { className: "trends-exports" },
      button("PNG", "Download the chart as PNG", () => this.exportPng()),
      button("SVG", "Download the chart as SVG", () => this.exportSvg()),
      button("CSV", "Download the chart's numbers as CSV", () => this.exportCsv()),
    );
    exports.setAttribute("role", "group");
    exports.setAttribute("aria-label", "Export the chart");
    const close = button("×", "Close the trends", () => {
      this.show(false);
      this.toggle.focus();
    });
    close.classList.add("trends-close");
    const head = el(
      "div",
      { className: "trends-controls" },
      el("h2", { textContent: "Trends" }),
      select("measure", "Show", MEASURES),
      select("interval", "per", INTERVALS),
      select("stack", "by", STACKS),
      select("view", "as", VIEWS),
      exports,
      close,
    );
    this.caption = el("p", { className: "trends-caption", id: "trends-caption" });
    this.svg = svgEl("svg", { class: "trends-chart", tabindex: "0", role: "img" });
    this.svg.setAttribute("aria-describedby", "trends-caption");
    this.tip = el("div", { className: "trends-tip", hidden: true });
    this.chartBox = el("div", { className: "trends-chart-box" }, this.svg, this.tip);
    this.legend = el("ul", { className: "trends-legend" });
    this.legend.setAttribute("aria-label", "Groups in the chart");
    this.live = el("p", { className: "trends-sr" });
    this.live.setAttribute("aria-live", "polite");
    this.table = el("details", { className: "trends-table" }, el("summary", { textContent: "The numbers as a table" }));
    this.table.addEventListener("toggle", () => this.table.open && this.drawTable());
    this.root.replaceChildren(head, this.chartBox, this.legend, this.caption, this.table, this.live);

    this.toggle.addEventListener("click", () => this.show(!this.open));
    this.svg.addEventListener("pointermove", (event) => this.hover(event));
    this.svg.addEventListener("pointerdown", (event) => this.hover(event));
    this.svg.addEventListener("pointerleave", () => this.hideTip());
    this.svg.addEventListener("keydown", (event) => this.key(event));
    this.svg.addEventListener("blur", () => this.hideTip());
    let width = 0;
    new ResizeObserver(() => {
      const w = this.chartBox.clientWidth;
      if (this.open && this.agg && w !== width) this.draw();
      width = w;
    }).observe(this.chartBox);
  }

  // ---- views' interface (main.js)

  update(visible) {
    this.visible = visible;
    if (!this.open) return;
    const t = performance.now();
    this.agg = this.aggregate(visible);
    this.draw();
    this.updateMs = performance.now() - t;
  }

  select(index) {
    this.selected = index;
    if (this.open && this.agg) this.draw();
  }

  // ---- counting

  // Every event's bin (of its start day) for an interval, computed once.
  binsFor(interval) {
    if (this.binCache[interval]) return this.binCache[interval];
    const { start, n } = this.data;
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < n; i++) {
      if (start[i] < first) first = start[i];
      if (start[i] > last) last = start[i];
    }
    const ofDay = new Int32Array(Math.max(0, last - first + 1));
    for (let d = 0; d < ofDay.length; d++) ofDay[d] = BINS[interval].of(first + d);
    const bins = new Int32Array(n);
    for (let i = 0; i < n; i++) bins[i] = ofDay[start[i] - first];
    return (this.binCache[interval] = bins);
  }

  // Every event's group for a way of stacking, and the groups [{label, colour}], computed once.
  groupsFor(stack) {
    if (this.groupCache[stack]) return this.groupCache[stack];
    const data = this.data;
    const group = new Uint16Array(data.n);
    let groups;
    if (stack === "type") {
      groups = data.types.map((value, k) => ({ label: this.typeLabels.get(value) || value, colour: TYPE_COLOURS[k % TYPE_COLOURS.length] }));
      group.set(data.type);
    } else if (stack === "governorate") {
      // The governorates with most events (in all the data, so colours stay put as filters
      // change) get a colour each; the rest, and events in no known governorate, share one.
      const counts = new Map();
      for (let i = 0; i < data.n; i++) counts.set(data.admin1[i], (counts.get(data.admin1[i]) || 0) + 1);
      const named = [...counts].filter(([id]) => data.units[id]).map(([id, n]) => ({ id, n, name: data.units[id][0] }));
      named.sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
      const top = named.length > GOVERNORATE_COLOURS.length ? named.slice(0, GOVERNORATE_COLOURS.length - 1) : named;
      groups = top.map((u, k) => ({ label: u.name, colour: GOVERNORATE_COLOURS[k] }));
      groups.push({ label: top.length < named.length ? "Other or unknown governorate" : "Unknown governorate", colour: OTHER_COLOUR });
      const rank = new Map(top.map((u, k) => [u.id, k]));
      for (let i = 0; i < data.n; i++) group[i] = rank.get(data.admin1[i]) ?? top.length;
    } else if (this.families) {
      groups = this.families.map((f) => ({ label: f.label, colour: f.colour }));
      groups.push({ label: "No actor named", colour: OTHER_COLOUR });
      for (let i = 0; i < data.n; i++) {
        const f = this.familyOf(i);
        group[i] = f >= 0 && f < this.families.length ? f : this.families.length;
      }
    } else {
      // Until the actors carry families: one group.
      groups = [{ label: "All actors", colour: "#7a97a8" }];
    }
    return (this.groupCache[stack] = { group, groups });
  }

  // One pass over the visible events: a bins x groups table of counts or deaths.
  aggregate(visible) {
    const { measure, interval, stack } = this.options;
    const bins = this.binsFor(interval);
    const { group, groups } = this.groupsFor(stack);
    const fatalities = this.data.fatalities;
    const window = this.getWindow();
    let lo;
    let hi;
    if (window) {
      lo = BINS[interval].of(window[0]);
      hi = BINS[interval].of(window[1]);
    } else {
      lo = Infinity;
      hi = -Infinity;
      for (let k = 0; k < visible.length; k++) {
        const b = bins[visible[k]];
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      if (lo > hi) lo = hi = BINS[interval].of(toDay(new Date()));
    }
    const G = groups.length;
    const B = hi - lo + 1;
    const cells = new Float64Array(B * G);
    const deaths = measure === "deaths";
    let before = 0;
    let unknown = 0;
    for (let k = 0; k < visible.length; k++) {
      const i = visible[k];
      const b = bins[i] - lo;
      if (b < 0 || b >= B) {
        before++;
        continue;
      }
      if (deaths) {
        const f = fatalities[i];
        if (f < 0) unknown++;
        else cells[b * G + group[i]] += f;
      } else {
        cells[b * G + group[i]] += 1;
      }
    }
    const binTotals = new Float64Array(B);
    const groupTotals = new Float64Array(G);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < G; g++) {
        binTotals[b] += cells[b * G + g];
        groupTotals[g] += cells[b * G + g];
      }
    }
    // The groups drawn: those with something to show, in their fixed order.
    const present = [];
    for (let g = 0; g < G; g++) if (groupTotals[g] > 0) present.push(g);
    return { measure, interval, stack, lo, hi, B, G, cells, binTotals, groupTotals, groups, present, before, unknown, window };
  }

  // ---- drawing

  draw() {
    const agg = this.agg;
    const width = Math.max(240, this.chartBox.clientWidth || 600);
    const phone = width < 500;
    this.svg.replaceChildren();
    const size = this.options.view === "multiples"
      ? this.drawMultiples(this.svg, agg, width)
      : this.drawBars(this.svg, agg, width, phone ? 170 : 210, { interactive: true });
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", size.height);
    this.svg.setAttribute("viewBox", `0 0 ${width} ${size.height}`);
    this.layout = size;
    this.svg.setAttribute("aria-label", `${this.title(agg)}. Arrow keys read the numbers period by period.`);
    this.drawLegend(agg);
    this.caption.textContent = this.captionText(agg);
    if (this.table.open) this.drawTable();
    if (this.focus) this.showFocus();
    else this.hideTip();
  }

  title(agg) {
    const per = agg.interval === "month" ? "month" : "week";
    const by = { family: "actor family", type: "event type", governorate: "governorate" }[agg.stack];
    const span = agg.window
      ? describeWindow(agg.window[0], agg.window[1])
      : describeWindow(BINS[agg.interval].start(agg.lo), BINS[agg.interval].start(agg.hi + 1) - 1);
    return `${MEASURES[agg.measure]} per ${per} by ${by}, ${span}`;
  }

  captionText(agg) {
    const per = agg.interval === "month" ? "month" : "week (from Monday)";
    const parts = [`Each event is counted in the ${per} of its first possible day.`];
    if (agg.measure === "deaths") {
      parts.push(`Deaths are the sum of each event's best estimate; ${fmt(agg.unknown)} event${agg.unknown === 1 ? "" : "s"} with no known toll ${agg.unknown === 1 ? "is" : "are"} left out.`);
    }
    if (agg.before) parts.push(`${fmt(agg.before)} event${agg.before === 1 ? "" : "s"} that began before the window ${agg.before === 1 ? "is" : "are"} not in the bars.`);
    parts.push(`Total: ${fmt(agg.present.reduce((s, g) => s + agg.groupTotals[g], 0))} ${agg.measure === "deaths" ? "deaths" : "events"}.`);
    return parts.join(" ");
  }

  // Stacked bars into `svg` (a live or a detached element); presentation attributes only, so
  // the same drawing stands alone when exported.
  drawBars(svg, agg, width, height, { interactive = false } = {}) {
    const margin = { top: 10, right: 14, bottom: 22, left: 40 };
    const iw = width - margin.left - margin.right;
    const ih = height - margin.top - margin.bottom;
    const bins = BINS[agg.interval];
    const { B, G, cells, binTotals, present } = agg;
    const x = d3.scaleUtc().domain([fromDay(bins.start(agg.lo)), fromDay(bins.start(agg.hi + 1))]).range([0, iw]);
    const max = d3.max(binTotals) || 1;
    const y = d3.scaleLinear().domain([0, max]).nice(4).range([ih, 0]);
    const x0 = new Float64Array(B + 1);
    for (let b = 0; b <= B; b++) x0[b] = x(fromDay(bins.start(agg.lo + b)));
    const root = svgEl("g", { transform: `translate(${margin.left},${margin.top})`, "font-family": FONT, "font-size": 10 });
    svg.append(root);
    const sel = d3.select(root);
    // Grid and axes.
    const ticks = y.ticks(4).filter(Number.isInteger);
    sel.append("g").call((g) => {
      for (const t of ticks) g.append("line").attr("x1", 0).attr("x2", iw).attr("y1", y(t)).attr("y2", y(t)).attr("stroke", "#e3e7ea");
    });
    sel.append("g").attr("class", "trends-axis").attr("transform", `translate(0,${ih})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(iw / 80))).tickSizeOuter(0))
      .attr("font-family", FONT).attr("color", MUTED);
    sel.append("g").attr("class", "trends-axis")
      .call(d3.axisLeft(y).tickValues(ticks).tickFormat(d3.format("~s")).tickSizeOuter(0))
      .attr("font-family", FONT).attr("color", MUTED);
    // One path per group: a rectangle per bin, stacked in the groups' order.
    const base = new Float64Array(B);
    const gap = x0[1] - x0[0] > 4 ? 1 : 0;
    for (const g of present) {
      let d = "";
      for (let b = 0; b < B; b++) {
        const v = cells[b * G + g];
        if (!v) continue;
        const top = y(base[b] + v);
        const bottom = y(base[b]);
        base[b] += v;
        const w = Math.max(0.6, x0[b + 1] - x0[b] - gap);
        d += `M${x0[b].toFixed(1)},${top.toFixed(1)}h${w.toFixed(1)}V${bottom.toFixed(1)}h${(-w).toFixed(1)}Z`;
      }
      root.append(svgEl("path", { d, fill: agg.groups[g].colour, "data-group": g }));
    }
    // The selected event's period, marked under the axis.
    if (interactive && this.selected !== null && this.selected !== undefined) {
      const b = this.binsFor(agg.interval)[this.selected] - agg.lo;
      if (b >= 0 && b < B) {
        const cx = (x0[b] + x0[b + 1]) / 2;
        root.append(svgEl("path", { d: `M${cx},${ih - 1}l-4,-7h8Z`, fill: INK, class: "trends-selected" }));
      }
    }
    if (interactive) {
      this.focusRect = svgEl("rect", { class: "trends-focus", fill: "none", stroke: INK, "stroke-width": 2, visibility: "hidden" });
      root.append(this.focusRect);
    }
    return { height, margin, x0, y, iw, ih, kind: "bars" };
  }

  // One small area chart per group, on a shared scale, stacked in rows.
  drawMultiples(svg, agg, width) {
    const rowHeight = 40;
    const margin = { top: 4, right: 10, bottom: 20, left: 10 };
    const iw = width - margin.left - margin.right;
    const bins = BINS[agg.interval];
    const { B, G, cells, present } = agg;
    let max = 1;
    for (const g of present) for (let b = 0; b < B; b++) max = Math.max(max, cells[b * G + g]);
    const x = d3.scaleUtc().domain([fromDay(bins.start(agg.lo)), fromDay(bins.start(agg.hi + 1))]).range([0, iw]);
    const x0 = new Float64Array(B + 1);
    for (let b = 0; b <= B; b++) x0[b] = x(fromDay(bins.start(agg.lo + b)));
    const chartTop = 14;
    const y = d3.scaleLinear().domain([0, max]).range([rowHeight - 2, chartTop]);
    const height = margin.top + Math.max(1, present.length) * rowHeight + margin.bottom;
    const root = svgEl("g", { transform: `translate(${margin.left},${margin.top})`, "font-family": FONT, "font-size": 11 });
    svg.append(root);
    present.forEach((g, row) => {
      const top = row * rowHeight;
      const group = svgEl("g", { transform: `translate(0,${top})` });
      group.append(svgEl("text", { x: 0, y: 11, fill: INK }, agg.groups[g].label));
      group.append(svgEl("text", { x: iw, y: 11, fill: MUTED, "text-anchor": "end" }, fmt(agg.groupTotals[g])));
      let d = `M0,${y(0)}`;
      for (let b = 0; b < B; b++) d += `V${y(cells[b * G + g]).toFixed(1)}H${x0[b + 1].toFixed(1)}`;
      d += `V${y(0)}Z`;
      group.append(svgEl("path", { d, fill: agg.groups[g].colour, "data-group": g }));
      group.append(svgEl("line", { x1: 0, x2: iw, y1: y(0), y2: y(0), stroke: "#c9d1d6" }));
      root.append(group);
    });
    const axis = d3.select(root).append("g").attr("transform", `translate(0,${present.length * rowHeight})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(iw / 80))).tickSizeOuter(0))
      .attr("font-family", FONT).attr("color", MUTED);
    axis.attr("class", "trends-axis");
    return { height: height + 4, margin, x0, rowHeight, chartTop, y, iw, kind: "multiples" };
  }

  drawLegend(agg) {
    this.legend.replaceChildren(
      ...agg.present.map((g) => {
        const swatch = el("span", { className: "trends-swatch" });
        swatch.style.background = agg.groups[g].colour;
        return el("li", {}, swatch, el("span", { className: "trends-label", textContent: agg.groups[g].label }), el("span", { className: "n", textContent: fmt(agg.groupTotals[g]) }));
      }),
    );
    if (!agg.present.length) this.legend.append(el("li", { textContent: agg.measure === "deaths" ? "No known deaths in this view." : "No events in this view." }));
  }

  // The numbers as an HTML table (drawn only while it is open).
  drawTable() {
    const agg = this.agg;
    if (!agg) return;
    const bins = BINS[agg.interval];
    const head = el("tr", {}, el("th", { scope: "col", textContent: agg.interval === "month" ? "Month" : "Week from" }));
    for (const g of agg.present) head.append(el("th", { scope: "col", textContent: agg.groups[g].label }));
    head.append(el("th", { scope: "col", textContent: "Total" }));
    const body = el("tbody");
    for (let b = 0; b < agg.B; b++) {
      const row = el("tr", {}, el("th", { scope: "row", textContent: bins.key(agg.lo + b) }));
      for (const g of agg.present) row.append(el("td", { textContent: fmt(agg.cells[b * agg.G + g]) }));
      row.append(el("td", { textContent: fmt(agg.binTotals[b]) }));
      body.append(row);
    }
    const table = el("table", {}, el("caption", { textContent: this.title(agg) }), el("thead", {}, head), body);
    this.table.replaceChildren(this.table.firstChild, el("div", { className: "trends-table-scroll" }, table));
  }

  // ---- reading the numbers: pointer and keyboard

  // The bin and group under a point of the chart (in SVG pixels), or null.
  pick(px, py) {
    const agg = this.agg;
    const L = this.layout;
    if (!agg || !L) return null;
    const x = px - L.margin.left;
    const b = d3.bisectRight(L.x0, x) - 1;
    if (b < 0 || b >= agg.B) return null;
    if (L.kind === "multiples") {
      const row = Math.floor((py - L.margin.top) / L.rowHeight);
      return row >= 0 && row < agg.present.length ? [b, agg.present[row]] : null;
    }
    const value = L.y.invert(py - L.margin.top);
    let sum = 0;
    let last = null;
    for (const g of agg.present) {
      const v = agg.cells[b * agg.G + g];
      if (!v) continue;
      last = g;
      sum += v;
      if (value <= sum) return [b, g];
    }
    return [b, last]; // above the bar: the period, with its top group
  }

  hover(event) {
    const rect = this.svg.getBoundingClientRect();
    const hit = this.pick(event.clientX - rect.left, event.clientY - rect.top);
    if (!hit) return this.hideTip();
    this.focus = hit;
    this.showFocus({ announce: false });
  }

  key(event) {
    const agg = this.agg;
    if (!agg || !agg.present.length) return;
    let [b, g] = this.focus || [-1, agg.present[0]];
    let k = agg.present.indexOf(g);
    if (event.key === "ArrowRight") b = Math.min(agg.B - 1, b + 1);
    else if (event.key === "ArrowLeft") b = Math.max(0, b - 1);
    else if (event.key === "Home") b = 0;
    else if (event.key === "End") b = agg.B - 1;
    else if (event.key === "ArrowUp") k = Math.min(agg.present.length - 1, k + 1);
    else if (event.key === "ArrowDown") k = Math.max(0, k - 1);
    else if (event.key === "Escape") return this.hideTip();
    else return;
    event.preventDefault();
    this.focus = [Math.max(0, b), agg.present[Math.max(0, k)]];
    this.showFocus({ announce: true });
  }

  // The tooltip (and the outline of the segment) for `this.focus`: period, group, number, total.
  showFocus({ announce = false } = {}) {
    const agg = this.agg;
    const [b, g] = this.focus;
    if (b >= agg.B || !agg.present.includes(g)) return this.hideTip();
    const unit = agg.measure === "deaths" ? "deaths" : "events";
    const value = g === null ? 0 : agg.cells[b * agg.G + g];
    const period = BINS[agg.interval].label(agg.lo + b);
    const swatch = el("span", { className: "trends-swatch" });
    swatch.style.background = agg.groups[g].colour;
    this.tip.replaceChildren(
      el("strong", { className: "trends-tip-period", textContent: period }),
      el("span", { className: "trends-tip-group" }, swatch, el("span", { textContent: `${agg.groups[g].label}: ` }), el("b", { className: "trends-tip-value", textContent: fmt(value) })),
      el("span", { className: "trends-tip-total", textContent: `Total: ${fmt(agg.binTotals[b])} ${unit}` }),
    );
    this.tip.hidden = false;
    const L = this.layout;
    const cx = L.margin.left + (L.x0[b] + L.x0[b + 1]) / 2;
    let cy;
    if (L.kind === "bars") {
      let below = 0;
      for (const h of agg.present) {
        if (h === g) break;
        below += agg.cells[b * agg.G + h];
      }
      const top = L.y(below + value);
      const bottom = L.y(below);
      cy = L.margin.top + top;
      this.focusRect.setAttribute("x", L.x0[b]);
      this.focusRect.setAttribute("width", Math.max(1, L.x0[b + 1] - L.x0[b]));
      this.focusRect.setAttribute("y", top);
      this.focusRect.setAttribute("height", Math.max(1, bottom - top));
      this.focusRect.setAttribute("visibility", "visible");
    } else {
      cy = L.margin.top + agg.present.indexOf(g) * L.rowHeight + L.chartTop;
    }
    // Beside the point, kept inside the chart's box.
    const boxWidth = this.chartBox.clientWidth;
    const tipWidth = this.tip.offsetWidth;
    const left = cx + 12 + tipWidth > boxWidth ? Math.max(0, cx - 12 - tipWidth) : cx + 12;
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${Math.max(0, cy - 10)}px`;
    if (announce) this.live.textContent = `${period}. ${agg.groups[g].label}: ${fmt(value)}. Total: ${fmt(agg.binTotals[b])} ${unit}.`;
  }

  hideTip() {
    this.tip.hidden = true;
    if (this.focusRect) this.focusRect.setAttribute("visibility", "hidden");
    this.focus = null;
  }

  // Where a period's segment of a group is drawn, in page pixels (for tests), or null.
  segmentPoint(periodKey, label) {
    const agg = this.agg;
    const L = this.layout;
    if (!agg || !L) return null;
    const g = agg.groups.findIndex((group) => group.label === label);
    let b = -1;
    for (let k = 0; k < agg.B; k++) if (BINS[agg.interval].key(agg.lo + k) === periodKey) b = k;
    if (b < 0 || g < 0 || !agg.cells[b * agg.G + g]) return null;
    let below = 0;
    for (const h of agg.present) {
      if (h === g) break;
      below += agg.cells[b * agg.G + h];
    }
    const rect = this.svg.getBoundingClientRect();
    const cy = L.kind === "bars"
      ? L.y(below + agg.cells[b * agg.G + g] / 2)
      : agg.present.indexOf(g) * L.rowHeight + (L.chartTop + L.rowHeight) / 2;
    return { x: rect.left + L.margin.left + (L.x0[b] + L.x0[b + 1]) / 2, y: rect.top + L.margin.top + cy };
  }

  // ---- exports

  // Named like the events' exports, by the filters in the URL and the day (cite.js):
  // atlas-trends-deaths-per-month-by-type_2020-01-01_2020-06-30_actor-isis_2026-12-03.png
  name(ext) {
    const { measure, interval, stack } = this.options;
    return exportName(readState(), ext).replace(/^atlas-events/, `atlas-trends-${measure}-per-${interval}-by-${stack}`);
  }

  // A standalone SVG: title, the chart, the legend and the caption, every style inline.
  buildSvg() {
    const agg = this.agg || this.aggregate(this.visible);
    const width = Math.max(640, this.chartBox.clientWidth || 0);
    const svg = svgEl("svg", { xmlns: SVG_NS, width, "font-family": FONT });
    const chart = svgEl("svg", { y: 34, width, overflow: "visible" });
    const size = this.options.view === "multiples" ? this.drawMultiples(chart, agg, width) : this.drawBars(chart, agg, width, 300);
    chart.setAttribute("height", size.height);
    let y = 34 + size.height + 8;
    // The legend in rows, wrapped by an estimate of the labels' widths.
    const legend = svgEl("g", { "font-size": 11, fill: INK });
    let x = 12;
    for (const g of this.options.view === "multiples" ? [] : agg.present) {
      const text = `${agg.groups[g].label} (${fmt(agg.groupTotals[g])})`;
      const w = 18 + text.length * 6.2 + 14;
      if (x + w > width - 8 && x > 12) {
        x = 12;
        y += 18;
      }
      legend.append(svgEl("rect", { x, y, width: 11, height: 11, fill: agg.groups[g].colour }));
      legend.append(svgEl("text", { x: x + 16, y: y + 10 }, text));
      x += w;
    }
    if (this.options.view !== "multiples" && agg.present.length) y += 26;
    // The caption, wrapped at about the width.
    const caption = svgEl("text", { "font-size": 10, fill: MUTED });
    const perLine = Math.floor((width - 24) / 5.4);
    let line = "";
    const lines = [];
    for (const word of `${this.captionText(agg)} Source: Atlas, ${window.location.href}`.split(" ")) {
      if ((line + " " + word).length > perLine && line) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    lines.forEach((text, k) => caption.append(svgEl("tspan", { x: 12, y: y + 10 + k * 13 }, text)));
    y += 10 + lines.length * 13 + 8;
    svg.append(
      svgEl("rect", { width: "100%", height: "100%", fill: "#ffffff" }),
      svgEl("text", { x: 12, y: 22, "font-size": 15, "font-weight": 600, fill: INK }, this.title(agg)),
      chart,
      legend,
      caption,
    );
    svg.setAttribute("height", y);
    svg.setAttribute("viewBox", `0 0 ${width} ${y}`);
    return { text: new XMLSerializer().serializeToString(svg), width, height: y };
  }

  exportSvg() {
    const { text } = this.buildSvg();
    download(new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${text}`], { type: "image/svg+xml" }), this.name("svg"));
  }

  // The SVG drawn on a canvas at twice its size.
  async exportPng() {
    const { text, width, height } = this.buildSvg();
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    try {
      const image = new Image();
      image.src = url;
      await image.decode();
      const canvas = el("canvas", { width: width * 2, height: height * 2 });
      const ctx = canvas.getContext("2d");
      ctx.scale(2, 2);
      ctx.drawImage(image, 0, 0, width, height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      download(blob, this.name("png"));
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  // period,group,value: every period of the chart for every group in it (zeros included).
  csvText() {
    const agg = this.agg || this.aggregate(this.visible);
    const bins = BINS[agg.interval];
    const rows = ["period,group,value"];
    for (let b = 0; b < agg.B; b++) {
      for (const g of agg.present) rows.push([bins.key(agg.lo + b), agg.groups[g].label, agg.cells[b * agg.G + g]].map(csvField).join(","));
    }
    return rows.join("\r\n") + "\r\n";
  }

  exportCsv() {
    download(new Blob([this.csvText()], { type: "text/csv;charset=utf-8" }), this.name("csv"));
  }
}
