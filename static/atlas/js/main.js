// The researchers' map page: loads the data, wires map, timeline, filters, details and URL.

import { decodeCompact, getJSON, queryString } from "./api.js";
import { addCite, exportName } from "./cite.js";
import { describeWindow, isoDay, parseIsoDay, toDay } from "./dates.js";
import { showDetails } from "./details.js";
import { Filters } from "./filters.js";
import { eventNotice, showNotice } from "./notice.js";
import { EventList } from "./list.js";
import { bringIntoView, createMap, Legend, SHAPES, UnitOutline } from "./map.js";
import { SIDES, TYPE_COLOURS } from "./palette.js";
import { addPlaceSearch } from "./placesearch.js";
import { TimeControls } from "./playback.js";
import { Timeline } from "./timeline.js";
import { Trends } from "./trends.js";
import { readState, writeState } from "./urlstate.js";

const config = JSON.parse(document.getElementById("atlas-config").textContent);
const countLabel = document.getElementById("count");
const panel = document.getElementById("details");

let state = readState();
let data = null;
let filterMask = null; // events passing every filter but time (Uint8Array)
let textIds = null; // ids matching the free-text search, or null
let chosenActors = null; // ids of the actors the filters chose (with their units), or null
let visible = new Int32Array(0);
// Views beside the map (the list, the trends): each is told of every change of what is on
// screen, `update(visible)` (indices into `data`), and of the selection, `select(index|null)`.
const views = [];

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

  // Actor families (events/families.py): each event's is its actor 1's; an event with no
  // actor is unidentified's.
  const families = actorsBody.families;
  const familyIndex = new Map(families.map((f, k) => [f.key, k]));
  const unidentified = familyIndex.get("unidentified") ?? 0;
  data.family = new Uint8Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const actor = actorsById.get(data.primary[i]);
    data.family[i] = actor ? familyIndex.get(actor.family) ?? unidentified : unidentified;
  }
  const familyOf = (i) => data.family[i];
  // Each event's colour (recoloured by paint() when the filters or the colouring change) and,
  // for the legend, the group it counts in: `paintGroup[i]` indexes `paintGroups`.
  const colours = new Array(data.n).fill("#8c8c8c");
  const paintGroup = new Uint16Array(data.n);
  let paintGroups = [];
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
    groupOf: (i) => paintGroup[i],
    groupColours: () => paintGroups.map((g) => g.colour),
    describe,
    select: (i) => select(data.id[i], { push: true }),
  });
  t = mark("map and basemap", t);
  // The list beside the map (a sheet on phones).
  const list = new EventList(document.getElementById("event-list"), {
    data, actorsById, subtypeLabels, colourOf, map, details: panel,
    onSelect: (i) => select(data.id[i], { push: true }),
    toggle: document.getElementById("toggle-list"),
  });
  views.push(list);
  const legend = new Legend(map, {
    onOptions: (options) => {
      Object.assign(state, options);
      paint();
      render(layer);
      writeState(state, { push: true });
    },
  });
  map.on("moveend", () => updateLegend());

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
  addCite(document.getElementById("cite-view"), { actors, types, units });

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
  // Events or deaths over time (a panel under the timeline, drawn only while open).
  const trends = new Trends(document.getElementById("trends"), {
    data, types, families, familyOf,
    toggle: document.getElementById("toggle-trends"),
    getWindow: () => windowFromState(),
    onChange: (text) => {
      state.trends = text;
      writeState(state, { push: true });
    },
  });
  views.push(trends);
  // The map's box changes when a panel opens (the trends): Leaflet must measure it again.
  new ResizeObserver(() => map.invalidateSize()).observe(document.getElementById("map"));

  // Apply everything in `state` to the controls, the map and the panel.
  async function restore() {
    legend.setOptions(state);
    trends.setState(state.trends);
    filters.set(state);
    Object.assign(state, filters.value()); // units by P-code, even from older links by name
    await applyFilters(filters, { write: false });
    outline.show(filters.chosenUnit(), { zoom: !state.map }).catch(() => {});
    timeline.moveBrush(windowFromState());
    if (state.map) map.setView([state.map.lat, state.map.lon], state.map.zoom, { animate: false });
    // A shared view keeps its map as it was; otherwise the selection is brought into view.
    if (state.event) await select(state.event, { push: false, reveal: !state.map });
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
    chosenActors = actorIds;
    paint();
    timeline.setCounts(data, filterMask);
    setWindow(windowFromState());
    render(layer);
    if (write) writeState(state, { push: true });
  }

  // Colour every event by the chosen scheme: its actor family (with a chosen actor, the
  // family shade of the first of its actors that was chosen, so a map of ISIS's events is
  // ISIS's colour), its type, or the side the chosen actor took in it.
  function paint() {
    const mode = state.colour === "side" && !chosenActors ? "" : state.colour;
    layer.sizeByDeaths = Boolean(state.size);
    layer.grouping = state.group !== false;
    if (mode === "type") {
      paintGroups = types.map((t, k) => ({ label: t.label, colour: TYPE_COLOURS[k % TYPE_COLOURS.length] }));
      for (let i = 0; i < data.n; i++) {
        paintGroup[i] = data.type[i];
        colours[i] = paintGroups[data.type[i]].colour;
      }
      return;
    }
    if (mode === "side") {
      paintGroups = SIDES.map((side) => ({ label: side.label, colour: side.colour }));
      for (let i = 0; i < data.n; i++) {
        let sides = 0;
        for (let k = data.actorOffsets[i]; k < data.actorOffsets[i + 1]; k++) {
          if (chosenActors.has(data.actorIds[k])) sides |= data.roles[k] % 2 === 0 ? 1 : 2;
        }
        paintGroup[i] = sides === 3 ? 2 : sides === 2 ? 1 : 0;
        colours[i] = paintGroups[paintGroup[i]].colour;
      }
      return;
    }
    // By family: one legend row per family; units are drawn in their shades of it.
    paintGroups = families.map((f) => ({ label: f.label, colour: f.colour }));
    for (let i = 0; i < data.n; i++) {
      let actor = actorsById.get(data.primary[i]);
      if (chosenActors) {
        for (let k = data.actorOffsets[i]; k < data.actorOffsets[i + 1]; k++) {
          if (chosenActors.has(data.actorIds[k])) {
            actor = actorsById.get(data.actorIds[k]);
            break;
          }
        }
      }
      paintGroup[i] = actor ? familyIndex.get(actor.family) ?? unidentified : unidentified;
      colours[i] = actor ? actor.colour : families[unidentified].colour;
    }
  }

  // The legend lists what is on screen: the colours and shapes of the events drawn in view.
  function updateLegend() {
    const bounds = map.getBounds();
    const colourCounts = new Array(paintGroups.length).fill(0);
    const shapeCounts = new Array(types.length).fill(0);
    const [south, west, north, east] = [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()];
    for (const i of visible) {
      const lat = data.lat[i];
      const lon = data.lon[i];
      if (lat < south || lat > north || lon < west || lon > east) continue;
      colourCounts[paintGroup[i]] += 1;
      shapeCounts[data.type[i]] += 1;
    }
    const sideless = state.colour === "side" && !chosenActors;
    const mode = sideless ? "" : state.colour;
    legend.update({
      title: { type: "Colour: event type", side: "Colour: the chosen actor's side" }[mode] || "Colour: actor family (units in shades)",
      note: sideless ? "Choose an actor in the filters to colour by its side." : "",
      colours: paintGroups.map((g, k) => ({ ...g, count: colourCounts[k] })).filter((g) => g.count),
      shapes: types.map((t, k) => ({ label: t.label, shape: SHAPES[k], count: shapeCounts[k] })).filter((s) => s.count),
    });
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
    for (const format of ["csv", "geojson"]) { // named by their filters and the day (cite.js)
      const link = document.getElementById(`export-${format}`);
      link.href = config.api.events + queryString({ ...params, format });
      link.download = exportName(params, format);
    }
    layer.setVisible(data, visible);
    updateLegend();
    for (const view of views) view.update(visible);
  }

  // Select an event by id: the ring on the map and the details panel.
  async function select(id, { push, reveal = true }) {
    state.event = id;
    layer.selected = data.indexById.has(id) ? data.indexById.get(id) : null;
    layer.redraw();
    for (const view of views) view.select?.(layer.selected);
    writeState(state, { push });
    try {
      const event = await getJSON(config.api.event + id);
      if (state.event !== id) return; // another event was chosen while this one loaded
      showDetails(panel, event, { describeWindow, toDay, onClose: () => closeDetails(true) });
      // Bring it into view, clear of the legend, the controls and a details sheet.
      const i = layer.selected;
      if (i !== null && reveal && state.event === id && !Number.isNaN(data.lat[i])) {
        bringIntoView(map, [data.lat[i], data.lon[i]]);
      }
    } catch (error) {
      // A link to an event not (or no longer) published: say so; a merged one opens its survivor.
      if (error.status === 404) {
        if (state.event !== id) return; // another event was chosen meanwhile
        const survivor = error.body?.merged_into;
        showNotice(eventNotice(id, survivor));
        closeDetails(false);
        return survivor ? select(survivor, { push: false, reveal }) : writeState(state);
      }
      panel.replaceChildren(Object.assign(document.createElement("p"), { textContent: `Could not load event ${id}: ${error.message}` }));
      panel.hidden = false;
    }
  }

  function closeDetails(write) {
    state.event = null;
    layer.selected = null;
    panel.hidden = true;
    layer.redraw();
    for (const view of views) view.select?.(null);
    if (write) writeState(state, { push: true });
  }

  // Date inputs, presets and Play move the brush (playback.js).
  new TimeControls(timeline, {
    extent: [first, last],
    getWindow: windowFromState,
    moveWindow(window, { push }) {
      timeline.moveBrush(window);
      setWindow(window);
      render(layer);
      writeState(state, { push });
    },
  });

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
    select: (id) => select(id, { push: true }),
    // The groups drawn at low zoom, in map-container pixels, with their counts.
    groups: () => layer.groups.map((g) => ({ x: g.x, y: g.y, r: g.r, count: g.count })),
    get listUpdateMs() {
      return list.updateMs; // the list's last update (filter of its sorted order, drawing)
    },
    trends,
    get trendsUpdateMs() {
      return trends.updateMs; // the trends' last update (aggregation and drawing; 0 while closed)
    },
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
