// The filter panel: actors (a searchable tree), event types and sub-types, governorate, text.

import { shapeIcon, SHAPES } from "./map.js";

// Build an element with text content (never HTML).
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

export class Filters {
  constructor({ actors, types, governorates, onChange }) {
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
    this.governorate = document.getElementById("filter-governorate");
    for (const name of governorates) this.governorate.append(el("option", { value: name, textContent: name }));
    this.buildActors();
    this.buildTypes();
    this.wire();
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
    this.governorate.addEventListener("change", changed);
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
      this.set({ actor: [], type: [], subtype: [], governorate: "", q: "" });
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
      q: this.q.value.trim(),
    };
  }

  // Show a state (from the URL) in the controls.
  set(state) {
    const tick = (boxes, values) => boxes.forEach((b) => (b.checked = values.includes(b.value)));
    tick(this.actorBoxes, state.actor);
    tick(this.typeBoxes, state.type);
    tick(this.subtypeBoxes, state.subtype);
    this.governorate.value = state.governorate;
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
