"""The event list beside the map in real Chromium: rows and sorts as the database has them,
in step with filters, the brush and the map, by keyboard, virtualised, at phone width."""

from datetime import date

from events.models import Actor, Event, EventActor, Place
from tests.browser import BrowserTestCase

HOSTILE_PLACE = '<img src=x onerror="window.__hacked = 1">Hajin'
HOSTILE_ACTOR = "<script>window.__hacked = 2</script><b>ISIS</b>"

# The rendered rows, top to bottom (only those drawn: the list is virtualised).
ROWS = """
() => [...document.querySelectorAll("#event-list .list-row:not([hidden])")]
  .sort((a, b) => a.getAttribute("aria-posinset") - b.getAttribute("aria-posinset"))
  .map((row) => ({
    id: Number(row.id.replace("list-event-", "")),
    date: row.querySelector(".list-date").textContent,
    place: row.querySelector(".list-place").textContent,
    type: row.querySelector(".list-type").textContent,
    actors: row.querySelector(".list-actors").textContent,
    deaths: row.querySelector(".list-deaths").textContent,
    selected: row.getAttribute("aria-selected") === "true",
  }))
"""

# A second list over 100,000 synthetic events in a 320 x 600 box, in the same page, timed.
BIG_LIST = """
async () => {
  const { EventList } = await import("/static/atlas/js/list.js");
  const n = 100000;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const start = Int32Array.from({ length: n }, () => 16000 + Math.floor(random() * 3800));
  const data = {
    n,
    id: Int32Array.from({ length: n }, (_, i) => i + 1),
    start,
    end: start.map((s) => s + (random() < 0.7 ? 0 : 30)),
    lat: new Float64Array(n).fill(35),
    lon: new Float64Array(n).fill(40),
    place: Int32Array.from({ length: n }, () => Math.floor(random() * 500)),
    admin1: new Int32Array(n).fill(-1),
    subtype: new Uint8Array(n),
    subtypes: ["attack"],
    fatalities: Int32Array.from({ length: n }, () => Math.floor(random() * 40) - 5),
    primary: new Int32Array(n).fill(-1),
    actorIds: new Int32Array(0),
    actorOffsets: new Int32Array(n + 1),
    places: Object.fromEntries(Array.from({ length: 500 }, (_, k) => [k, `Place ${k}`])),
    units: {},
  };
  const root = document.getElementById("event-list").cloneNode(true);
  root.id = "big-list";
  root.querySelector(".list-inview").checked = false;
  root.querySelector(".list-spacer").replaceChildren();
  for (const node of root.querySelectorAll("[id]")) node.removeAttribute("id");
  Object.assign(root.style, { position: "fixed", left: "0", top: "0", width: "320px",
    height: "600px", zIndex: 5000, visibility: "visible", transform: "none" });
  document.body.append(root);
  const list = new EventList(root, { data, actorsById: new Map(), subtypeLabels: new Map(),
    map: window.atlas.map, onSelect: () => {} });
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const half = all.filter((i) => i % 2);
  const times = [];
  for (const visible of [all, half, all, half, all]) {
    list.update(visible);
    times.push(list.updateMs);
  }
  const sortSelect = root.querySelector(".list-sort");
  const t = performance.now();
  sortSelect.value = "deaths";
  sortSelect.dispatchEvent(new Event("change"));
  const firstDeathsSort = performance.now() - t;
  const deaths = [...root.querySelectorAll(".list-row:not([hidden])")]
    .sort((a, b) => a.getAttribute("aria-posinset") - b.getAttribute("aria-posinset"))
    .map((row) => data.fatalities[Number(row.id.replace("list-event-", "")) - 1]);
  list.update(half);
  const deathsUpdate = list.updateMs;
  const viewport = root.querySelector(".list-viewport");
  viewport.scrollTop = viewport.scrollHeight;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const last = Math.max(...[...root.querySelectorAll(".list-row:not([hidden])")]
    .map((row) => Number(row.getAttribute("aria-posinset"))));
  const setsize = root.querySelector(".list-row:not([hidden])").getAttribute("aria-setsize");
  return { nodes: root.querySelectorAll(".list-row").length, count: list.count, times,
    firstDeathsSort, deathsUpdate, deaths, last, setsize };
}
"""


class EventListTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    @classmethod
    def setUpSharedData(cls):
        # A few death tolls, for the sort by deaths (the seed reports almost none).
        for ref, deaths in (("004-03", 12), ("003-05", 5), ("001-01", 0)):
            event = Event.objects.get(import_ref=ref)
            event.fatalities_best = deaths
            event.save()
        # Names as hostile as a report could make them.
        hajin = Place.objects.get(slug="hajin")
        hajin.name = HOSTILE_PLACE
        hajin.save()
        isis = Actor.objects.get(slug="islamic-state")
        isis.name = HOSTILE_ACTOR
        isis.save()

    def shown(self):
        """The published events the map draws (with coordinates), newest first."""
        events = Event.objects.published().exclude(latitude=None)
        return list(
            events.select_related("place", "admin1").order_by("-date_start", "-date_end", "-id")
        )

    def top_count(self, page) -> int:
        return int(page.locator("#count").inner_text().split(" of ")[0].replace(",", ""))

    def list_count(self, page) -> int:
        return int(page.locator("#list-count").inner_text().split(" ")[0].replace(",", ""))

    def expected_row(self, page, event: Event) -> dict:
        days = [(d - date(1970, 1, 1)).days for d in (event.date_start, event.date_end)]
        when = page.evaluate(
            "async ([a, b]) => (await import('/static/atlas/js/dates.js')).describeWindow(a, b)",
            days,
        )
        governorate = event.admin1.name if event.admin1 else ""
        place = event.place.name
        roles = EventActor.objects.filter(event=event).order_by("role", "actor_id")
        names = [role.actor.name for role in roles]
        deaths = event.fatalities_best
        return {
            "id": event.pk,
            "date": when,
            "place": f"{place} ({governorate})" if governorate and governorate != place else place,
            "type": event.get_sub_event_type_display(),
            "actors": ", ".join(names) or "No actor named",
            "deaths": "—" if deaths is None else f"{deaths} {'death' if deaths == 1 else 'deaths'}",
        }

    def sort_by(self, page, value: str) -> list[dict]:
        page.locator("#event-list .list-sort").select_option(value)
        return page.evaluate(ROWS)

    def test_it_lists_the_events_on_screen_newest_first_and_sorts_them(self):
        page = self.open_page("/")
        shown = self.shown()
        rows = page.evaluate(ROWS)
        self.assertEqual(self.list_count(page), len(shown))
        self.assertEqual(self.list_count(page), self.top_count(page))
        self.assertGreater(len(rows), 8)
        self.assertLess(len(rows), len(shown))  # only the rows in view are drawn
        for row, event in zip(rows, shown, strict=False):
            del row["selected"]
            self.assertEqual(row, self.expected_row(page, event))

        # By deaths: most first, not reported last, ties newest first.
        position = {event.pk: k for k, event in enumerate(shown)}
        by_deaths = sorted(
            shown,
            key=lambda e: (e.fatalities_best is None, -(e.fatalities_best or 0), position[e.pk]),
        )
        rows = self.sort_by(page, "deaths")
        self.assertEqual([r["id"] for r in rows], [e.pk for e in by_deaths[: len(rows)]])
        self.assertEqual(
            [r["deaths"] for r in rows[:4]], ["12 deaths", "5 deaths", "1 death", "0 deaths"]
        )

        # By place, A-Z (then governorate, then newest first).
        by_place = sorted(
            shown,
            key=lambda e: (
                e.place.name.casefold(),
                e.admin1.name if e.admin1 else "",
                position[e.pk],
            ),
        )
        rows = self.sort_by(page, "place")
        self.assertEqual([r["id"] for r in rows], [e.pk for e in by_place[: len(rows)]])

        # Only in the map's view: the events within its bounds.
        self.sort_by(page, "date")
        page.locator("#event-list .list-inview").check()
        page.evaluate("window.atlas.map.setView([34.45, 40.92], 10, {animate: false})")
        page.wait_for_function(
            "() => document.querySelector('#list-count').textContent.includes('in map view')"
        )
        page.wait_for_timeout(100)
        south, west, north, east = page.evaluate(
            "(b => [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()])"
            "(window.atlas.map.getBounds())"
        )
        inside = [
            e for e in shown
            if south <= e.latitude <= north and west <= e.longitude <= east
        ]  # fmt: skip
        self.assertGreater(len(inside), 0)
        self.assertLess(len(inside), len(shown))
        self.assertEqual(self.list_count(page), len(inside))
        self.assertEqual([r["id"] for r in page.evaluate(ROWS)], [e.pk for e in inside][:20])

        # At 100,000 events: a few dozen row nodes, every row reachable, updates in milliseconds.
        big = page.evaluate(BIG_LIST)
        self.assertEqual(big["count"], 50000)
        self.assertEqual(big["setsize"], "50000")
        self.assertLess(big["nodes"], 40)
        self.assertEqual(big["last"], 50000)
        self.assertEqual(big["deaths"][:3], sorted(big["deaths"], reverse=True)[:3])
        self.assertEqual(big["deaths"][0], 34)
        self.assertLess(max(big["times"][1:]), 100)  # ~2-5 ms here; generous for slow CI
        self.assertEqual(self.console_errors, [])

    def test_it_follows_filters_the_brush_the_map_the_keyboard_and_phone_width(self):
        page = self.open_page("/")
        shown = self.shown()

        # A filter and a brush change it: its count is the map's.
        page.get_by_role("checkbox", name="Syrian Democratic Forces (SDF)").check()
        page.wait_for_function(
            "() => document.querySelector('#count').textContent.startsWith('6 of')"
        )
        self.assertEqual(self.list_count(page), 6)
        page.get_by_role("checkbox", name="Syrian Democratic Forces (SDF)").uncheck()
        page.wait_for_function(
            f"() => document.querySelector('#count').textContent.startsWith('{len(shown)} of')"
        )
        box = page.locator("#histogram").bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.8, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
        page.mouse.up()
        self.assertLess(self.top_count(page), len(shown))
        self.assertEqual(self.list_count(page), self.top_count(page))
        self.assertLessEqual(len(page.evaluate(ROWS)), self.top_count(page))

        # Keyboard: Tab reaches the list, two rows down, Enter opens the third newest event.
        self.goto(page, "/")
        page.locator("#event-list .list-sort").focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        self.assertTrue(page.evaluate("document.activeElement.getAttribute('role') === 'listbox'"))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        third = shown[2]
        listbox = page.locator("#event-list [role=listbox]")
        self.assertEqual(listbox.get_attribute("aria-activedescendant"), f"list-event-{third.pk}")
        page.keyboard.press("Enter")
        page.wait_for_selector("#details:not([hidden]) h2")
        self.assertEqual(page.locator("#details h2").inner_text(), third.title)
        self.assertIn(f"event={third.pk}", page.url)
        self.assertFalse(page.locator("#event-list").is_visible())  # the details lie over it
        # Focus went into the details; closing them brings it back to the row.
        page.wait_for_function("() => document.activeElement.closest('#details') !== null")
        page.locator("#details .close").press("Enter")
        page.wait_for_selector("#details", state="hidden")
        self.assertTrue(page.evaluate("document.activeElement.getAttribute('role') === 'listbox'"))
        page.keyboard.press("End")
        self.assertEqual(
            listbox.get_attribute("aria-activedescendant"), f"list-event-{shown[-1].pk}"
        )
        page.keyboard.press("PageUp")
        page.keyboard.press("Home")
        self.assertEqual(
            listbox.get_attribute("aria-activedescendant"), f"list-event-{shown[0].pk}"
        )

        # Clicking an event on the map highlights its row (scrolled into view).
        event = Event.objects.get(import_ref="003-05")  # Shayrat airbase: alone on the map
        self.goto(page, f"/?map={event.latitude:.4f},{event.longitude:.4f},11")
        point = page.evaluate(f"window.atlas.screenPoint({event.pk})")
        map_box = page.locator("#map").bounding_box()
        page.mouse.click(map_box["x"] + point["x"], map_box["y"] + point["y"])
        page.wait_for_selector("#details:not([hidden]) h2")
        page.locator("#details .close").click()
        selected = [row["id"] for row in page.evaluate(ROWS) if row["selected"]]
        self.assertEqual(selected, [])  # closed: nothing selected
        page.mouse.click(map_box["x"] + point["x"], map_box["y"] + point["y"])
        page.wait_for_selector("#details:not([hidden]) h2")
        selected = [row["id"] for row in page.evaluate(ROWS) if row["selected"]]
        self.assertEqual(selected, [event.pk])
        self.assertEqual(self.console_errors, [])

        # At phone width: a sheet over the map, opened by "List"; names stay text.
        page.set_viewport_size({"width": 390, "height": 800})
        self.goto(page, "/")
        sheet = page.locator("#event-list")
        rows = page.locator("#event-list .list-row")
        self.assertFalse(sheet.is_visible())
        page.locator("#toggle-list").click()
        sheet.wait_for(state="visible")
        page.wait_for_timeout(300)  # the sheet slides in
        box = sheet.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], 390)
        self.assertGreater(box["height"], 300)
        self.assertTrue(rows.first.is_visible())
        texts = self.sort_by(page, "place")  # "<img…" sorts first
        self.assertTrue(texts[0]["place"].startswith(HOSTILE_PLACE))
        self.assertTrue([r["actors"] for r in texts if HOSTILE_ACTOR in r["actors"]])
        markup = page.locator("#event-list img, #event-list script, #event-list b")
        self.assertEqual(markup.count(), 0)
        # A row opens its event in the bottom sheet over the list; closing it comes back.
        rows.nth(1).click()
        page.wait_for_selector("#details:not([hidden]) h2")
        sheet.wait_for(state="hidden")
        page.locator("#details .close").click()
        sheet.wait_for(state="visible")
        page.locator("#event-list .list-close").click()
        sheet.wait_for(state="hidden")
        self.assertIsNone(page.evaluate("window.__hacked"))
        self.assertEqual(self.console_errors, [])
