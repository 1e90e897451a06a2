// The review queue: a spelling selected in an evidence sentence fills that item's alias form.
"use strict";

document.addEventListener("mouseup", function () {
  const selection = window.getSelection();
  const text = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
  if (!text || text.length > 100 || !selection.anchorNode) return;
  const anchor = selection.anchorNode.parentElement;
  const paragraph = anchor && anchor.closest(".atlas-paragraph");
  if (!paragraph) return;
  const input = paragraph.closest(".atlas-item").querySelector(".atlas-alias input[name=spelling]");
  if (input) input.value = text;
});
