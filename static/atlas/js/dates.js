// Dates as whole days since 1970-01-01 (UTC), the unit of the compact format.

const DAY = 86400000;

export const toDay = (date) => Math.floor(date.getTime() / DAY);
export const fromDay = (day) => new Date(day * DAY);
export const isoDay = (day) => fromDay(day).toISOString().slice(0, 10);
export function parseIsoDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) return null;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) ? null : Math.floor(time / DAY);
}

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// A date window said the way a researcher would: "17 Sep 2023", "Dec 2023", "1–28 Dec 2023".
export function describeWindow(startDay, endDay) {
  const a = fromDay(startDay);
  const b = fromDay(endDay);
  const fmt = (d) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (startDay === endDay) return fmt(a);
  const sameMonth = a.getUTCFullYear() === b.getUTCFullYear() && a.getUTCMonth() === b.getUTCMonth();
  const wholeMonth = sameMonth && a.getUTCDate() === 1 && fromDay(endDay + 1).getUTCDate() === 1;
  if (wholeMonth) return `${MONTHS[a.getUTCMonth()]} ${a.getUTCFullYear()}`;
  if (sameMonth) return `${a.getUTCDate()}–${fmt(b)}`;
  return `${fmt(a)} – ${fmt(b)}`;
}
