// The details panel: one event with its place, actors, fatalities and sources.
// Report and event text is untrusted: everything goes in as text nodes, never as HTML.

import { el } from "./dom.js";

// Only http(s) links become links (a report URL could hold javascript:).
function safeLink(url, text) {
  try {
    const parsed = new URL(url, window.location.href);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return el("a", { href: parsed.href, textContent: text, target: "_blank", rel: "noopener noreferrer" });
    }
  } catch {
    // fall through: shown as text
  }
  return el("span", { textContent: text });
}

export function showDetails(panel, event, { describeWindow, toDay, onClose }) {
  panel.replaceChildren();
  const close = el("button", { type: "button", className: "close", textContent: "✕" });
  close.setAttribute("aria-label", "Close details");
  close.addEventListener("click", onClose);

  const start = toDay(new Date(event.date_start));
  const end = toDay(new Date(event.date_end));
  const rows = [
    ["Date", `${describeWindow(start, end)} (${event.date_precision_label})`],
    ["Place", event.place ? `${event.place.name} (${event.location_precision_label})` : `— (${event.location_precision_label})`],
    ["In", event.units.map((u) => u.name).join(" › ") || "—"], // governorate › district › subdistrict
    ["Type", `${event.event_type_label} · ${event.sub_event_type_label}`],
    ["Fatalities", fatalities(event.fatalities)],
  ];
  const dl = el("dl");
  for (const [term, value] of rows) dl.append(el("dt", { textContent: term }), el("dd", { textContent: value }));
  const actors = el("dd");
  for (const actor of event.actors) {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = actor.colour;
    actors.append(el("div", {}, swatch, ` ${actor.name} — ${actor.role_label}`));
  }
  dl.append(el("dt", { textContent: "Actors" }), actors);

  const sources = el("ul", { className: "sources" });
  for (const source of event.sources) {
    const title = source.url ? safeLink(source.url, source.title) : el("span", { textContent: source.title });
    const when = source.published || `undated: ${source.published_note}`;
    sources.append(
      el(
        "li",
        {},
        el("div", {}, el("strong", { textContent: source.outlet }), " · ", title),
        el("div", { className: "meta", textContent: when }),
        el("blockquote", { textContent: source.quote }),
      ),
    );
  }
  // An imported event's sources are its dataset's: UCDP's articles, ACLED's outlets.
  const dataset = event.dataset;
  const records = [dataset, ...event.merged_records].filter(Boolean);
  let cited = 0;
  for (const record of records) for (const source of record.sources) {
    cited += 1;
    const meta = [source.date, `via ${record.dataset.toUpperCase()} ${record.id}`].filter(Boolean).join(" · ");
    sources.append(
      el(
        "li",
        {},
        el("div", {}, el("strong", { textContent: source.outlet || "Source" }), source.headline ? ` · ${source.headline}` : ""),
        el("div", { className: "meta", textContent: meta }),
      ),
    );
  }
  const counted = dataset && dataset.number_of_sources ? ` · ${dataset.dataset.toUpperCase()} counts ${dataset.number_of_sources}` : "";
  panel.append(
    close,
    el("h2", { textContent: event.title }),
    dl,
    event.description ? el("p", { textContent: event.description }) : null,
    el("h3", { textContent: `Sources (${event.sources.length + cited})${counted}` }),
    sources,
  );
  panel.hidden = false;
}

function fatalities({ best, low, high }) {
  if (best === null && low === null && high === null) return "not reported";
  const range = low !== null && high !== null && (low !== best || high !== best) ? ` (${low}–${high})` : "";
  return `${best ?? "?"}${range}`;
}
