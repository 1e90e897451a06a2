// The timeline: a histogram of events over time with a brush that chooses the window.
/* global d3 */

import { fromDay } from "./dates.js";

const MARGIN = { top: 4, right: 8, bottom: 18, left: 8 };

export class Timeline {
  constructor(svg, { onBrush }) {
    this.svg = d3.select(svg);
    this.onBrush = onBrush;
    this.extent = [0, 1];
    this.window = null;
    this.silent = false;
    this.root = this.svg.append("g");
    this.bars = this.root.append("g");
    this.axis = this.root.append("g").attr("class", "axis");
    this.brushGroup = this.root.append("g").attr("class", "brush");
    new ResizeObserver(() => this.layout()).observe(svg);
  }

  // The whole span of the data, in days.
  setExtent(firstDay, lastDay) {
    this.extent = [firstDay, Math.max(lastDay, firstDay + 1)];
    this.layout();
  }

  // Redraw sizes, axis and brush for the current width.
  layout() {
    const node = this.svg.node();
    const width = node.clientWidth || 600;
    const height = node.clientHeight || 90;
    this.innerWidth = width - MARGIN.left - MARGIN.right;
    this.innerHeight = height - MARGIN.top - MARGIN.bottom;
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
    this.moveBrush(this.window);
  }

  // Counts per bin: an event spread evenly over its possible days, so one known only to the
  // month is never drawn as if it happened on one day. `uncertain` is that spread part.
  setCounts(data, mask) {
    const [first, last] = this.extent;
    const days = last - first + 1;
    const binDays = Math.max(1, Math.ceil(days / 160));
    const bins = Math.ceil(days / binDays);
    const certain = new Float64Array(bins);
    const uncertain = new Float64Array(bins);
    for (let i = 0; i < data.n; i++) {
      if (!mask[i]) continue;
      const s = data.start[i] - first;
      const e = data.end[i] - first;
      if (s === e) {
        certain[Math.floor(s / binDays)] += 1;
      } else {
        const share = 1 / (e - s + 1);
        for (let d = s; d <= e; d++) uncertain[Math.floor(d / binDays)] += share;
      }
    }
    this.counts = { certain, uncertain, binDays };
    this.drawBars();
  }

  drawBars() {
    const { certain, uncertain, binDays } = this.counts;
    const first = this.extent[0];
    const max = d3.max(certain, (c, i) => c + uncertain[i]) || 1;
    const y = d3.scaleLinear().domain([0, max]).range([this.innerHeight, 0]);
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

  // Move the brush to [startDay, endDay] without calling back; null clears it (all dates),
  // so a drag anywhere on the histogram draws a new window.
  moveBrush(window) {
    this.window = window;
    if (!this.brush) return;
    this.silent = true;
    const selection = window && [this.x(fromDay(window[0])), this.x(fromDay(window[1] + 1))];
    this.brushGroup.call(this.brush.move, selection);
    this.silent = false;
  }

  brushed(event) {
    if (this.silent || !event.sourceEvent) return;
    if (!event.selection) {
      this.window = null;
    } else {
      const [x0, x1] = event.selection.map((px) => this.x.invert(px).getTime() / 86400000);
      this.window = [Math.round(x0), Math.max(Math.round(x0), Math.round(x1) - 1)];
    }
    this.onBrush(this.window, event.type === "end");
  }
}
