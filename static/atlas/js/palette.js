// Colours the map, its legend and the charts share. Actor families and their shades come
// from the API (/api/actors: events/families.py, Okabe and Ito's colour-blind-safe palette);
// the rest are here.

// ACLED's six event types, in the order of /api/event-types (Paul Tol's "bright" scheme,
// distinguishable with every common colour-vision deficiency).
export const TYPE_COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377"];

// The side the filtered actor takes in an event: with actor 1 (it acted), with actor 2 (it was
// acted on or fought back), on both sides (two of the chosen actors against each other).
export const SIDES = [
  { key: "actor1", label: "Chosen actor on the initiating side (actor 1)", colour: "#0072b2" },
  { key: "actor2", label: "Chosen actor on the other side (actor 2, target)", colour: "#d55e00" },
  { key: "both", label: "Chosen actors on both sides", colour: "#8c8c8c" },
];

// A colour's relative lightness (0 black, 1 white): light fills get a dark outline.
export function lightness(hex) {
  const v = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255);
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
