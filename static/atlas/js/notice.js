// A plain notice over the map: a shared link to an event that is merged or not published.
// Text only; closed by its button or Escape; it never blocks the map.

// The page's one notice, made once (a live region must exist before its text changes).
const box = document.createElement("div");
box.id = "notice";
box.className = "atlas-notice";
box.setAttribute("role", "status");
box.hidden = true;
const text = document.createElement("p");
const close = document.createElement("button");
close.type = "button";
close.textContent = "✕";
close.setAttribute("aria-label", "Close the notice");
close.addEventListener("click", () => hideNotice());
box.append(text, close);
document.body.append(box);

// Escape closes it (unless Escape is closing a dialog).
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !box.hidden && !event.target.closest?.("dialog")) hideNotice();
});

// Show `message` (plain text).
export function showNotice(message) {
  text.textContent = message;
  // Just under the header, however many lines it wraps to (phones).
  const header = document.querySelector("header");
  box.style.top = `${Math.round((header?.getBoundingClientRect().bottom || 0) + 8)}px`;
  box.hidden = false;
}

export function hideNotice() {
  box.hidden = true;
}

// What a link to event `id` that does not open says: merged into `survivor`, or not published.
export function eventNotice(id, survivor) {
  return survivor
    ? `Event ${id} was merged into event ${survivor}.`
    : `Event ${id} is not published (it may be under review, rejected or removed).`;
}
