// The admin's place picker: a draggable marker tied to the latitude and longitude inputs, on
// the researchers' offline basemap with its place names (static/atlas/js/basemap.js).
/* global L */

import { addAttribution, addPanes, addTiles, drawBasemap, PlaceLabels } from "../atlas/js/basemap.js";

async function init(container) {
  const latInput = document.getElementById(container.dataset.latitudeInput);
  const lonInput = document.getElementById(latInput.id.replace(/latitude$/, "longitude"));
  const config = JSON.parse(document.getElementById(container.dataset.config).textContent);

  // Read the inputs; null when either does not hold a number.
  function current() {
    const lat = parseFloat(latInput.value);
    const lon = parseFloat(lonInput.value);
    return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
  }

  const start = current();
  const map = L.map(container, { maxZoom: 15 }).setView(start || config.center, start ? 11 : config.zoom);
  container.atlasMap = map; // for the browser tests and the console
  addAttribution(map);
  addPanes(map);
  addTiles(map, config);

  // The marker: dragging it writes the inputs, typing in the inputs moves it.
  const marker = L.marker(start || config.center, { draggable: true, autoPan: true }).addTo(map);
  marker.on("dragend", () => {
    const { lat, lng } = marker.getLatLng();
    latInput.value = lat.toFixed(5);
    lonInput.value = lng.toFixed(5);
  });
  function follow() {
    const point = current();
    if (point) marker.setLatLng(point);
  }
  latInput.addEventListener("change", follow);
  lonInput.addEventListener("change", follow);

  await drawBasemap(map, config);
  const extra = JSON.parse(container.dataset.places || "[]");
  container.atlasLabels = new PlaceLabels(map, { towns: config.labels, placesUrl: config.api.places, extra });
  container.dataset.ready = "true";
}

for (const container of document.querySelectorAll(".atlas-place-map")) {
  init(container).catch((error) => console.error(error));
}
