// The event form's map: click a place to make it the event's place; drag the marker to give
// the event coordinates of its own. The researchers' offline basemap and place names
// (static/atlas/js/basemap.js) under the places around the event.
/* global L, django */

import { addAttribution, addPanes, addTiles, drawBasemap, PlaceLabels } from "../atlas/js/basemap.js";

// Leaflet tooltips take HTML: a place name (imported, typed, anything) goes in as text.
function textNode(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

async function init(container) {
  const places = JSON.parse(container.dataset.places);
  const point = JSON.parse(container.dataset.point);
  const config = JSON.parse(container.dataset.config);
  const select = document.getElementById("id_place");
  const lat = document.getElementById("id_latitude");
  const lon = document.getElementById("id_longitude");
  const own = document.getElementById("id_own_coordinates");
  const map = L.map(container, { maxZoom: 15 }).setView(point || config.center, point ? 11 : config.zoom);
  container.atlasMap = map; // for the browser tests and the console
  addAttribution(map);
  addPanes(map);
  map.createPane("places").style.zIndex = 430;
  addTiles(map, config);

  const marker = L.marker(point || config.center, { draggable: true, autoPan: true, opacity: point ? 1 : 0.4 });
  marker.addTo(map);
  marker.on("dragend", () => {
    const { lat: y, lng: x } = marker.getLatLng();
    lat.value = y.toFixed(5);
    lon.value = x.toFixed(5);
    own.checked = true;
  });

  // A place chosen on the map goes into the (autocomplete) select as its selected option.
  function choose(id, name, y, x) {
    let option = Array.from(select.options).find((o) => o.value === String(id));
    if (!option) {
      option = new Option(name, String(id), true, true);
      select.appendChild(option);
    }
    select.value = String(id);
    if (window.django && django.jQuery) django.jQuery(select).trigger("change");
    else select.dispatchEvent(new Event("change", { bubbles: true }));
    if (!own.checked) marker.setLatLng([y, x]).setOpacity(1);
    container.dataset.chosen = String(id);
  }

  const renderer = L.canvas({ pane: "places", padding: 0.3 });
  for (const [y, x, name, id] of places) {
    const dot = L.circleMarker([y, x], { renderer, radius: 4, color: "#1f3b4d", weight: 1, fillColor: "#fff", fillOpacity: 0.9 });
    dot.bindTooltip(textNode(name), { direction: "right" });
    dot.on("click", () => choose(id, name, y, x));
    dot.addTo(map);
  }

  await drawBasemap(map, config);
  const extra = places.filter(([, , , , own]) => own); // editors' places the public does not see
  container.atlasLabels = new PlaceLabels(map, { towns: config.labels, placesUrl: config.api.places, extra });
  container.dataset.ready = "true";
}

for (const container of document.querySelectorAll(".atlas-event-map")) {
  init(container).catch((error) => console.error(error));
}
