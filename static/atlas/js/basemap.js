// The offline basemap every Atlas map draws (the researchers' map and the editors' maps):
// land, borders, rivers and lakes from Natural Earth, governorate lines, and place names
// that never overlap: towns at every zoom, villages from zoom 10 (from the gazetteer API).
/* global L, topojson */

import { getJSON, queryString } from "./api.js";

export const VILLAGE_ZOOM = 10; // villages are named from this zoom on
const LABEL_LIMIT = 600; // places fetched per view; the most important first

// Panes: the basemap under everything, names above it (never catching the pointer).
export function addPanes(map) {
  map.createPane("basemap").style.zIndex = 250;
  map.createPane("labels").style.zIndex = 420;
  map.getPane("labels").style.pointerEvents = "none";
}

// Land, borders, rivers and lakes; Syrian and Iraqi governorates as dashed lines.
export async function drawBasemap(map, config) {
  const renderer = L.svg({ pane: "basemap", padding: 0.5 });
  const [world, syria, iraq] = await Promise.all([
    getJSON(config.basemap.world),
    getJSON(config.basemap.syria),
    getJSON(config.basemap.iraq),
  ]);
  const feature = (topo, name) => topojson.feature(topo, topo.objects[name]);
  const fill = !config.tiles.url;
  L.geoJSON(feature(world, "land"), {
    renderer, interactive: false,
    style: { stroke: false, fill, fillColor: "#f3efe6", fillOpacity: 1 },
  }).addTo(map);
  for (const topo of [syria, iraq]) {
    const name = Object.keys(topo.objects)[0];
    L.geoJSON(feature(topo, name), {
      renderer, interactive: false,
      style: { color: "#9aa5ad", weight: 1, dashArray: "3 3", fill: false },
    }).addTo(map);
  }
  L.geoJSON(topojson.mesh(world, world.objects.countries, (a, b) => a !== b), {
    renderer, interactive: false, style: { color: "#6c757d", weight: 1.5, fill: false },
  }).addTo(map);
  L.geoJSON(feature(world, "lakes"), {
    renderer, interactive: false, style: { stroke: false, fillColor: "#b8d4e3", fillOpacity: 1 },
  }).addTo(map);
  L.geoJSON(feature(world, "rivers"), {
    renderer, interactive: false, style: { color: "#6fa8c9", weight: 1.6, fill: false },
  }).addTo(map);
}

// A raster layer only when a setting names one; the vector basemap is drawn either way.
export function addTiles(map, config) {
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
  }
}

// The attribution every Atlas map carries: the sources of its basemap and its names.
export function addAttribution(map, extra = "") {
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(
    "Leaflet · GeoNames (CC BY 4.0) via Who's On First · OCHA/UNCS (CC BY-IGO 3.0) · " +
      "Natural Earth" + (extra ? ` · ${extra}` : ""),
  );
}

// Place names. `towns` ([name, lat, lon, population]) come with the page; from zoom 10 the
// places in view come from the API, most important first (and, on the editors' maps, the
// places only editors see, `extra`: [lat, lon, name, id]). Names are laid out greedily in
// that order and a name that would touch one already placed is left out, so none overlap.
export class PlaceLabels {
  constructor(map, { towns, placesUrl, extra = [] }) {
    this.map = map;
    // Places the public API does not list but an editor sees (their own, not yet published).
    this.extra = extra.map(([lat, lon, name, id]) => ({ id, name, lat, lon, population: 0, kind: "village" }));
    this.towns = towns.map(([name, lat, lon, population]) => ({ name, lat, lon, population, kind: "city" }));
    this.placesUrl = placesUrl;
    this.nearby = [];
    this.request = 0;
    this.layer = L.layerGroup().addTo(map);
    this.shown = []; // names on the map now (for the tests)
    map.on("moveend", () => this.update());
    map.on("zoomstart", () => this.layer.clearLayers());
    this.update();
  }

  async update() {
    const zoom = this.map.getZoom();
    if (zoom >= VILLAGE_ZOOM && this.placesUrl) {
      const ticket = ++this.request;
      const b = this.map.getBounds().pad(0.1);
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(3)).join(",");
      try {
        const body = await getJSON(this.placesUrl + queryString({ bbox, limit: LABEL_LIMIT }));
        if (ticket !== this.request) return; // the view moved on meanwhile
        this.nearby = body.places.map(([id, name, lat, lon, population, kind]) => ({ id, name, lat, lon, population: population || 0, kind }));
      } catch (error) {
        this.nearby = [];
      }
    } else {
      this.request++;
      this.nearby = [];
    }
    this.draw();
  }

  draw() {
    const zoom = this.map.getZoom();
    const min = zoom >= 9 ? 0 : zoom >= 8 ? 30000 : zoom >= 7 ? 60000 : 200000;
    const towns = this.towns.filter((t) => t.population >= min);
    // The towns first (largest first), then the places of the view in the server's order.
    const extra = zoom >= VILLAGE_ZOOM ? this.extra : [];
    const candidates = [...towns.sort((a, b) => b.population - a.population), ...extra, ...this.nearby];
    const size = this.map.getSize();
    const placed = [];
    const seen = new Set();
    this.layer.clearLayers();
    this.shown = [];
    for (const place of candidates) {
      const key = `${place.name}|${place.lat.toFixed(3)}|${place.lon.toFixed(3)}`;
      if (seen.has(key)) continue;
      const p = this.map.latLngToContainerPoint([place.lat, place.lon]);
      if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) continue;
      const major = place.population >= 200000;
      const width = (place.name.length + 2) * (major ? 7.5 : 6.2) + 4;
      const box = { x0: p.x - 4, y0: p.y - 9, x1: p.x + width, y1: p.y + 9 };
      if (placed.some((o) => box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1)) continue;
      placed.push(box);
      seen.add(key);
      const village = !["city"].includes(place.kind) || place.population < 10000;
      const icon = L.divIcon({
        className: major ? "town-label major" : village ? "town-label village" : "town-label",
        html: "",
        iconSize: null,
      });
      const marker = L.marker([place.lat, place.lon], { icon, pane: "labels", interactive: false, keyboard: false });
      // The name goes in as text: never HTML.
      marker.on("add", () => (marker.getElement().textContent = `· ${place.name}`));
      this.layer.addLayer(marker);
      this.shown.push({ name: place.name, box });
    }
  }
}
