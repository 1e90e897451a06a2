// The admin's place picker: a draggable marker tied to the latitude and longitude inputs.
"use strict";

(function () {
  // Build one map per widget once the page (and Leaflet) has loaded.
  function init(container) {
    const latInput = document.getElementById(container.dataset.latitudeInput);
    const lonInput = document.getElementById(latInput.id.replace(/latitude$/, "longitude"));
    const places = JSON.parse(document.getElementById(container.dataset.places).textContent);
    const config = JSON.parse(document.getElementById(container.dataset.config).textContent);

    // Read the inputs; null when either does not hold a number.
    function current() {
      const lat = parseFloat(latInput.value);
      const lon = parseFloat(lonInput.value);
      return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
    }

    const start = current();
    const map = L.map(container, { preferCanvas: true }).setView(start || config.center, start ? 10 : config.zoom);
    container.atlasMap = map; // for the browser tests and the console

    // Optional raster tiles, only when a setting names a tile server (offline by default).
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution }).addTo(map);
    }

    // Gazetteer places as reference dots; names show from zoom 9, where they do not crowd.
    const labels = [];
    for (const [lat, lon, name] of places) {
      const dot = L.circleMarker([lat, lon], { radius: 2, color: "#777", weight: 1 }).addTo(map);
      // Leaflet tooltips take HTML: the name (imported, typed, anything) goes in as text.
      const label = document.createElement("span");
      label.textContent = name;
      dot.bindTooltip(label, { permanent: true, direction: "right", className: "atlas-place-label" });
      labels.push(dot);
    }
    function toggleLabels() {
      const show = map.getZoom() >= 9;
      for (const dot of labels) {
        const tip = dot.getTooltip();
        if (show) dot.openTooltip(); else tip && dot.closeTooltip();
      }
    }
    map.on("zoomend", toggleLabels);
    toggleLabels();

    // The marker: dragging it writes the inputs, typing in the inputs moves it.
    const marker = L.marker(start || config.center, { draggable: true, autoPan: true }).addTo(map);
    marker.on("dragend", function () {
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
  }

  window.addEventListener("load", function () {
    document.querySelectorAll(".atlas-place-map").forEach(init);
  });
})();
