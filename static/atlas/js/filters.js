// The filter panel: actors (a searchable tree), event types and sub-types, governorate,
// district and subdistrict (each offering the units inside the one above), a place's
// surroundings, text.

import { el } from "./dom.js";
import { shapeIcon, SHAPES } from "./map.js";

export class Filters {
  constructor({ actors, types, units, onChange }) {
    this.actors = actors;
    this.types = types;
    this.onChange = onChange;
    this.childrenOf = new Map();
    for (const actor of actors) {
      const key = actor.parent ?? 0;
      if (!this.childrenOf.has(key)) this.childrenOf.set(key, []);
      this.childrenOf.get(key).push(actor);
    }
    this.q = document.getElementById("filter-q");
    // Units with events: {id, pcode, name, level, parents: [P-codes of the units above]}.
    this.units = units;
    this.governorate = document.getElementById("filter-governorate");
    this.district = document.getElementById("filter-district");
    this.subdistrict = document.getElementById("filter-subdistrict");
    this.near = document.getElementById("filter-near");
    this.nearValue = { bbox: "", near: "" };
    this.fillUnits(this.governorate, 1, "");
    this.buildActors();
    this.buildTypes();
    this.wire();
  }

  // The units of `level` inside `parent` (a P-code; "" for all) as a select's options.
  fillUnits(select, level, parent) {
    const all = { 1: "All governorates", 2: "All districts", 3: "All subdistricts" }[level];
    const keep = select.value;
    select.replaceChildren(el("option", { value: "", textContent: all }));
    const inside = this.units
      .filter((u) => u.level === level && (!parent || u.parents.includes(parent)))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const unit of inside) select.append(el("option", { value: unit.pcode, textContent: unit.name }));
    select.value = inside.some((u) => u.pcode === keep) ? keep : "";
    select.disabled = level > 1 && !parent;
  }

  // After a choice of governorate or district: the districts and subdistricts inside it.
  cascade() {
    this.fillUnits(this.district, 2, this.governorate.value);
    this.fillUnits(this.subdistrict, 3, this.district.value || this.governorate.value);
  }

  // The unit the filters narrow to most closely (its P-code), or "".
  chosenUnit() {
    return this.subdistrict.value || this.district.value || this.governorate.value;
  }

  // Show "near <place>" with a button to drop it, or nothing.
  showNear() {
    this.near.replaceChildren();
    this.near.hidden = !this.nearValue.bbox;
    if (!this.nearValue.bbox) return;
    const drop = el("button", { type: "button", textContent: "✕" });
    drop.setAttribute("aria-label", "Show events everywhere again");
    drop.addEventListener("click", () => {
      this.nearValue = { bbox: "", near: "" };
      this.showNear();
      this.onChange(this.value());
    });
    this.near.append(el("span", { textContent: `Near ${this.nearValue.near || "the chosen place"}` }), drop);
  }

  setNear(name, bbox) {
    this.nearValue = { bbox, near: name };
    this.showNear();
    this.onChange(this.value());
  }

  // The actor tree: forces with their units and militias nested under them.
  buildActors() {
    const list = document.getElementById("actor-list");
    const branch = (parentId) => {
      const ul = parentId ? el("ul") : list;
      for (const actor of this.childrenOf.get(parentId) || []) {
        const box = el("input", { type: "checkbox", value: actor.slug });
        const swatch = el("span", { className: "swatch" });
        swatch.style.background = actor.colour;
        const label = el("label", {}, box, swatch, actor.name, el("span", { className: "n", textContent: actor.events }));
        label.title = [actor.kind_label, ...actor.aliases.slice(0, 8)].join(" · ");
        const li = el("li", {}, label);
        li.dataset.search = [actor.name, ...actor.aliases].join(" ").toLowerCase();
        if (this.childrenOf.has(actor.id)) li.append(branch(actor.id));
        ul.append(li);
      }
      return ul;
    };
    branch(0);
    this.actorBoxes = [...list.querySelectorAll("input")];
  }

  // Types with their sub-types; ticking a type means all of its sub-types.
  buildTypes() {
    const list = document.getElementById("type-list");
    this.types.forEach((type, i) => {
      const box = el("input", { type: "checkbox", value: type.value, className: "type" });
      const sub = el("ul");
      for (const subtype of type.subtypes) {
        const subBox = el("input", { type: "checkbox", value: subtype.value, className: "subtype" });
        sub.append(el("li", {}, el("label", {}, subBox, subtype.label)));
      }
      const details = el("details", {}, el("summary", { textContent: "sub-types" }), sub);
      list.append(el("li", {}, el("label", {}, box, shapeIcon(SHAPES[i]), type.label), details));
    });
    this.typeBoxes = [...list.querySelectorAll("input.type")];
    this.subtypeBoxes = [...list.querySelectorAll("input.subtype")];
  }

  wire() {
    const changed = () => this.onChange(this.value());
    for (const box of [...this.actorBoxes, ...this.typeBoxes, ...this.subtypeBoxes]) {
      box.addEventListener("change", changed);
    }
    for (const select of [this.governorate, this.district, this.subdistrict]) {
      select.addEventListener("change", () => {
        this.cascade();
        changed();
      });
    }
    let timer = null;
    this.q.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(changed, 300);
    });
    // Narrow the actor tree as the user types (matches names and aliases).
    document.getElementById("actor-search").addEventListener("input", (e) => {
      const term = e.target.value.trim().toLowerCase();
      for (const li of document.querySelectorAll("#actor-list li")) {
        const match = !term || li.dataset.search.includes(term) || li.querySelector(`li:not([hidden])`);
        li.hidden = !match && !this.anyDescendantMatches(li, term);
      }
    });
    document.getElementById("clear-filters").addEventListener("click", () => {
      this.set({ actor: [], type: [], subtype: [], governorate: "", district: "", subdistrict: "", bbox: "", near: "", q: "" });
      changed();
    });
  }

  anyDescendantMatches(li, term) {
    return [...li.querySelectorAll("li")].some((child) => child.dataset.search.includes(term));
  }

  // The chosen filters, in the API's parameter names.
  value() {
    const ticked = (boxes) => boxes.filter((b) => b.checked).map((b) => b.value);
    return {
      actor: ticked(this.actorBoxes),
      type: ticked(this.typeBoxes),
      subtype: ticked(this.subtypeBoxes),
      governorate: this.governorate.value,
      district: this.district.value,
      subdistrict: this.subdistrict.value,
      bbox: this.nearValue.bbox,
      near: this.nearValue.near,
      q: this.q.value.trim(),
    };
  }

  // Show a state (from the URL) in the controls.
  set(state) {
    const tick = (boxes, values) => boxes.forEach((b) => (b.checked = values.includes(b.value)));
    tick(this.actorBoxes, state.actor);
    tick(this.typeBoxes, state.type);
    tick(this.subtypeBoxes, state.subtype);
    // A unit by P-code, or (older links) by its name.
    const unit = (value, level) =>
      value ? this.units.find((u) => u.level === level && (u.pcode === value || u.name === value)) : undefined;
    // A district or subdistrict alone (a shared link) brings the units above it.
    const sub = unit(state.subdistrict, 3);
    const district = unit(state.district, 2) || unit(sub?.parents[0], 2);
    const governorate = unit(state.governorate, 1) || unit(district?.parents.at(-1), 1) || unit(sub?.parents.at(-1), 1);
    this.governorate.value = governorate?.pcode || "";
    this.cascade();
    this.district.value = district?.pcode || "";
    this.cascade();
    this.subdistrict.value = sub?.pcode || "";
    this.nearValue = { bbox: state.bbox || "", near: state.near || "" };
    this.showNear();
    this.q.value = state.q;
  }

  // Actor ids chosen, each with every unit within it.
  actorIds(slugs) {
    const ids = new Set();
    const add = (actor) => {
      ids.add(actor.id);
      for (const child of this.childrenOf.get(actor.id) || []) add(child);
    };
    for (const actor of this.actors) if (slugs.includes(actor.slug)) add(actor);
    return ids;
  }
}
