// The event form's map: click a gazetteer place to make it the event's place; drag the marker
// to give the event coordinates of its own.
"use strict";

(function () {
  // Leaflet tooltips take HTML: a place name (imported, typed, anything) goes in as text.
  function textNode(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function init(container) {
    const places = JSON.parse(container.dataset.places);
    const point = JSON.parse(container.dataset.point);
    const select = document.getElementById("id_place");
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    const own = document.getElementById("id_own_coordinates");
    const map = L.map(container, { preferCanvas: true }).setView(point || [35.0, 40.0], point ? 10 : 7);

    container.atlasMap = map; // for the browser tests and the console

    const marker = L.marker(point || [35.0, 40.0], { draggable: true, autoPan: true, opacity: point ? 1 : 0.4 });
    marker.addTo(map);
    marker.on("dragend", function () {
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

    for (const [y, x, name, id] of places) {
      const dot = L.circleMarker([y, x], { radius: 4, color: "#555", weight: 1, fillOpacity: 0.6 });
      dot.bindTooltip(textNode(name), { direction: "right" });
      dot.on("click", () => choose(id, name, y, x));
      dot.addTo(map);
    }
  }

  window.addEventListener("load", function () {
    document.querySelectorAll(".atlas-event-map").forEach(init);
  });
})();
