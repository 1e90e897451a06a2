// The list beside the map: the events on screen as rows (date, place, type, actors, deaths),
// sorted by date, deaths or place; a keyboard listbox in step with the map's selection.
// Only the rows in view exist (fixed row height, a spacer, recycled nodes), so 100,000 events
// cost a few dozen nodes. Names come from the data: they go in as text, never as HTML.

import { describeWindow } from "./dates.js";

const ROW = 58; // px, every row's height (matches .list-row in map.css)
const OVERSCAN = 4; // rows drawn beyond each edge of the view
const SORTS = ["date", "deaths", "place"];

// `order` (event indices) stably re-sorted by `key[i]` ascending, each key an integer in
// [0, range): a counting sort, O(n + range), typed arrays only, no comparator. Sorting by
// the lesser key first and the greater one last sorts by both.
function sortByKey(order, key, range) {
  const starts = new Int32Array(range + 1);
  for (let j = 0; j < order.length; j++) starts[key[order[j]] + 1]++;
  for (let k = 0; k < range; k++) starts[k + 1] += starts[k];
  const out = new Int32Array(order.length);
  for (let j = 0; j < order.length; j++) out[starts[key[order[j]]]++] = order[j];
  return out;
}

export class EventList {
  // `root` holds the template's list markup; `onSelect(i)` selects event index i on the map
  // (may return a promise, settled once its details are shown); `details` is that panel.
  constructor(root, { data, actorsById, subtypeLabels, colourOf, map, onSelect, details, toggle }) {
    this.root = root;
    this.data = data;
    this.actorsById = actorsById;
    this.subtypeLabels = subtypeLabels;
    this.colourOf = colourOf;
    this.map = map;
    this.onSelect = onSelect;
    this.details = details;
    this.viewport = root.querySelector(".list-viewport");
    this.spacer = root.querySelector(".list-spacer");
    this.countLabel = root.querySelector(".list-count");
    this.sortSelect = root.querySelector(".list-sort");
    this.inViewBox = root.querySelector(".list-inview");
    this.pool = []; // row nodes, reused: position p is drawn by pool[p % pool.length]
    this.visible = new Int32Array(0);
    this.mask = new Uint8Array(data.n);
    this.rows = new Int32Array(data.n); // event indices in list order, the first `count`
    this.count = 0;
    this.activePos = -1; // the keyboard's row (a position in `rows`)
    this.selected = null; // the map's selected event index
    this.returnFocus = false;
    this.updateMs = 0;
    this.load(data);
    // The other sorts' orders, made while the page is idle (else on first use).
    const idle = window.requestIdleCallback || ((work) => setTimeout(work, 500));
    for (const sort of ["deaths", "place"]) idle(() => this.order(sort), { timeout: 5000 });

    // Controls: the sort, "only in map view" (then every map move refilters).
    this.sortSelect.addEventListener("change", () => this.refilter());
    this.inViewBox.addEventListener("change", () => this.refilter());
    map.on("moveend", () => {
      if (this.inViewBox.checked) this.refilter();
    });
    // Scrolling and resizing draw the rows now in view. The scroll offset and height are
    // remembered here, so an update never forces the browser to lay the page out first.
    this.top = 0;
    this.height = this.viewport.clientHeight;
    this.viewport.addEventListener("scroll", () => {
      this.top = this.viewport.scrollTop;
      this.render();
    }, { passive: true });
    new ResizeObserver(([entry]) => {
      this.height = entry.contentRect.height;
      this.render();
    }).observe(this.viewport);
    // The keyboard: focus lands on the active row; arrows, pages, Home/End move; Enter selects.
    // (Focus never scrolls: a click's focus must not move the row under the pointer.)
    this.viewport.addEventListener("focus", () => {
      if (this.activePos < 0 && this.count) {
        const first = Math.min(this.count - 1, Math.ceil(this.top / ROW));
        const last = Math.max(first, Math.floor((this.top + this.height) / ROW) - 1);
        const pos = this.positionOf(this.selected);
        this.setActive(pos >= first && pos <= last ? pos : first);
      }
    });
    this.viewport.addEventListener("keydown", (event) => this.onKey(event));
    this.spacer.addEventListener("click", (event) => {
      const row = event.target.closest(".list-row");
      if (!row) return;
      this.setActive(row.pos);
      this.choose(row.pos);
    });
    // On phones the list is a sheet over the map, opened from the top bar.
    if (toggle) {
      const show = (open) => {
        root.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", String(open));
        if (open) this.viewport.focus();
      };
      toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
      root.querySelector(".list-close")?.addEventListener("click", () => show(false));
      root.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && root.classList.contains("open")) {
          show(false);
          toggle.focus();
        }
      });
    }
  }

  // Once per data load: the order of every event for each sort (deaths and place made when
  // the page is idle, or when first asked for), so an update only filters a ready order.
  load(data) {
    const n = data.n;
    if (!n) {
      this.orders = { date: new Int32Array(0) };
      return;
    }
    let minStart = Infinity;
    let maxStart = -Infinity;
    let minEnd = Infinity;
    let maxEnd = -Infinity;
    for (let i = 0; i < n; i++) {
      if (data.start[i] < minStart) minStart = data.start[i];
      if (data.start[i] > maxStart) maxStart = data.start[i];
      if (data.end[i] < minEnd) minEnd = data.end[i];
      if (data.end[i] > maxEnd) maxEnd = data.end[i];
    }
    // Newest first: the latest start, then the latest end, then the higher id (data is by id).
    let date = new Int32Array(n);
    for (let j = 0; j < n; j++) date[j] = n - 1 - j;
    const key = new Int32Array(n);
    for (let i = 0; i < n; i++) key[i] = maxEnd - data.end[i];
    date = sortByKey(date, key, maxEnd - minEnd + 1);
    for (let i = 0; i < n; i++) key[i] = maxStart - data.start[i];
    date = sortByKey(date, key, maxStart - minStart + 1);
    this.orders = { date };
  }

  order(sort) {
    if (!this.orders[sort]) {
      const data = this.data;
      const n = data.n;
      const key = new Int32Array(n);
      let order = this.orders.date; // ties stay newest first
      if (sort === "deaths") {
        // Most first; not reported (-1) last.
        let most = 0;
        for (let i = 0; i < n; i++) if (data.fatalities[i] > most) most = data.fatalities[i];
        for (let i = 0; i < n; i++) key[i] = data.fatalities[i] < 0 ? most + 1 : most - data.fatalities[i];
        order = sortByKey(order, key, most + 2);
      } else {
        // Place A-Z, then governorate; events with no place last.
        const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
        // Each id's rank among the names, equal names (two places called Hajin) equal.
        const rankOf = (names) => {
          const ids = Object.keys(names).sort((a, b) => collator.compare(names[a], names[b]));
          const ranks = new Map();
          ids.forEach((id, k) => {
            const same = k > 0 && collator.compare(names[id], names[ids[k - 1]]) === 0;
            ranks.set(Number(id), same ? ranks.get(Number(ids[k - 1])) : k);
          });
          return ranks;
        };
        const governorates = Object.fromEntries(Object.entries(data.units).map(([id, unit]) => [id, unit[0]]));
        const govRank = rankOf(governorates);
        for (let i = 0; i < n; i++) key[i] = govRank.get(data.admin1[i]) ?? govRank.size;
        order = sortByKey(order, key, govRank.size + 1);
        const placeRank = rankOf(data.places);
        for (let i = 0; i < n; i++) key[i] = placeRank.get(data.place[i]) ?? placeRank.size;
        order = sortByKey(order, key, placeRank.size + 1);
      }
      this.orders[sort] = order;
    }
    return this.orders[sort];
  }

  // What is on screen changed (filters, brush): `visible` holds event indices.
  update(visible) {
    this.visible = visible;
    this.refilter();
  }

  // The rows: the sort's order, kept where the event is visible (and in the map's view).
  refilter() {
    const t = performance.now();
    const data = this.data;
    const mask = this.mask;
    mask.fill(0);
    const visible = this.visible;
    const inView = this.inViewBox.checked;
    if (inView) {
      const b = this.map.getBounds();
      const [south, west, north, east] = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
      for (let k = 0; k < visible.length; k++) {
        const i = visible[k];
        if (data.lat[i] >= south && data.lat[i] <= north && data.lon[i] >= west && data.lon[i] <= east) mask[i] = 1;
      }
    } else {
      for (let k = 0; k < visible.length; k++) mask[visible[k]] = 1;
    }
    const sort = SORTS.includes(this.sortSelect.value) ? this.sortSelect.value : "date";
    const order = this.order(sort);
    const rows = this.rows;
    const activeIndex = this.activePos >= 0 ? this.rows[this.activePos] : null;
    let count = 0;
    for (let j = 0; j < order.length; j++) if (mask[order[j]]) rows[count++] = order[j];
    this.count = count;
    this.activePos = this.positionOf(activeIndex);
    this.spacer.style.height = `${count * ROW}px`;
    this.countLabel.textContent = `${count.toLocaleString("en")} ${count === 1 ? "event" : "events"}${inView ? " in map view" : ""}`;
    this.render();
    this.updateMs = performance.now() - t;
  }

  // Where event `index` stands in the list (-1: not there).
  positionOf(index) {
    if (index === null || index === undefined) return -1;
    const rows = this.rows;
    for (let p = 0; p < this.count; p++) if (rows[p] === index) return p;
    return -1;
  }

  // Draw the rows in view (and a few around them), each by a pooled node.
  render() {
    const height = this.height || 600;
    const top = Math.min(this.top, Math.max(0, this.count * ROW - height)); // as the browser clamps it
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((top + height) / ROW) + OVERSCAN);
    while (this.pool.length < last - first) this.pool.push(this.makeRow());
    const size = this.pool.length;
    const used = new Uint8Array(size);
    for (let p = first; p < last; p++) {
      const slot = p % size;
      used[slot] = 1;
      this.fillRow(this.pool[slot], p, this.rows[p]);
    }
    for (let s = 0; s < size; s++) {
      if (!used[s]) {
        this.pool[s].hidden = true;
        this.pool[s].index = -1;
      }
    }
    const active = this.activePos >= 0 && this.activePos >= first && this.activePos < last
      ? this.pool[this.activePos % size] : null;
    if (active) this.viewport.setAttribute("aria-activedescendant", active.id);
    else this.viewport.removeAttribute("aria-activedescendant");
  }

  makeRow() {
    const span = (className) => Object.assign(document.createElement("span"), { className });
    const row = document.createElement("div");
    row.className = "list-row";
    row.setAttribute("role", "option");
    row.index = -1;
    row.swatch = span("swatch");
    row.date = span("list-date");
    row.deaths = span("list-deaths");
    row.unknown = span("visually-hidden"); // "deaths not reported", for screen readers
    row.place = span("list-place");
    row.type = span("list-type");
    row.actors = span("list-actors");
    // The row's accessible name is its text (no aria-label: that would repeat every name
    // as a label); hidden words say what the figures are.
    const dot = span("list-dot");
    dot.textContent = "·";
    dot.setAttribute("aria-hidden", "true");
    const said = span("visually-hidden");
    said.textContent = "Actors: ";
    const line1 = span("list-line");
    line1.append(row.swatch, row.date, row.deaths, row.unknown);
    const line2 = span("list-line");
    line2.append(row.place, dot, row.type);
    const line3 = span("list-line");
    line3.append(said, row.actors);
    row.append(line1, line2, line3);
    this.spacer.append(row);
    return row;
  }

  // One row's text (only when it shows another event than before), position and state.
  fillRow(row, pos, i) {
    const data = this.data;
    if (row.index !== i) {
      row.index = i;
      row.id = `list-event-${data.id[i]}`;
      const date = describeWindow(data.start[i], data.end[i]);
      const name = data.places[data.place[i]];
      const governorate = data.units[data.admin1[i]]?.[0];
      const place = name
        ? (governorate && governorate !== name ? `${name} (${governorate})` : name)
        : (governorate ? `— (${governorate})` : "—");
      const type = this.subtypeLabels.get(data.subtypes[data.subtype[i]]) || data.subtypes[data.subtype[i]] || "";
      // Actor 1 (or the first actor) leads, then the others in their roles' order.
      const primary = data.primary[i];
      const names = primary >= 0 ? [this.actorsById.get(primary)?.name] : [];
      for (let k = data.actorOffsets[i]; k < data.actorOffsets[i + 1]; k++) {
        if (data.actorIds[k] !== primary) names.push(this.actorsById.get(data.actorIds[k])?.name);
      }
      const actors = names.filter(Boolean).join(", ");
      const f = data.fatalities[i];
      const deaths = f < 0 ? "—" : `${f.toLocaleString("en")} ${f === 1 ? "death" : "deaths"}`;
      row.date.textContent = date;
      row.place.textContent = place;
      row.type.textContent = type;
      row.actors.textContent = actors || "No actor named";
      row.deaths.textContent = deaths;
      row.deaths.title = f < 0 ? "Deaths not reported" : "";
      if (f < 0) row.deaths.setAttribute("aria-hidden", "true");
      else row.deaths.removeAttribute("aria-hidden");
      row.unknown.textContent = f < 0 ? "deaths not reported" : "";
    }
    row.pos = pos;
    row.hidden = false;
    if (this.colourOf) row.swatch.style.background = this.colourOf(i); // the map's colour now
    row.style.transform = `translateY(${pos * ROW}px)`;
    row.setAttribute("aria-posinset", String(pos + 1));
    row.setAttribute("aria-setsize", String(this.count));
    row.setAttribute("aria-selected", String(i === this.selected));
    row.classList.toggle("active", pos === this.activePos);
  }

  onKey(event) {
    if (!this.count) return;
    const page = Math.max(1, Math.floor(this.height / ROW) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (event.key in moves) {
      event.preventDefault();
      const from = this.activePos < 0 ? -1 : this.activePos;
      this.setActive(Math.max(0, Math.min(this.count - 1, from + moves[event.key])));
    } else if ((event.key === "Enter" || event.key === " ") && this.activePos >= 0) {
      event.preventDefault();
      this.choose(this.activePos);
    }
  }

  // The keyboard's row moves to `pos`, scrolled into view.
  setActive(pos) {
    this.activePos = pos;
    this.scrollTo(pos, false);
    this.render();
  }

  scrollTo(pos, centre) {
    const height = this.height;
    const top = pos * ROW;
    const now = Math.min(this.top, Math.max(0, this.count * ROW - height));
    let to = now;
    if (centre && (top < now || top + ROW > now + height)) to = Math.max(0, top - (height - ROW) / 2);
    else if (top < now) to = top;
    else if (top + ROW > now + height) to = top + ROW - height;
    if (to !== this.top) {
      this.top = to;
      this.viewport.scrollTop = to;
    }
  }

  // A row chosen (Enter, a click): select its event on the map; keyboard focus follows into
  // the details panel, and comes back to the list when the panel closes.
  choose(pos) {
    const hadFocus = document.activeElement === this.viewport;
    const done = this.onSelect(this.rows[pos]);
    this.returnFocus = hadFocus;
    Promise.resolve(done).then(() => {
      if (hadFocus && this.details && !this.details.hidden) this.details.querySelector("button")?.focus();
    });
  }

  // The map selected event `index` (null: none): highlight its row and scroll to it.
  select(index) {
    this.selected = index;
    if (index === null) {
      if (this.returnFocus) this.viewport.focus();
      this.returnFocus = false;
    } else {
      const pos = this.positionOf(index);
      if (pos >= 0) {
        this.activePos = pos;
        this.scrollTo(pos, true);
      }
    }
    this.render();
  }
}
