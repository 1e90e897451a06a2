// The map: Leaflet with the offline basemap (basemap.js), place names and a canvas layer of
// events, the chosen unit's outline.
/* global L */

import { getJSON } from "./api.js";
import { addAttribution, addPanes, addTiles, drawBasemap, PlaceLabels } from "./basemap.js";
import { el } from "./dom.js";
import { lightness } from "./palette.js";

// Shapes by ACLED event type, in the order of /api/event-types.
export const SHAPES = ["circle", "triangle", "square", "plus", "cross", "diamond"];
// Approximate locations get a ring of the radius their UCDP where_prec stands for (km).
const RING_KM = { 2: 25, 3: 50, 4: 100, 5: 150 };
const POINT = 5; // half the size of a marker, in CSS pixels
const HIT = 8; // how near the pointer must be to an event, in CSS pixels
const MAX_RINGS = 4000; // past this many events in view, rings are noise (and slow): skip them
// Below this zoom, events near each other on screen are drawn as one group with its count
// (a density grid: CELL pixels square); from it on, every event has its own marker.
export const GROUP_BELOW_ZOOM = 9;
const CELL = 52;

// Marker size by deaths (an option): unknown or none, 1, 2-4, 5-9, 10-24, 25 or more.
const DEATH_STEPS = [1, 2, 5, 10, 25];
const DEATH_SCALES = [0.8, 1, 1.3, 1.6, 2, 2.6];
function deathScale(fatalities) {
  let k = 0;
  while (k < DEATH_STEPS.length && fatalities >= DEATH_STEPS[k]) k++;
  return DEATH_SCALES[k];
}

// Draw one marker shape centred on (x, y).
function tracePath(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "circle") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (shape === "triangle") {
    ctx.moveTo(x, y - r * 1.15);
    ctx.lineTo(x + r * 1.1, y + r * 0.8);
    ctx.lineTo(x - r * 1.1, y + r * 0.8);
    ctx.closePath();
  } else if (shape === "square") ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  else if (shape === "diamond") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.1, y);
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r * 1.1, y);
    ctx.closePath();
  } else if (shape === "plus") {
    const t = r * 0.45;
    ctx.rect(x - r, y - t, 2 * r, 2 * t);
    ctx.rect(x - t, y - r, 2 * t, 2 * r);
  } else {
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r);
    ctx.lineTo(x - r, y + r);
  }
}

// A small icon of a shape, as an <svg> element for legends and lists.
export function shapeIcon(shape, colour = "#555", hollow = false) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 14;
  const ctx = canvas.getContext("2d");
  tracePath(ctx, shape, 7, 7, 5);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  if (hollow || shape === "cross") ctx.stroke();
  else ctx.fill();
  canvas.className = "shape-icon";
  return canvas;
}

// Sprites: each (shape, colour, hollow) drawn once, then stamped with drawImage.
class Sprites {
  constructor(ratio) {
    this.ratio = ratio;
    this.cache = new Map();
  }
  get(shape, colour, hollow, scale = 1) {
    const key = `${shape}|${colour}|${hollow}|${scale}`;
    let sprite = this.cache.get(key);
    if (!sprite) {
      const size = Math.ceil((POINT * scale * 2 + 4) * this.ratio);
      sprite = document.createElement("canvas");
      sprite.width = sprite.height = size;
      const ctx = sprite.getContext("2d");
      ctx.scale(this.ratio, this.ratio);
      const c = size / this.ratio / 2;
      tracePath(ctx, shape, c, c, POINT * scale);
      ctx.lineWidth = hollow ? 2 : 1;
      if (hollow || shape === "cross") {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.stroke();
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
        // A light fill (yellow, sky blue) needs a dark edge to stand out on the basemap.
        ctx.strokeStyle = lightness(colour) > 0.6 ? "rgba(40,40,40,0.85)" : "rgba(255,255,255,0.9)";
        ctx.stroke();
      }
      this.cache.set(key, sprite);
    }
    return sprite;
  }

  // The sprite's opaque pixels as offsets from its centre and 32-bit colours, for writing
  // straight into ImageData when there are too many markers to stamp with drawImage.
  pixels(shape, colour, hollow, scale = 1) {
    const key = `px|${shape}|${colour}|${hollow}|${scale}`;
    let stamp = this.cache.get(key);
    if (!stamp) {
      const sprite = this.get(shape, colour, hollow, scale);
      const size = sprite.width;
      const rgba = sprite.getContext("2d").getImageData(0, 0, size, size).data;
      const words = new Uint32Array(rgba.buffer);
      const dx = [];
      const dy = [];
      const colours = [];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const p = y * size + x;
          if (rgba[p * 4 + 3] < 128) continue;
          dx.push(x - Math.floor(size / 2));
          dy.push(y - Math.floor(size / 2));
          colours.push(words[p] | 0xff000000); // opaque, byte order as the canvas stores it
        }
      }
      stamp = { dx: Int32Array.from(dx), dy: Int32Array.from(dy), colours: Uint32Array.from(colours) };
      this.cache.set(key, stamp);
    }
    return stamp;
  }
}

// The events layer: one canvas in its own pane above the basemap (NOTES.md: SVG layers sit
// above canvas by default and hid the points).
const EventLayer = L.Layer.extend({
  initialize(options) {
    this.options = options;
    this.data = null;
    this.visible = new Int32Array(0);
    this.selected = null;
    this.sizeByDeaths = false;
    this.grouping = true;
    this.groups = []; // the groups drawn at low zoom: {x, y, r, count, bounds, members}
  },

  scaleOf(i) {
    return this.sizeByDeaths ? deathScale(this.data.fatalities[i]) : 1;
  },

  // Whether events are drawn as groups at the current zoom.
  grouped() {
    return this.grouping && this.map.getZoom() < GROUP_BELOW_ZOOM;
  },

  onAdd(map) {
    this.map = map;
    this.canvas = L.DomUtil.create("canvas", "events-canvas");
    map.getPane("events").appendChild(this.canvas);
    this.ratio = window.devicePixelRatio || 1;
    this.sprites = new Sprites(this.ratio);
    map.on("moveend zoomend resize viewreset", this.redraw, this);
    map.on("zoomstart", () => (this.canvas.style.visibility = "hidden"));
    map.on("zoomend", () => (this.canvas.style.visibility = ""));
    this.redraw();
  },

  // Show these events (indices into the data), then draw.
  setVisible(data, visible) {
    this.data = data;
    this.visible = visible;
    this.redraw();
  },

  redraw() {
    if (!this.map) return;
    const map = this.map;
    const size = map.getSize();
    const topLeft = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(this.canvas, topLeft);
    const ratio = this.ratio;
    if (this.canvas.width !== size.x * ratio || this.canvas.height !== size.y * ratio) {
      this.canvas.width = size.x * ratio;
      this.canvas.height = size.y * ratio;
      this.canvas.style.width = `${size.x}px`;
      this.canvas.style.height = `${size.y}px`;
    }
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const data = this.data;
    if (!data) return;

    // Projected position of each visible event, in container pixels.
    const scale = 256 * Math.pow(2, map.getZoom());
    const origin = map.getPixelOrigin();
    const dx = origin.x + topLeft.x;
    const dy = origin.y + topLeft.y;
    const count = this.visible.length;
    this.sx = new Float32Array(count);
    this.sy = new Float32Array(count);
    // Metres per pixel at this zoom, for the rings of approximate locations.
    const metresPerPixel = 40075016.686 / scale;

    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    // Rings first, under every marker; one path per colour and dash style (fast to stroke).
    const rings = new Map();
    let inView = 0;
    for (let k = 0; k < count; k++) {
      const i = this.visible[k];
      const x = data.mx[i] * scale - dx;
      const y = data.my[i] * scale - dy;
      this.sx[k] = x;
      this.sy[k] = y;
      if (x >= 0 && y >= 0 && x <= size.x && y <= size.y) inView++;
    }
    const grouped = this.grouped();
    this.groups = [];
    for (let k = 0; !grouped && inView <= MAX_RINGS && k < count; k++) {
      const i = this.visible[k];
      const x = this.sx[k];
      const y = this.sy[k];
      const km = RING_KM[data.locPrec[i]];
      if (!km) continue;
      const r = Math.min((km * 1000) / (metresPerPixel / Math.cos((data.lat[i] * Math.PI) / 180)), 160);
      if (x + r < 0 || y + r < 0 || x - r > size.x || y - r > size.y || r < POINT + 2) continue;
      const key = `${this.options.colourOf(i)}|${data.locPrec[i] >= 4 ? 1 : 0}`;
      let ring = rings.get(key);
      if (!ring) rings.set(key, (ring = []));
      ring.push(x, y, r);
    }
    ctx.lineWidth = 1;
    for (const [key, ring] of rings) {
      const [colour, dashed] = key.split("|");
      ctx.beginPath();
      for (let j = 0; j < ring.length; j += 3) {
        ctx.moveTo(ring[j] + ring[j + 2], ring[j + 1]);
        ctx.arc(ring[j], ring[j + 1], ring[j + 2], 0, 2 * Math.PI);
      }
      ctx.setLineDash(dashed === "1" ? [4, 4] : []);
      ctx.strokeStyle = colour + "88";
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // Markers: colour by actor family (or type, or side), shape by type, hollow when the date
    // is uncertain; at low zoom, groups with their counts.
    if (grouped) this.drawGroups(ctx, data, count, size);
    else if (inView > MAX_RINGS) this.drawPixels(ctx, data, count, size);
    else this.drawSprites(ctx, data, count, size);
    // The selected event: its marker on top (also inside a group) and a dark ring around it.
    if (this.selected !== null) {
      const k = this.visibleIndexOf(this.selected);
      if (k >= 0) {
        const i = this.selected;
        const scale = this.scaleOf(i);
        const half = (POINT * scale * 2 + 4) / 2;
        const sprite = this.sprites.get(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4, scale);
        ctx.drawImage(sprite, this.sx[k] - half, this.sy[k] - half, half * 2, half * 2);
        ctx.beginPath();
        ctx.arc(this.sx[k], this.sy[k], POINT * scale + 5, 0, 2 * Math.PI);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#111";
        ctx.stroke();
      }
    }
  },

  // Low zoom: the events of each CELL-pixel square drawn as one disc at their centre with
  // their count, ringed by the colours of what they hold (their share of each); a square with
  // one event shows its marker. The groups are kept for hovering and clicking.
  drawGroups(ctx, data, count, size) {
    // The grid over the view (and one cell beyond each edge), in typed arrays: ~3 ms for
    // 100,000 events. `groupOf(i)` is the event's legend group (its family, type or side).
    const cols = Math.ceil(size.x / CELL) + 3;
    const rows = Math.ceil(size.y / CELL) + 3;
    const cells = cols * rows;
    const colours = this.options.groupColours();
    const g = colours.length;
    const n = new Int32Array(cells);
    const sumX = new Float64Array(cells);
    const sumY = new Float64Array(cells);
    const first = new Int32Array(cells);
    const shares = new Int32Array(cells * g);
    const cellOf = new Int32Array(count).fill(-1);
    const bounds = new Float64Array(cells * 4).fill(NaN); // south, west, north, east
    for (let k = 0; k < count; k++) {
      const x = this.sx[k];
      const y = this.sy[k];
      if (x < -CELL || y < -CELL || x >= size.x + CELL || y >= size.y + CELL) continue;
      const c = (Math.floor(x / CELL) + 1) * rows + Math.floor(y / CELL) + 1;
      cellOf[k] = c;
      const i = this.visible[k];
      if (n[c] === 0) first[c] = k;
      n[c] += 1;
      sumX[c] += x;
      sumY[c] += y;
      shares[c * g + this.options.groupOf(i)] += 1;
      const lat = data.lat[i];
      const lon = data.lon[i];
      const b = c * 4;
      if (!(lat >= bounds[b])) bounds[b] = lat;
      if (!(lon >= bounds[b + 1])) bounds[b + 1] = lon;
      if (!(lat <= bounds[b + 2])) bounds[b + 2] = lat;
      if (!(lon <= bounds[b + 3])) bounds[b + 3] = lon;
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (let c = 0; c < cells; c++) {
      if (n[c] === 0) continue;
      if (n[c] === 1) {
        const k = first[c];
        const i = this.visible[k];
        const scale = this.scaleOf(i);
        const half = (POINT * scale * 2 + 4) / 2;
        const sprite = this.sprites.get(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4, scale);
        ctx.drawImage(sprite, this.sx[k] - half, this.sy[k] - half, half * 2, half * 2);
        continue;
      }
      const x = sumX[c] / n[c];
      const y = sumY[c] / n[c];
      const r = Math.min(30, 11 + 3.2 * Math.log2(n[c]));
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(255,255,255,0.93)";
      ctx.fill();
      // The ring: each group's share, largest first, clockwise from the top.
      const parts = [];
      for (let j = 0; j < g; j++) if (shares[c * g + j]) parts.push([shares[c * g + j], colours[j]]);
      parts.sort((a, b) => b[0] - a[0]);
      let angle = -Math.PI / 2;
      ctx.lineWidth = 5;
      for (const [share, colour] of parts) {
        const sweep = (2 * Math.PI * share) / n[c];
        ctx.beginPath();
        ctx.arc(x, y, r - 2.5, angle, angle + sweep);
        ctx.strokeStyle = colour;
        ctx.stroke();
        angle += sweep;
      }
      ctx.fillStyle = "#1d2a33";
      ctx.font = `600 ${n[c] >= 1000 ? 10 : 11}px system-ui, sans-serif`;
      ctx.fillText(n[c] >= 10000 ? `${Math.round(n[c] / 1000)}k` : String(n[c]), x, y + 0.5);
      const b = c * 4;
      this.groups.push({ x, y, r, count: n[c], cell: c, bounds: [[bounds[b], bounds[b + 1]], [bounds[b + 2], bounds[b + 3]]] });
    }
    // Events inside a group are not under the pointer on their own.
    this.cellOf = cellOf;
    this.inGroup = new Uint8Array(count);
    for (let k = 0; k < count; k++) if (cellOf[k] >= 0 && n[cellOf[k]] > 1) this.inGroup[k] = 1;
  },

  // The group drawn under a container point, or null.
  groupAt(point) {
    for (const group of this.groups) {
      if (Math.hypot(group.x - point.x, group.y - point.y) <= group.r) return group;
    }
    return null;
  },

  // The events of a group (indices into the data), by the square they were counted in.
  groupMembers(group) {
    const members = [];
    for (let k = 0; k < this.visible.length; k++) if (this.cellOf[k] === group.cell) members.push(this.visible[k]);
    return members;
  },

  // Few markers: drawImage of anti-aliased sprites.
  drawSprites(ctx, data, count, size) {
    this.inGroup = null;
    for (let k = 0; k < count; k++) {
      const x = this.sx[k];
      const y = this.sy[k];
      if (x < -20 || y < -20 || x > size.x + 20 || y > size.y + 20) continue;
      const i = this.visible[k];
      const scale = this.scaleOf(i);
      const half = (POINT * scale * 2 + 4) / 2;
      const sprite = this.sprites.get(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4, scale);
      ctx.drawImage(sprite, x - half, y - half, half * 2, half * 2);
    }
  },

  // Many markers: the sprites' pixels written straight into one ImageData (NOTES.md: the
  // fastest way found to draw 100k points, ~30 ms).
  drawPixels(ctx, data, count) {
    this.inGroup = null;
    const width = this.canvas.width;
    const height = this.canvas.height;
    const image = ctx.getImageData(0, 0, width, height);
    const buffer = new Uint32Array(image.data.buffer);
    const ratio = this.ratio;
    for (let k = 0; k < count; k++) {
      const px = Math.round(this.sx[k] * ratio);
      const py = Math.round(this.sy[k] * ratio);
      if (px < -20 || py < -20 || px > width + 20 || py > height + 20) continue;
      const i = this.visible[k];
      const stamp = this.sprites.pixels(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4, this.scaleOf(i));
      for (let j = 0; j < stamp.dx.length; j++) {
        const x = px + stamp.dx[j];
        const y = py + stamp.dy[j];
        if (x >= 0 && y >= 0 && x < width && y < height) buffer[y * width + x] = stamp.colours[j];
      }
    }
    ctx.putImageData(image, 0, 0);
  },

  visibleIndexOf(i) {
    for (let k = 0; k < this.visible.length; k++) if (this.visible[k] === i) return k;
    return -1;
  },

  // Events under a container point, nearest first.
  eventsAt(point) {
    const found = [];
    if (!this.sx) return found;
    for (let k = 0; k < this.visible.length; k++) {
      if (this.inGroup && this.inGroup[k]) continue;
      const d = Math.hypot(this.sx[k] - point.x, this.sy[k] - point.y);
      if (d <= HIT * this.scaleOf(this.visible[k])) found.push([d, this.visible[k]]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  },
});

// Build the map, its basemap and labels. Resolves when the basemap is drawn.
export async function createMap(element, config, handlers) {
  const map = L.map(element, {
    center: config.center,
    zoom: config.zoom,
    minZoom: 4,
    maxZoom: 15,
    zoomControl: true,
    attributionControl: true,
  });
  addAttribution(map, "UCDP GED (CC BY 4.0)");
  addPanes(map);
  map.createPane("outline").style.zIndex = 400;
  map.getPane("outline").style.pointerEvents = "none";
  map.createPane("events").style.zIndex = 450;
  addTiles(map, config);
  await drawBasemap(map, config);
  const labels = new PlaceLabels(map, { towns: config.labels, placesUrl: config.api.places });

  const layer = new EventLayer({ colourOf: handlers.colourOf, groupOf: handlers.groupOf, groupColours: handlers.groupColours });
  layer.addTo(map);
  wirePointer(map, layer, handlers);
  return { map, layer, labels };
}

// The outline of the chosen governorate, district or subdistrict (one at a time).
export class UnitOutline {
  constructor(map, unitUrl) {
    this.map = map;
    this.unitUrl = unitUrl;
    this.layer = null;
    this.pcode = "";
  }

  // Draw the unit's outline; `zoom` fits the map to it. An empty P-code clears it.
  async show(pcode, { zoom = true } = {}) {
    if (pcode === this.pcode) return;
    this.pcode = pcode;
    if (this.layer) this.layer.remove();
    this.layer = null;
    if (!pcode) return;
    const feature = await getJSON(this.unitUrl + encodeURIComponent(pcode));
    if (pcode !== this.pcode || !feature.geometry) return;
    this.layer = L.geoJSON(feature, {
      pane: "outline",
      interactive: false,
      style: { color: "#1f3b4d", weight: 2.5, dashArray: "6 4", fillColor: "#1f6f99", fillOpacity: 0.06 },
    }).addTo(this.map);
    if (zoom) this.map.fitBounds(this.layer.getBounds(), { padding: [20, 20] });
  }
}

// Hover shows a tooltip; a click selects; several events at one spot offer a list (newest
// first); at low zoom a group's count shows on hover and a click zooms in to it.
function wirePointer(map, layer, handlers) {
  const container = map.getContainer();
  const tip = L.DomUtil.create("div", "event-tooltip", container);
  tip.hidden = true;
  let pending = null;
  const show = (text, point) => {
    tip.textContent = text;
    tip.style.left = `${point.x + 12}px`;
    tip.style.top = `${point.y + 12}px`;
    tip.hidden = false;
  };
  map.on("mousemove", (e) => {
    pending = e.containerPoint;
    requestAnimationFrame(() => {
      if (!pending) return;
      const group = layer.groupAt(pending);
      const found = group ? [] : layer.eventsAt(pending);
      container.style.cursor = group || found.length ? "pointer" : "";
      if (group) show(`${group.count.toLocaleString("en")} events here · click to zoom in`, pending);
      else if (found.length) show(handlers.describe(found[0]) + (found.length > 1 ? ` (+${found.length - 1} more here)` : ""), pending);
      else tip.hidden = true;
      pending = null;
    });
  });
  map.on("mouseout", () => (tip.hidden = true));
  map.on("click", (e) => {
    const group = layer.groupAt(e.containerPoint);
    if (group) return openGroup(map, layer, group, e.latlng, handlers);
    const found = layer.eventsAt(e.containerPoint);
    if (found.length === 1) handlers.select(found[0]);
    else if (found.length > 1) pickList(map, layer, e.latlng, found, handlers);
  });
}

// A group zooms in to its events; a group all at one spot (nine events at Hajin) lists them.
function openGroup(map, layer, group, latlng, handlers) {
  tipHide(map);
  const [[south, west], [north, east]] = group.bounds;
  if (north - south < 1e-4 && east - west < 1e-4) {
    const members = layer.groupMembers(group);
    map.setView([south, west], Math.max(map.getZoom(), GROUP_BELOW_ZOOM));
    map.once("moveend", () => pickList(map, layer, L.latLng(south, west), members, handlers));
    return;
  }
  map.fitBounds(group.bounds, { padding: [40, 40], maxZoom: Math.max(GROUP_BELOW_ZOOM, map.getZoom() + 1) });
}

function tipHide(map) {
  const tip = map.getContainer().querySelector(".event-tooltip");
  if (tip) tip.hidden = true;
}

// How far the map's edges are covered by its own furniture (the legend, the place search,
// a bottom sheet), in pixels: popups and selections keep clear of it.
export function coveredEdges(map) {
  const box = map.getContainer().getBoundingClientRect();
  const edges = { top: 0, right: 0, bottom: 0, left: 0 };
  const cover = (element) => {
    if (!element || element.hidden || !element.getClientRects().length) return; // not shown
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.right <= box.left || r.left >= box.right || r.bottom <= box.top || r.top >= box.bottom) return;
    // A wide band along the bottom (a sheet) covers the bottom; otherwise the nearer side.
    if (r.width > box.width * 0.6 && r.bottom >= box.bottom - 2) edges.bottom = Math.max(edges.bottom, box.bottom - r.top);
    else if (r.left - box.left > box.right - r.right) edges.right = Math.max(edges.right, box.right - r.left);
    else edges.left = Math.max(edges.left, r.right - box.left);
  };
  for (const element of map.getContainer().querySelectorAll(".leaflet-control")) cover(element);
  for (const element of document.querySelectorAll("[data-covers-map]")) cover(element);
  return edges;
}

// Pan (never zoom) so a point sits clear of the panels and controls over the map.
export function bringIntoView(map, latlng, margin = 24) {
  const edges = coveredEdges(map);
  const size = map.getSize();
  if (size.x - edges.left - edges.right < 80 || size.y - edges.top - edges.bottom < 80) return;
  const p = map.latLngToContainerPoint(latlng);
  const box = { left: edges.left + margin, right: size.x - edges.right - margin, top: edges.top + margin, bottom: size.y - edges.bottom - margin };
  if (p.x >= box.left && p.x <= box.right && p.y >= box.top && p.y <= box.bottom) return;
  const target = L.point((box.left + box.right) / 2, (box.top + box.bottom) / 2);
  map.panBy(p.subtract(target), { animate: true, duration: 0.4 });
}

// A popup listing the events at one spot, newest first, built from DOM nodes (text stays text).
function pickList(map, layer, latlng, indices, handlers) {
  const data = layer.data;
  const sorted = [...indices].sort((a, b) => data.end[b] - data.end[a] || data.start[b] - data.start[a] || data.id[b] - data.id[a]);
  const box = document.createElement("div");
  const heading = document.createElement("p");
  heading.className = "pick-head";
  heading.textContent = `${sorted.length} events here, newest first`;
  const list = document.createElement("ul");
  list.className = "pick-list";
  for (const i of sorted.slice(0, 200)) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = handlers.describe(i);
    button.dataset.id = data.id[i];
    button.addEventListener("click", () => {
      map.closePopup();
      handlers.select(i);
    });
    item.appendChild(button);
    list.appendChild(item);
  }
  box.append(heading, list);
  const edges = coveredEdges(map);
  L.popup({
    maxWidth: 320,
    autoPanPaddingTopLeft: [edges.left + 10, edges.top + 10],
    autoPanPaddingBottomRight: [edges.right + 10, edges.bottom + 10],
  }).setLatLng(latlng).setContent(box).openOn(map);
}

// The legend: what the markers on screen mean (their colours with counts, their shapes),
// the precision signs, and the drawing options (colour by, size by deaths, grouping). Only
// its controls take the pointer: the rest lets clicks through to the events under it.
export class Legend {
  constructor(map, { onOptions }) {
    this.onOptions = onOptions;
    // Bottom left: over the western desert, not over Deir ez-Zor and the border.
    const control = L.control({ position: "bottomleft" });
    control.onAdd = () => this.build();
    control.addTo(map);
  }

  build() {
    const box = L.DomUtil.create("details", "legend");
    box.open = window.matchMedia("(min-width: 1200px)").matches;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const summary = el("summary", { textContent: "Legend" });
    this.colourBy = el("select", { id: "colour-by" },
      el("option", { value: "", textContent: "actor family" }),
      el("option", { value: "type", textContent: "event type" }),
      el("option", { value: "side", textContent: "the chosen actor's side" }));
    this.sizeBy = el("input", { type: "checkbox", id: "size-by-deaths" });
    this.grouping = el("input", { type: "checkbox", id: "group-events", checked: true });
    const changed = () => this.onOptions(this.options());
    for (const input of [this.colourBy, this.sizeBy, this.grouping]) input.addEventListener("change", changed);
    const options = el("div", { className: "legend-options" },
      el("label", {}, "Colour by ", this.colourBy),
      el("label", {}, this.sizeBy, " Size by deaths"),
      el("label", {}, this.grouping, " Group nearby events below zoom " + GROUP_BELOW_ZOOM));
    this.colours = el("div", { className: "legend-colours" });
    this.shapes = el("div", { className: "legend-shapes" });
    const precision = el("details", { className: "legend-precision" },
      el("summary", { textContent: "Precision and groups" }),
      el("div", {}, shapeIcon("circle", "#555", true), "date known to a month or more"),
      el("div", {}, el("span", { className: "ring-icon", textContent: "◯" }), "ring: location approximate (25-150 km; dashed: governorate or wider)"),
      el("div", {}, el("span", { className: "group-icon", textContent: "12" }), "a group of events; click to zoom in"));
    box.append(summary, options, this.colours, this.shapes, precision);
    this.box = box;
    return box;
  }

  options() {
    return { colour: this.colourBy.value, size: this.sizeBy.checked, group: this.grouping.checked };
  }

  setOptions({ colour, size, group }) {
    this.colourBy.value = colour || "";
    this.sizeBy.checked = Boolean(size);
    this.grouping.checked = group !== false;
  }

  // What is on screen: `colours` [{label, colour, count}] under `title`, `shapes` [{label,
  // shape, count}]; a note when a mode cannot apply (side without a chosen actor).
  update({ title, colours, shapes, note }) {
    const row = (icon, label, count) => el("div", { className: "legend-row" }, icon, el("span", { textContent: label }), el("span", { className: "n", textContent: count.toLocaleString("en") }));
    this.colours.replaceChildren(el("h3", { textContent: title }));
    if (note) this.colours.append(el("p", { className: "legend-note", textContent: note }));
    for (const c of colours) this.colours.append(row(shapeIcon("circle", c.colour), c.label, c.count));
    if (!colours.length) this.colours.append(el("p", { className: "legend-note", textContent: "No events on screen." }));
    this.shapes.replaceChildren(el("h3", { textContent: "Shape: event type" }));
    for (const s of shapes) this.shapes.append(row(shapeIcon(s.shape), s.label, s.count));
  }
}
