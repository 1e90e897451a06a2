// The timeline's controls: start and end date inputs, presets ending on the data's last date
// or today, and Play with its step and speed. They move the window through `moveWindow`.

import { describeWindow, fromDay, isoDay, parseIsoDay, toDay } from "./dates.js";

// Milliseconds between two steps of Play at 1x.
export const PLAY_INTERVAL = 600;

// Today as a day number, by the reader's own calendar.
export function today() {
  const now = new Date();
  return toDay(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

// `day` moved by `months` calendar months (the 31st becomes the month's last day).
function addMonths(day, months) {
  const d = fromDay(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastOfMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastOfMonth));
  return toDay(target);
}

// The calendar month around `day`, as [first day, last day].
function monthOf(day) {
  const d = fromDay(day);
  const a = toDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
  return [a, addMonths(a, 1) - 1];
}

const isWholeMonths = ([a, b]) => fromDay(a).getUTCDate() === 1 && fromDay(b + 1).getUTCDate() === 1;

// A window moved by one step; whole months stay whole months, other windows keep their length.
export function advance(window, step, direction = 1) {
  const [a, b] = window;
  if (step === "day") return [a + direction, b + direction];
  if (step === "week") return [a + 7 * direction, b + 7 * direction];
  if (isWholeMonths(window)) {
    const months = Math.max(1, Math.round((b - a + 1) / 30.44));
    const start = addMonths(a, direction);
    return [start, addMonths(start, months) - 1];
  }
  const start = addMonths(a, direction);
  return [start, start + (b - a)];
}

export class TimeControls {
  // `extent`: [first, last] day of all the data; `getWindow()`: the current window or null;
  // `moveWindow(window, { push })`: move the brush, filter, draw and write the URL.
  constructor(timeline, { extent, getWindow, moveWindow }) {
    this.timeline = timeline;
    [this.first, this.last] = extent;
    this.getWindow = getWindow;
    this.moveWindow = moveWindow;
    this.timer = null;
    this.pressed = null; // the preset button whose window is on screen
    this.startInput = document.getElementById("window-start");
    this.endInput = document.getElementById("window-end");
    this.message = document.getElementById("window-message");
    this.anchor = document.getElementById("preset-anchor");
    this.presets = [...document.querySelectorAll(".presets button[data-days]")];
    this.play = document.getElementById("play");
    this.step = document.getElementById("play-step");
    this.speed = document.getElementById("play-speed");

    // The presets' anchor, said with its date.
    this.anchor.options[0].textContent = `last event (${describeWindow(this.last, this.last)})`;
    this.anchor.options[1].textContent = `today (${describeWindow(today(), today())})`;
    // A new anchor moves a chosen preset's window with it.
    this.anchor.addEventListener("change", () => {
      const days = this.pressed?.dataset.days;
      if (days && days !== "all") this.choose(this.presetWindow(days), { push: true });
      else this.markPreset(this.getWindow());
    });
    for (const button of this.presets) {
      button.addEventListener("click", () => this.choose(this.presetWindow(button.dataset.days), { push: true }));
    }

    // Date inputs: a complete, ordered pair applies; anything else is refused with a message
    // and the inputs return to the window when focus leaves them.
    for (const input of [this.startInput, this.endInput]) {
      input.addEventListener("change", () => this.applyInputs());
      input.addEventListener("blur", () => setTimeout(() => {
        if (![this.startInput, this.endInput].includes(document.activeElement)) this.sync(this.getWindow());
      }));
    }

    // Play and its step and speed; arrow keys on the histogram step the window.
    this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start()));
    this.speed.addEventListener("change", () => {
      if (this.timer) this.schedule();
    });
    timeline.onStep = (direction) => {
      const window = this.getWindow();
      if (!window) return false;
      this.choose(advance(window, this.step.value, direction), { push: false });
      return true;
    };
    timeline.listen((window, byUser) => {
      if (byUser) this.stop();
      this.message.textContent = "";
      this.sync(window);
    });
    this.sync(getWindow());
  }

  // The inputs and the pressed preset follow the window; all dates show the data's span.
  sync(window) {
    const [a, b] = window || [this.first, this.last];
    this.startInput.value = isoDay(a);
    this.endInput.value = isoDay(b);
    this.markPreset(window);
  }

  // The preset whose window is on screen, if any, shows pressed.
  markPreset(window) {
    this.pressed = null;
    for (const button of this.presets) {
      const preset = this.presetWindow(button.dataset.days);
      const same = preset === null ? window === null : window !== null && preset[0] === window[0] && preset[1] === window[1];
      button.setAttribute("aria-pressed", String(same));
      if (same) this.pressed = button;
    }
  }

  // A preset's window: `days` days ending on the chosen anchor, or null for all dates.
  presetWindow(days) {
    if (days === "all") return null;
    const end = this.anchor.value === "today" ? today() : this.last;
    return [end - Number(days) + 1, end];
  }

  // A window chosen by the reader (not by Play): Play stops.
  choose(window, { push }) {
    this.stop();
    this.moveWindow(window, { push });
  }

  applyInputs() {
    const a = this.startInput.value ? parseIsoDay(this.startInput.value) : this.first;
    const b = this.endInput.value ? parseIsoDay(this.endInput.value) : this.last;
    if (a === null || b === null) return this.refuse("Enter whole dates, e.g. 2020-03-01.");
    if (a > b) return this.refuse("The start date must be on or before the end date.");
    const window = this.getWindow();
    if (window && window[0] === a && window[1] === b) return;
    this.choose([a, b], { push: false });
  }

  refuse(text) {
    this.message.textContent = `${text} The window stays ${describeWindowOrAll(this.getWindow())}.`;
  }

  // Play from the first day with events under the current filters (or on from the current
  // window when it lies inside the data), one step at a time, and stop at the data's end.
  start() {
    const range = this.timeline.dataRange;
    if (!range) {
      this.message.textContent = "No events to play under these filters.";
      return;
    }
    const [from, to] = range;
    const step = this.step.value;
    let window = this.getWindow();
    const length = window ? window[1] - window[0] + 1 : 0;
    const inside = window && window[0] >= from && window[1] < to && length <= to - from;
    if (!inside) {
      if (!length || length > to - from) {
        window = step === "month" ? monthOf(from) : [from, from + (step === "week" ? 6 : 0)];
      } else {
        window = [from, from + length - 1];
      }
    }
    this.play.setAttribute("aria-pressed", "true");
    this.play.title = "Pause";
    this.timer = true;
    if (!inside) this.moveWindow(window, { push: true });
    this.schedule();
  }

  // (Re)start the timer at the chosen speed.
  schedule() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), PLAY_INTERVAL / Number(this.speed.value));
  }

  tick() {
    const window = this.getWindow();
    const range = this.timeline.dataRange;
    if (!window || !range) return this.stop();
    const next = advance(window, this.step.value);
    if (next[0] > range[1]) return this.stop();
    this.moveWindow(next, { push: false });
    if (next[1] >= range[1]) this.stop();
  }

  stop() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.play.setAttribute("aria-pressed", "false");
    this.play.title = "Play";
  }
}

const describeWindowOrAll = (window) => (window ? describeWindow(window[0], window[1]) : "all dates");
