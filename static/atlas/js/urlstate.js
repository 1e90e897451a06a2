// What is on screen, kept in the URL: reload, back and a shared link restore it.

const KEYS = ["start", "end", "actor", "type", "subtype", "governorate", "district", "subdistrict", "bbox", "near", "q", "event", "map", "colour", "size", "group", "trends"];

// Read the state from the current URL.
export function readState() {
  const params = new URLSearchParams(window.location.search);
  const list = (key) => (params.get(key) || "").split(",").filter(Boolean);
  const map = (params.get("map") || "").split(",").map(Number);
  return {
    start: params.get("start") || "",
    end: params.get("end") || "",
    actor: list("actor"),
    type: list("type"),
    subtype: list("subtype"),
    governorate: params.get("governorate") || "",
    district: params.get("district") || "",
    subdistrict: params.get("subdistrict") || "",
    bbox: params.get("bbox") || "",
    near: params.get("near") || "", // the name of the place the bbox is around
    q: params.get("q") || "",
    event: Number(params.get("event")) || null,
    map: map.length === 3 && map.every(Number.isFinite) ? { lat: map[0], lon: map[1], zoom: map[2] } : null,
    // Drawing options (the legend): colour by "" (actor family), "type" or "side"; marker
    // size by deaths; nearby events grouped at low zoom (on unless group=0).
    colour: ["type", "side"].includes(params.get("colour")) ? params.get("colour") : "",
    size: params.get("size") === "deaths",
    group: params.get("group") !== "0",
    trends: params.get("trends") || "", // the trends panel, "measure.interval.stack.view" when open
  };
}

// Write the state; `push` adds a history entry (a choice), otherwise replace (a drag).
export function writeState(state, { push = false } = {}) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    let value = state[key];
    if (key === "map" && value) value = `${value.lat.toFixed(4)},${value.lon.toFixed(4)},${value.zoom}`;
    if (Array.isArray(value)) value = value.join(",");
    if (key === "size") value = value ? "deaths" : "";
    if (key === "group") value = value === false ? "0" : "";
    if (value) params.set(key, value);
  }
  const url = `${window.location.pathname}${params.toString() ? "?" + params : ""}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}
