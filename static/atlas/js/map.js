// The map: Leaflet with the offline basemap (basemap.js), place names and a canvas layer of
// events, the chosen unit's outline.
/* global L */

import { getJSON } from "./api.js";
import { addAttribution, addPanes, addTiles, drawBasemap, PlaceLabels } from "./basemap.js";

// Shapes by ACLED event type, in the order of /api/event-types.
export const SHAPES = ["circle", "triangle", "square", "plus", "cross", "diamond"];
// Approximate locations get a ring of the radius their UCDP where_prec stands for (km).
const RING_KM = { 2: 25, 3: 50, 4: 100, 5: 150 };
const POINT = 5; // half the size of a marker, in CSS pixels
const HIT = 8; // how near the pointer must be to an event, in CSS pixels
const MAX_RINGS = 4000; // past this many events in view, rings are noise (and slow): skip them

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
  get(shape, colour, hollow) {
    const key = `${shape}|${colour}|${hollow}`;
    let sprite = this.cache.get(key);
    if (!sprite) {
      const size = Math.ceil((POINT * 2 + 4) * this.ratio);
      sprite = document.createElement("canvas");
      sprite.width = sprite.height = size;
      const ctx = sprite.getContext("2d");
      ctx.scale(this.ratio, this.ratio);
      const c = size / this.ratio / 2;
      tracePath(ctx, shape, c, c, POINT);
      ctx.lineWidth = hollow ? 2 : 1;
      if (hollow || shape === "cross") {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.stroke();
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.stroke();
      }
      this.cache.set(key, sprite);
    }
    return sprite;
  }

  // The sprite's opaque pixels as offsets from its centre and 32-bit colours, for writing
  // straight into ImageData when there are too many markers to stamp with drawImage.
  pixels(shape, colour, hollow) {
    const key = `px|${shape}|${colour}|${hollow}`;
    let stamp = this.cache.get(key);
    if (!stamp) {
      const sprite = this.get(shape, colour, hollow);
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
    for (let k = 0; inView <= MAX_RINGS && k < count; k++) {
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
    // Markers: colour by primary actor, shape by type, hollow when the date is uncertain.
    if (inView > MAX_RINGS) this.drawPixels(ctx, data, count, size);
    else this.drawSprites(ctx, data, count, size);
    ctx.setLineDash([]);
    // The selected event: a dark ring around it.
    if (this.selected !== null) {
      const k = this.visibleIndexOf(this.selected);
      if (k >= 0) {
        ctx.beginPath();
        ctx.arc(this.sx[k], this.sy[k], POINT + 5, 0, 2 * Math.PI);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#111";
        ctx.stroke();
      }
    }
  },

  // Few markers: drawImage of anti-aliased sprites.
  drawSprites(ctx, data, count, size) {
    const half = (POINT * 2 + 4) / 2;
    for (let k = 0; k < count; k++) {
      const x = this.sx[k];
      const y = this.sy[k];
      if (x < -half || y < -half || x > size.x + half || y > size.y + half) continue;
      const i = this.visible[k];
      const sprite = this.sprites.get(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4);
      ctx.drawImage(sprite, x - half, y - half, half * 2, half * 2);
    }
  },

  // Many markers: the sprites' pixels written straight into one ImageData (NOTES.md: the
  // fastest way found to draw 100k points, ~30 ms).
  drawPixels(ctx, data, count) {
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
      const stamp = this.sprites.pixels(SHAPES[data.type[i]], this.options.colourOf(i), data.datePrec[i] >= 4);
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
      const d = Math.hypot(this.sx[k] - point.x, this.sy[k] - point.y);
      if (d <= HIT) found.push([d, this.visible[k]]);
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

  const layer = new EventLayer({ colourOf: handlers.colourOf });
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

// Hover shows a tooltip; a click selects; several events at one spot offer a list.
function wirePointer(map, layer, handlers) {
  const container = map.getContainer();
  const tip = L.DomUtil.create("div", "event-tooltip", container);
  tip.hidden = true;
  let pending = null;
  map.on("mousemove", (e) => {
    pending = e.containerPoint;
    requestAnimationFrame(() => {
      if (!pending) return;
      const found = layer.eventsAt(pending);
      container.style.cursor = found.length ? "pointer" : "";
      if (!found.length) {
        tip.hidden = true;
      } else {
        tip.textContent = handlers.describe(found[0]) + (found.length > 1 ? ` (+${found.length - 1} more here)` : "");
        tip.style.left = `${pending.x + 12}px`;
        tip.style.top = `${pending.y + 12}px`;
        tip.hidden = false;
      }
      pending = null;
    });
  });
  map.on("mouseout", () => (tip.hidden = true));
  map.on("click", (e) => {
    const found = layer.eventsAt(e.containerPoint);
    if (found.length === 1) handlers.select(found[0]);
    else if (found.length > 1) pickList(map, e.latlng, found, handlers);
  });
}

// A popup listing the events at one spot, built from DOM nodes (text stays text).
function pickList(map, latlng, indices, handlers) {
  const list = document.createElement("ul");
  list.className = "pick-list";
  for (const i of indices.slice(0, 50)) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = handlers.describe(i);
    button.addEventListener("click", () => {
      map.closePopup();
      handlers.select(i);
    });
    item.appendChild(button);
    list.appendChild(item);
  }
  L.popup({ maxWidth: 320 }).setLatLng(latlng).setContent(list).openOn(map);
}

// The legend: shapes for types, what rings and hollow markers mean, actor colours in view.
export function addLegend(map, types, actors) {
  const control = L.control({ position: "topright" });
  control.onAdd = () => {
    const box = L.DomUtil.create("details", "legend");
    box.open = window.matchMedia("(min-width: 800px)").matches;
    const summary = document.createElement("summary");
    summary.textContent = "Legend";
    box.appendChild(summary);
    L.DomEvent.disableClickPropagation(box);
    const heading = (text) => {
      const h = document.createElement("h3");
      h.textContent = text;
      box.appendChild(h);
    };
    const row = (icon, text) => {
      const div = document.createElement("div");
      div.appendChild(icon);
      div.appendChild(document.createTextNode(text));
      box.appendChild(div);
    };
    heading("Event type");
    types.forEach((t, i) => row(shapeIcon(SHAPES[i]), t.label));
    heading("Precision");
    row(shapeIcon("circle", "#555", true), "date known to a month or more");
    const ring = document.createElement("span");
    ring.textContent = "◯ ";
    row(ring, "ring: location approximate (25-150 km; dashed: governorate or wider)");
    heading("Colour: first actor");
    for (const actor of actors) row(shapeIcon("circle", actor.colour), actor.name);
    return box;
  };
  control.addTo(map);
  return control;
}

