// Citable views: export file names that carry the filters and the day, and "Cite this view".

import { el } from "./dom.js";
import { readState } from "./urlstate.js";

// --- Export file names: the same rule as events/api/filenames.py, letter for letter.

const LISTS = ["actor", "type", "subtype"];
const UNITS = ["governorate", "district", "subdistrict"];
const PART_MAX = 40; // characters of one filter's values
const FILTERS_MAX = 160; // characters of all the filters together

// Letters and digits, every other run of characters one hyphen, none at either end.
const safe = (text) => String(text).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
const bounded = (text, limit) => text.slice(0, limit).replace(/[-+_.]+$/, "");

// A bbox number with at most two decimals, cut (not rounded) from its text.
function coordinate(text) {
  const match = /^(-?[0-9]*)(?:\.([0-9]{0,2})[0-9]*)?$/.exec(text.trim());
  if (!match) return safe(text);
  return match[2] ? `${match[1]}.${match[2]}` : match[1];
}

// The name of an export of the events `params` (the API's query parameters) select, taken on
// `day` (UTC): atlas-events_2020-01-01_2020-06-30_actor-isis_governorate-SY09_2026-12-03.csv
export function exportName(params, format, { layout = "atlas", day = new Date() } = {}) {
  const get = (name) => {
    const value = params[name];
    return (Array.isArray(value) ? value.join(",") : String(value ?? "")).trim();
  };
  const parts = [];
  const [start, end] = [get("start"), get("end")];
  if (start && end) parts.push(safe(start), safe(end));
  else if (start) parts.push(`from-${safe(start)}`);
  else if (end) parts.push(`to-${safe(end)}`);
  for (const name of LISTS) {
    const values = get(name).split(",").map(safe).filter(Boolean);
    if (values.length) parts.push(`${name}-${bounded(values.join("+"), PART_MAX)}`);
  }
  for (const name of UNITS) {
    const value = safe(get(name));
    if (value) parts.push(`${name}-${bounded(value, PART_MAX)}`);
  }
  const bbox = get("bbox");
  if (bbox) parts.push(`bbox-${bounded(bbox.split(",").map(coordinate).join("+"), PART_MAX)}`);
  if (get("q")) parts.push(bounded(`q-${safe(get("q")).toLowerCase()}`, PART_MAX));
  const filters = bounded(parts.join("_"), FILTERS_MAX);
  const name = layout === "atlas" ? "atlas-events" : `atlas-events-${safe(layout)}`;
  return [name, filters, day.toISOString().slice(0, 10)].filter(Boolean).join("_") + `.${format}`;
}

// --- "Cite this view": a dialog with a ready citation and a Copy button.

const TITLE = "Atlas: events in eastern Syria";
const SOURCES =
  "Data: UCDP Georeferenced Event Dataset (GED 23.1, CC BY 4.0); the reports cited with each " +
  "event, by their outlets; places from GeoNames via Who's On First (CC BY 4.0) and UN OCHA's " +
  "Syria P-codes and boundaries (CC BY-IGO 3.0).";

// The filters of `state` in words, names looked up in the page's data (plain text).
export function describeFilters(state, { actors, types, units }) {
  const actorName = new Map(actors.map((a) => [a.slug, a.name]));
  const typeLabel = new Map(types.flatMap((t) => [[t.value, t.label], ...t.subtypes.map((s) => [s.value, s.label])]));
  const unitName = new Map(units.map((u) => [u.pcode, u.name]));
  const words = [];
  const list = (label, values, names) => {
    if (values.length) words.push(`${label}: ${values.map((v) => names.get(v) || v).join(", ")}`);
  };
  list("actors", state.actor, actorName);
  list("types", [...state.type, ...state.subtype], typeLabel);
  for (const level of ["governorate", "district", "subdistrict"]) {
    if (state[level]) words.push(`${level}: ${unitName.get(state[level]) || state[level]}`);
  }
  if (state.bbox) words.push(state.near ? `within 25 km of ${state.near}` : `in the box ${state.bbox}`);
  if (state.q) words.push(`matching “${state.q}”`);
  return words.join("; ");
}

// The citation of the view on screen now (plain text, one part a line).
export function citation(lookups, now = new Date()) {
  const count = document.getElementById("count")?.textContent.trim() || "";
  const period = document.getElementById("window-label")?.textContent.trim() || "";
  const filters = describeFilters(readState(), lookups) || "no filters";
  const accessed = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  return [
    TITLE,
    [count, period, filters].filter(Boolean).join(" · "),
    window.location.href,
    `Accessed ${accessed}.`,
    SOURCES,
  ].join("\n");
}

// Wire `button` to open the dialog; `lookups` ({actors, types, units}) name the filters.
export function addCite(button, lookups) {
  const title = el("h2", { id: "cite-title", textContent: "Cite this view" });
  const text = el("p", { id: "cite-text", className: "cite-text" });
  const status = el("span", { className: "cite-status" });
  status.setAttribute("aria-live", "polite");
  const copy = el("button", { type: "button", textContent: "Copy" });
  const close = el("button", { type: "button", textContent: "Close" });
  const dialog = el("dialog", { id: "cite-dialog", className: "cite-dialog" }, title, text, el("div", { className: "cite-actions" }, copy, close, status));
  dialog.setAttribute("aria-labelledby", "cite-title");
  document.body.append(dialog);

  button.addEventListener("click", () => {
    text.textContent = citation(lookups);
    status.textContent = "";
    dialog.showModal();
    copy.focus();
  });
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => button.focus());
  // Copy through the clipboard API; where that is refused, select the text for Ctrl+C.
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text.textContent);
      status.textContent = "Copied.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(text);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });
}
