// The researchers' map page: loads the data, wires map, timeline, filters, details and URL.

import { decodeCompact, getJSON, queryString } from "./api.js";
import { describeWindow, isoDay, parseIsoDay, toDay } from "./dates.js";
import { showDetails } from "./details.js";
import { Filters } from "./filters.js";
import { addLegend, createMap, UnitOutline } from "./map.js";
import { addPlaceSearch } from "./placesearch.js";
import { Timeline } from "./timeline.js";
import { readState, writeState } from "./urlstate.js";

const config = JSON.parse(document.getElementById("atlas-config").textContent);
const countLabel = document.getElementById("count");
const panel = document.getElementById("details");

let state = readState();
let data = null;
let filterMask = null; // events passing every filter but time (Uint8Array)
let textIds = null; // ids matching the free-text search, or null
let visible = new Int32Array(0);

// How long each step of loading took, in ms (shown by the benchmark).
const timings = {};
function mark(name, since) {
  timings[name] = Math.round(performance.now() - since);
  return performance.now();
}

async function main() {
  const t0 = performance.now();
  let t = t0;
  const [actorsBody, typesBody, eventsBody] = await Promise.all([
    getJSON(config.api.actors),
    getJSON(config.api.types),
    getJSON(`${config.api.events}?format=compact`),
  ]);
  t = mark("fetch", t);
  data = decodeCompact(eventsBody);
  t = mark("decode", t);
  const actors = actorsBody.actors;
  const actorsById = new Map(actors.map((a) => [a.id, a]));
  const types = typesBody.types;
  const subtypeLabels = new Map(types.flatMap((t) => t.subtypes.map((s) => [s.value, s.label])));

  // The first actor's colour; grey when an event has none.
  const colours = new Array(data.n);
  for (let i = 0; i < data.n; i++) {
    colours[i] = actorsById.get(data.primary[i])?.colour || "#777777";
  }
  const colourOf = (i) => colours[i];
  // One line about an event, for tooltips and pick lists (plain text).
  const describe = (i) => {
    const place = data.places[data.place[i]];
    const governorate = data.units[data.admin1[i]]?.[0];
    const first = actorsById.get(data.primary[i]);
    return [
      subtypeLabels.get(data.subtypes[data.subtype[i]]),
      describeWindow(data.start[i], data.end[i]),
      [place, governorate && governorate !== place ? `(${governorate})` : ""].filter(Boolean).join(" "),
      first ? first.name : "",
    ].filter(Boolean).join(" · ");
  };

  const { map, layer, labels } = await createMap(document.getElementById("map"), config, {
    colourOf,
    describe,
    select: (i) => select(data.id[i], { push: true }),
  });
  t = mark("map and basemap", t);
  const present = actors.filter((a) => a.events > 0).sort((a, b) => b.events - a.events).slice(0, 8);
  addLegend(map, types, present);

  // The units events lie in, each with the P-codes of the units above it.
  const units = Object.entries(data.units).map(([id, [name, level, pcode, parent]]) => {
    const parents = [];
    for (let up = data.units[parent]; up; up = data.units[up[3]]) parents.push(up[2]);
    return { id: Number(id), name, level, pcode, parents };
  });
  const unitIdOf = new Map(units.map((u) => [u.pcode, u.id]));
  const outline = new UnitOutline(map, config.api.unit);
  const filters = new Filters({
    actors,
    types,
    units,
    onChange: (value) => {
      const unitBefore = outline.pcode;
      Object.assign(state, value);
      applyFilters(filters);
      const unit = filters.chosenUnit();
      if (unit !== unitBefore) outline.show(unit).catch(() => {});
    },
  });
  addPlaceSearch(map, config.api.places, {
    onNear: (place, bbox) => filters.setNear(place.name, bbox),
  });

  const timeline = new Timeline(document.getElementById("histogram"), {
    onBrush: (window, done) => {
      setWindow(window);
      render(layer);
      writeState(state, { push: done });
    },
  });
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < data.n; i++) {
    if (data.start[i] < first) first = data.start[i];
    if (data.end[i] > last) last = data.end[i];
  }
  if (!data.n) [first, last] = [toDay(new Date()) - 365, toDay(new Date())];
  timeline.setExtent(first, last);

  // Apply everything in `state` to the controls, the map and the panel.
  async function restore() {
    filters.set(state);
    Object.assign(state, filters.value()); // units by P-code, even from older links by name
    await applyFilters(filters, { write: false });
    outline.show(filters.chosenUnit(), { zoom: !state.map }).catch(() => {});
    timeline.moveBrush(windowFromState());
    if (state.map) map.setView([state.map.lat, state.map.lon], state.map.zoom, { animate: false });
    if (state.event) await select(state.event, { push: false });
    else closeDetails(false);
  }

  // Non-time filters: the mask, the histogram and the map.
  async function applyFilters(filters, { write = true } = {}) {
    const value = filters.value();
    textIds = value.q ? new Set((await getJSON(config.api.events + queryString({ q: value.q, format: "ids" }))).ids) : null;
    const actorIds = value.actor.length ? filters.actorIds(value.actor) : null;
    const typeSet = new Set(value.type.map((t) => data.types.indexOf(t)));
    const subtypeSet = new Set(value.subtype.map((t) => data.subtypes.indexOf(t)));
    const anyType = typeSet.size || subtypeSet.size;
    // A unit filter: the event's unit at that level (-2 matches nothing: an unknown unit).
    const unitFilters = [
      [data.admin1, value.governorate],
      [data.admin2, value.district],
      [data.admin3, value.subdistrict],
    ].filter(([, pcode]) => pcode).map(([column, pcode]) => [column, unitIdOf.get(pcode) ?? -2]);
    const box = value.bbox ? value.bbox.split(",").map(Number) : null;
    filterMask = new Uint8Array(data.n);
    for (let i = 0; i < data.n; i++) {
      if (anyType && !typeSet.has(data.type[i]) && !subtypeSet.has(data.subtype[i])) continue;
      if (unitFilters.some(([column, id]) => column[i] !== id)) continue;
      if (box && !(data.lon[i] >= box[0] && data.lat[i] >= box[1] && data.lon[i] <= box[2] && data.lat[i] <= box[3])) continue;
      if (textIds && !textIds.has(data.id[i])) continue;
      if (actorIds) {
        let hit = false;
        for (let k = data.actorOffsets[i]; k < data.actorOffsets[i + 1] && !hit; k++) hit = actorIds.has(data.actorIds[k]);
        if (!hit) continue;
      }
      filterMask[i] = 1;
    }
    timeline.setCounts(data, filterMask);
    setWindow(windowFromState());
    render(layer);
    if (write) writeState(state, { push: true });
  }

  // The brush window in days, from the state's start and end (null: everything).
  function windowFromState() {
    const a = parseIsoDay(state.start);
    const b = parseIsoDay(state.end);
    return a !== null && b !== null && a <= b ? [a, b] : null;
  }

  function setWindow(window) {
    state.start = window ? isoDay(window[0]) : "";
    state.end = window ? isoDay(window[1]) : "";
    const [a, b] = window || [-Infinity, Infinity];
    const out = new Int32Array(data.n);
    let count = 0;
    for (let i = 0; i < data.n; i++) {
      if (filterMask[i] && data.end[i] >= a && data.start[i] <= b && !Number.isNaN(data.mx[i])) out[count++] = i;
    }
    visible = out.subarray(0, count);
  }

  // Count, window label, exports and the map's drawing.
  function render(layer) {
    const window = windowFromState();
    countLabel.textContent = `${visible.length.toLocaleString("en")} of ${data.n.toLocaleString("en")} events`;
    document.getElementById("window-label").textContent = window ? describeWindow(window[0], window[1]) : "All dates";
    const params = {
      start: state.start, end: state.end, actor: state.actor, type: state.type, subtype: state.subtype,
      governorate: state.governorate, district: state.district, subdistrict: state.subdistrict, bbox: state.bbox, q: state.q,
    };
    document.getElementById("export-csv").href = config.api.events + queryString({ ...params, format: "csv" });
    document.getElementById("export-geojson").href = config.api.events + queryString({ ...params, format: "geojson" });
    layer.setVisible(data, visible);
  }

  // Select an event by id: the ring on the map and the details panel.
  async function select(id, { push }) {
    state.event = id;
    layer.selected = data.indexById.has(id) ? data.indexById.get(id) : null;
    layer.redraw();
    writeState(state, { push });
    try {
      const event = await getJSON(config.api.event + id);
      showDetails(panel, event, { describeWindow, toDay, onClose: () => closeDetails(true) });
    } catch (error) {
      panel.replaceChildren(Object.assign(document.createElement("p"), { textContent: `Could not load event ${id}: ${error.message}` }));
      panel.hidden = false;
    }
  }

  function closeDetails(write) {
    state.event = null;
    layer.selected = null;
    panel.hidden = true;
    layer.redraw();
    if (write) writeState(state, { push: true });
  }

  // Presets and play/pause move the brush.
  const lastDay = () => (windowFromState() || [first, last])[1];
  for (const button of document.querySelectorAll(".presets button")) {
    button.addEventListener("click", () => {
      const days = button.dataset.days;
      const window = days === "all" ? null : [Math.max(first, lastDay() - Number(days) + 1), lastDay()];
      timeline.moveBrush(window);
      setWindow(window);
      render(layer);
      writeState(state, { push: true });
    });
  }
  const play = document.getElementById("play");
  let timer = null;
  play.addEventListener("click", () => {
    if (timer) return stop();
    let window = windowFromState() || [first, Math.min(last, first + 30)];
    if (window[1] >= last) window = [first, first + (window[1] - window[0])];
    const step = Math.max(1, Math.round((window[1] - window[0] + 1) / 4));
    play.setAttribute("aria-pressed", "true");
    play.textContent = "⏸ Pause";
    timer = setInterval(() => {
      window = [window[0] + step, window[1] + step];
      if (window[0] > last) return stop();
      timeline.moveBrush(window);
      setWindow(window);
      render(layer);
      writeState(state);
    }, 400);
  });
  function stop() {
    clearInterval(timer);
    timer = null;
    play.setAttribute("aria-pressed", "false");
    play.textContent = "▶ Play";
  }

  // The map view in the URL; back and forward restore everything.
  map.on("moveend", () => {
    const c = map.getCenter();
    state.map = { lat: c.lat, lon: c.lng, zoom: map.getZoom() };
    writeState(state);
  });
  window.addEventListener("popstate", () => {
    state = readState();
    restore();
  });

  // On phones the filters slide over the map.
  const toggle = document.getElementById("toggle-filters");
  const showFilters = (open) => {
    document.getElementById("filters").classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => showFilters(toggle.getAttribute("aria-expanded") !== "true"));
  document.getElementById("close-filters").addEventListener("click", () => showFilters(false));

  t = mark("controls", t);
  await restore();
  t = mark("filter and first draw", t);
  // Hooks for the browser tests and the benchmark: readiness, and one timed brush step.
  window.atlas = {
    ready: performance.now() - t0,
    readyAt: performance.now(),
    timings,
    visibleCount: () => visible.length,
    brushStep(startDay, endDay) {
      const t = performance.now();
      timeline.moveBrush([startDay, endDay]);
      setWindow([startDay, endDay]);
      render(layer);
      return performance.now() - t;
    },
    extent: [first, last],
    map,
    labelsShown: () => labels.shown.map((label) => label.name),
    labelBoxes: () => labels.shown.map((label) => label.box),
    outlinePcode: () => (outline.layer ? outline.pcode : ""),
    // Where an event is drawn, in map-container pixels (null when it is not drawn).
    screenPoint(id) {
      const k = layer.visibleIndexOf(data.indexById.get(id));
      return k < 0 ? null : { x: layer.sx[k], y: layer.sy[k] };
    },
  };
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  countLabel.textContent = `Atlas could not load: ${error.message}`;
  console.error(error);
});
