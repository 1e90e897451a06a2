// Find a place on the map by any spelling (Mayadeen, al-Mayadin, الميادين): the gazetteer
// API answers as one types; choosing a place flies there and offers to show only the events
// near it.
/* global L */

import { getJSON, queryString } from "./api.js";
import { el } from "./dom.js";

export const NEAR_KM = 25;

// The square of `km` around a point, as the API's bbox (west,south,east,north).
export function bboxAround(lat, lon, km) {
  const dLat = km / 111.2;
  const dLon = km / (111.2 * Math.cos((lat * Math.PI) / 180));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat].map((v) => v.toFixed(4)).join(",");
}

export function addPlaceSearch(map, placesUrl, { onNear }) {
  const control = L.control({ position: "topleft" });
  control.onAdd = () => {
    const box = L.DomUtil.create("div", "place-search");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const input = el("input", {
      type: "search",
      id: "place-search",
      placeholder: "Find a place…",
      autocomplete: "off",
    });
    input.setAttribute("aria-label", "Find a place (any spelling, Arabic too)");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", "place-results");
    input.setAttribute("aria-expanded", "false");
    const list = el("ul", { id: "place-results", className: "place-results" });
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.append(input, list);

    let timer = null;
    let ticket = 0;
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    };
    async function search() {
      const q = input.value.trim();
      const mine = ++ticket;
      if (!q) return close();
      let places = [];
      try {
        places = (await getJSON(placesUrl + queryString({ q, limit: 8 }))).places;
      } catch (error) {
        places = [];
      }
      if (mine !== ticket) return;
      list.replaceChildren();
      if (!places.length) list.append(el("li", { className: "none", textContent: `No place called “${q}”` }));
      for (const place of places) {
        const where = [place.subdistrict !== place.name ? place.subdistrict : "", place.governorate, place.country]
          .filter(Boolean).join(", ");
        const button = el("button", { type: "button" }, el("strong", { textContent: place.name }), el("small", { textContent: ` ${place.kind} · ${where}` }));
        button.setAttribute("role", "option");
        button.addEventListener("click", () => choose(place));
        list.append(el("li", {}, button));
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(timer);
        const first = list.querySelector("button");
        if (!list.hidden && first) first.click();
        else search();
      } else if (e.key === "Escape") close();
      else if (e.key === "ArrowDown") list.querySelector("button")?.focus();
    });
    list.addEventListener("keydown", (e) => {
      const buttons = [...list.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < buttons.length - 1) buttons[at + 1].focus();
      else if (e.key === "ArrowUp") (at > 0 ? buttons[at - 1] : input).focus();
      else if (e.key === "Escape") { close(); input.focus(); }
      else return;
      e.preventDefault();
    });

    function choose(place) {
      close();
      input.value = place.name;
      const zoom = place.kind === "governorate" ? 8 : place.kind === "district" ? 9 : 12;
      map.flyTo([place.latitude, place.longitude], Math.max(zoom, Math.min(map.getZoom(), 14)), { duration: 0.8 });
      const near = el("button", { type: "button", className: "near-button", textContent: `Show only events within ${NEAR_KM} km` });
      near.addEventListener("click", () => {
        map.closePopup();
        onNear(place, bboxAround(place.latitude, place.longitude, NEAR_KM));
      });
      const where = [place.district, place.governorate].filter((n) => n && n !== place.name).join(", ");
      const content = el("div", { className: "place-popup" },
        el("strong", { textContent: place.name }),
        el("div", { textContent: [place.kind, where].filter(Boolean).join(" · ") }),
        near);
      L.popup({ maxWidth: 260, autoPan: false }).setLatLng([place.latitude, place.longitude]).setContent(content).openOn(map);
    }
    return box;
  };
  control.addTo(map);
  return control;
}
