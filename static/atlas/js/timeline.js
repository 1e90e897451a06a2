// The timeline: a histogram of events over time, with a date axis, a count axis, a tooltip
// per bar and a brush that chooses the window.
/* global d3 */

import { describeWindow, fromDay } from "./dates.js";

const MARGIN = { top: 8, right: 8, bottom: 18, left: 38 };

// A count as a reader says it: whole numbers as they are, shares of events to one decimal.
export function formatCount(x) {
  if (x > 0 && x < 0.05) return "under 0.1";
  return x.toLocaleString("en", { maximumFractionDigits: 1 });
}
const plural = (x, word) => `${word}${x === 1 ? "" : "s"}`;

export class Timeline {
  constructor(svg, { onBrush }) {
    this.node = svg;
    this.svg = d3.select(svg);
    this.onBrush = onBrush;
    this.listeners = []; // told of every window change: (window, byUser)
    this.onStep = null; // (direction) => bool: arrow keys move the window (playback.js)
    this.extent = [0, 1];
    this.window = null;
    this.silent = false;
    this.cursor = null; // the bar the tooltip describes
    this.root = this.svg.append("g");
    this.grid = this.root.append("g").attr("class", "grid");
    this.bars = this.root.append("g");
    this.hover = this.root.append("rect").attr("class", "hover").attr("visibility", "hidden");
    this.axis = this.root.append("g").attr("class", "axis");
    this.yAxis = this.root.append("g").attr("class", "axis y-axis");
    this.brushGroup = this.root.append("g").attr("class", "brush");
    this.tip = this.addTooltip();
    this.listenPointerAndKeys();
    new ResizeObserver(() => this.layout()).observe(svg);
  }

  // Subscribe to window changes (the brush moved by a drag, or by moveBrush).
  listen(fn) {
    this.listeners.push(fn);
  }

  // The whole span of the data, in days.
  setExtent(firstDay, lastDay) {
    this.extent = [firstDay, Math.max(lastDay, firstDay + 1)];
    this.layout();
  }

  // Redraw sizes, axes and brush for the current width.
  layout() {
    const node = this.node;
    const width = node.clientWidth || 600;
    const height = node.clientHeight || 110;
    this.innerWidth = Math.max(10, width - MARGIN.left - MARGIN.right);
    this.innerHeight = Math.max(10, height - MARGIN.top - MARGIN.bottom);
    this.root.attr("transform", `translate(${MARGIN.left},${MARGIN.top})`);
    this.x = d3.scaleUtc().domain(this.extent.map(fromDay)).range([0, this.innerWidth]);
    this.axis
      .attr("transform", `translate(0,${this.innerHeight})`)
      .call(d3.axisBottom(this.x).ticks(Math.max(2, Math.floor(this.innerWidth / 90))).tickSizeOuter(0));
    this.brush = d3
      .brushX()
      .extent([[0, 0], [this.innerWidth, this.innerHeight]])
      .on("brush end", (event) => this.brushed(event));
    this.brushGroup.call(this.brush);
    if (this.counts) this.drawBars();
    this.moveBrush(this.window, { notify: false });
  }

  // Counts per bin: an event spread evenly over its possible days, so one known only to the
  // month is never drawn as if it happened on one day. `certain` counts events dated to the
  // day, `uncertain` is the spread share, `spread` how many such events touch the bin.
  // Also keeps the first and last day any event passing the mask may fall on (`dataRange`).
  setCounts(data, mask) {
    const [first, last] = this.extent;
    const days = last - first + 1;
    const binDays = Math.max(1, Math.ceil(days / 160));
    const bins = Math.ceil(days / binDays);
    const certain = new Float64Array(bins);
    const uncertain = new Float64Array(bins);
    const spread = new Int32Array(bins);
    let from = Infinity;
    let to = -Infinity;
    for (let i = 0; i < data.n; i++) {
      if (!mask[i]) continue;
      const s = data.start[i] - first;
      const e = data.end[i] - first;
      if (s < from) from = s;
      if (e > to) to = e;
      if (s === e) {
        certain[Math.floor(s / binDays)] += 1;
      } else {
        const share = 1 / (e - s + 1);
        for (let d = s; d <= e; d++) uncertain[Math.floor(d / binDays)] += share;
        for (let b = Math.floor(s / binDays); b <= Math.floor(e / binDays); b++) spread[b] += 1;
      }
    }
    this.counts = { certain, uncertain, spread, binDays };
    this.dataRange = from <= to ? [first + from, first + to] : null;
    this.drawBars();
    if (this.cursor !== null) this.showTip(Math.min(this.cursor, bins - 1));
  }

  // Bars, the count axis and its gridlines, at a scale a reader can check.
  drawBars() {
    const { certain, uncertain, binDays } = this.counts;
    const first = this.extent[0];
    const max = d3.max(certain, (c, i) => c + uncertain[i]) || 1;
    // A nice top that is a whole number, so the top tick is a count the tallest bar reaches.
    const y = d3.scaleLinear().domain([0, max]).nice(3).range([this.innerHeight, 0]);
    if (!Number.isInteger(y.domain()[1])) y.domain([0, Math.ceil(y.domain()[1])]);
    const ticks = y.ticks(3).filter(Number.isInteger);
    this.y = y;
    this.yAxis.call(
      d3.axisLeft(y).tickValues(ticks).tickSizeOuter(0).tickSize(3)
        .tickFormat((t) => (t >= 10000 ? d3.format("~s")(t) : d3.format(",")(t))),
    );
    this.yAxis.selectAll(".tick").attr("data-value", (t) => t);
    this.grid
      .selectAll("line")
      .data(ticks.filter((t) => t > 0))
      .join("line")
      .attr("x1", 0)
      .attr("x2", this.innerWidth)
      .attr("y1", (t) => y(t))
      .attr("y2", (t) => y(t));
    const width = Math.max(1, this.x(fromDay(first + binDays)) - this.x(fromDay(first)) - 1);
    const rows = Array.from(certain, (c, i) => ({ i, c, u: uncertain[i] }));
    const bar = (cls, top, bottom) =>
      this.bars
        .selectAll(`rect.${cls.replace(" ", ".")}`)
        .data(rows)
        .join("rect")
        .attr("class", cls)
        .attr("x", (d) => this.x(fromDay(first + d.i * binDays)))
        .attr("width", width)
        .attr("y", (d) => y(top(d)))
        .attr("height", (d) => Math.max(0, y(bottom(d)) - y(top(d))));
    bar("bar", (d) => d.c, () => 0);
    bar("bar uncertain", (d) => d.c + d.u, (d) => d.c);
  }

  // The days of bar `i`, [first, last].
  binDays(i) {
    const { binDays } = this.counts;
    const start = this.extent[0] + i * binDays;
    return [start, Math.min(this.extent[1], start + binDays - 1)];
  }

  binOf(day) {
    const bins = this.counts.certain.length;
    return Math.min(bins - 1, Math.max(0, Math.floor((day - this.extent[0]) / this.counts.binDays)));
  }

  // One bar in words (plain text): its dates, its count and how much of it is spread.
  describeBin(i) {
    const { certain, uncertain, spread } = this.counts;
    const [a, b] = this.binDays(i);
    const total = certain[i] + uncertain[i];
    let text = `${describeWindow(a, b)}: ${formatCount(total)} ${plural(total, "event")}`;
    if (spread[i]) {
      text += ` — ${formatCount(certain[i])} dated to the day, ${formatCount(uncertain[i])} spread from`
        + ` ${spread[i].toLocaleString("en")} ${plural(spread[i], "event")} dated only to a range of days`;
    }
    return text;
  }

  // The tooltip: a DOM element beside the histogram, filled with text only.
  addTooltip() {
    const tip = document.createElement("div");
    tip.id = `${this.node.id}-tip`;
    tip.className = "timeline-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    this.node.parentNode.append(tip);
    this.node.setAttribute("aria-describedby", tip.id);
    return tip;
  }

  showTip(i) {
    if (!this.counts) return;
    this.cursor = i;
    const [a, b] = this.binDays(i);
    const x0 = this.x(fromDay(a));
    const x1 = this.x(fromDay(b + 1));
    this.hover.attr("x", x0).attr("width", Math.max(1, x1 - x0)).attr("y", 0)
      .attr("height", this.innerHeight).attr("visibility", "visible");
    this.tip.textContent = this.describeBin(i);
    this.tip.hidden = false;
    // Above the histogram, centred on the bar, kept inside the timeline.
    const box = this.tip.parentNode.getBoundingClientRect();
    const svgBox = this.node.getBoundingClientRect();
    const width = this.tip.offsetWidth;
    const centre = svgBox.left - box.left + MARGIN.left + (x0 + x1) / 2;
    this.tip.style.left = `${Math.max(0, Math.min(box.width - width, centre - width / 2))}px`;
    this.tip.style.top = `${svgBox.top - box.top - this.tip.offsetHeight - 2}px`;
  }

  hideTip() {
    this.cursor = null;
    this.tip.hidden = true;
    this.hover.attr("visibility", "hidden");
  }

  // Hover shows the bar under the pointer; with focus, arrows move the window (or the bar).
  listenPointerAndKeys() {
    this.node.addEventListener("pointermove", (event) => {
      if (!this.counts) return;
      const [px] = d3.pointer(event, this.root.node());
      if (px < 0 || px > this.innerWidth) return this.hideTip();
      this.showTip(this.binOf(Math.floor(this.x.invert(px).getTime() / 86400000)));
    });
    this.node.addEventListener("pointerleave", () => this.hideTip());
    this.node.addEventListener("focus", () => {
      if (!this.counts || !this.node.matches(":focus-visible")) return;
      const day = this.window ? this.window[0] : (this.dataRange || this.extent)[1];
      this.showTip(this.binOf(day));
    });
    this.node.addEventListener("blur", () => this.hideTip());
    this.node.addEventListener("keydown", (event) => {
      if (!this.counts) return;
      const direction = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
      if (event.key === "Escape") return this.hideTip();
      if (!direction) return;
      event.preventDefault();
      if (this.window && this.onStep?.(direction)) return; // moveBrush shows the new bar
      const bins = this.counts.certain.length;
      const from = this.cursor ?? this.binOf((this.dataRange || this.extent)[1]);
      this.showTip(Math.min(bins - 1, Math.max(0, from + direction)));
    });
  }

  // Move the brush to [startDay, endDay] without calling back; null clears it (all dates),
  // so a drag anywhere on the histogram draws a new window. A window beyond the data is kept
  // (the count says 0) and the brush shows the part of it inside the histogram, if any.
  // Cheap: the histogram is not recomputed.
  moveBrush(window, { notify = true } = {}) {
    this.window = window;
    if (!this.brush) return;
    let selection = null;
    if (window) {
      const clamp = (px) => Math.max(0, Math.min(this.innerWidth, px));
      selection = [clamp(this.x(fromDay(window[0]))), clamp(this.x(fromDay(window[1] + 1)))];
      if (selection[1] - selection[0] < 0.5) selection = null;
    }
    this.silent = true;
    this.brushGroup.call(this.brush.move, selection);
    this.silent = false;
    if (window && this.cursor !== null && document.activeElement === this.node) this.showTip(this.binOf(window[0]));
    if (notify) for (const fn of this.listeners) fn(window, false);
  }

  brushed(event) {
    if (this.silent || !event.sourceEvent) return;
    if (!event.selection) {
      this.window = null;
    } else {
      const [x0, x1] = event.selection.map((px) => this.x.invert(px).getTime() / 86400000);
      this.window = [Math.round(x0), Math.max(Math.round(x0), Math.round(x1) - 1)];
    }
    for (const fn of this.listeners) fn(this.window, true);
    this.onBrush(this.window, event.type === "end");
  }
}
