"""The map's drawing in real Chromium: groups with counts at low zoom, colours by actor family
(or type, or the chosen actor's side) with a legend of what is on screen, marker size by
deaths, stacked events by date, the selection brought clear of the legend."""

from datetime import date

from events.families import BY_KEY, actor_colours
from events.models import Actor, Event, EventActor
from tests.browser import BrowserTestCase


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))


ISIS_BLACK = rgb(BY_KEY["isis"].colour)
IRAN_GREEN = rgb(BY_KEY["iran"].colour)
RUSSIA_PINK = rgb(BY_KEY["russia"].colour)
WIDE = "map=35.0000,39.0000,6"  # all of Syria: every seed event in view


class MapViewTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    @classmethod
    def setUpSharedData(cls):
        # A deadly event of a family no seed event has, alone in the south-western desert.
        cls.deadly = Event.objects.create(
            title="Strike in the desert",
            event_type="explosions",
            sub_event_type="air_drone_strike",
            date_start=date(2023, 6, 1),
            date_end=date(2023, 6, 1),
            latitude=33.3,
            longitude=38.0,
            own_coordinates=True,
            location_precision=1,
            fatalities_best=30,
            status=Event.Status.PUBLISHED,
        )
        EventActor.objects.create(
            event=cls.deadly, actor=Actor.objects.get(slug="russian-forces"), role="actor1"
        )

    def box(self, page) -> dict:
        return page.locator("#map").bounding_box()

    def zoom(self, page) -> int:
        return page.evaluate("window.atlas.map.getZoom()")

    def legend_rows(self, page) -> dict[str, int]:
        rows = page.locator(".legend-colours .legend-row")
        result = {}
        for k in range(rows.count()):
            label, count = rows.nth(k).locator("span").all_inner_texts()
            result[label] = int(count.replace(",", ""))
        return result

    def in_view(self, page) -> list[Event]:
        south, west, north, east = page.evaluate(
            "(() => { const b = window.atlas.map.getBounds();"
            " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
        )
        return [
            e
            for e in Event.objects.published().exclude(latitude=None)
            if south <= e.latitude <= north and west <= e.longitude <= east
        ]

    def test_low_zoom_draws_groups_with_counts_that_zoom_in(self):
        page = self.open_page(f"/?{WIDE}")
        groups = page.evaluate("window.atlas.groups()")
        self.assertTrue(groups)
        self.assertTrue(all(g["count"] >= 2 for g in groups))
        self.assertLessEqual(sum(g["count"] for g in groups), len(self.in_view(page)))
        # The biggest group is drawn: a white disc ringed in its events' colours.
        big = max(groups, key=lambda g: g["count"])
        box = self.box(page)
        clip = {
            "x": box["x"] + big["x"] - big["r"],
            "y": box["y"] + big["y"] - big["r"],
            "width": 2 * big["r"],
            "height": 2 * big["r"],
        }
        self.assertGreater(self.clip_pixels(page, clip, (255, 255, 255), 8), 40)
        ringed = sum(self.clip_pixels(page, clip, rgb(f.colour), 14) for f in BY_KEY.values())
        self.assertGreater(ringed, 20)
        # Hovering says how many; a click zooms in (or lists them, all at one spot).
        page.mouse.move(box["x"] + big["x"], box["y"] + big["y"])
        tip = page.locator(".event-tooltip")
        tip.wait_for()
        self.assertIn(f"{big['count']} events here", tip.inner_text())
        page.mouse.click(box["x"] + big["x"], box["y"] + big["y"])
        page.wait_for_function(
            "() => window.atlas.map.getZoom() > 6 || document.querySelector('.pick-list')"
        )
        # From zoom 9 every event has its own marker; the option turns grouping off.
        page.evaluate("window.atlas.map.setView([34.9, 40.3], 9, {animate: false})")
        self.assertEqual(page.evaluate("window.atlas.groups()"), [])
        page.evaluate("window.atlas.map.setView([35, 39], 6, {animate: false})")
        self.assertTrue(page.evaluate("window.atlas.groups()"))
        page.locator("#group-events").uncheck()
        self.assertEqual(page.evaluate("window.atlas.groups()"), [])
        self.assertIn("group=0", page.url)
        self.assertEqual(self.console_errors, [])

    def test_stacked_events_are_listed_newest_first(self):
        page = self.open_page("/?map=34.4500,40.9200,9")
        events = Event.objects.published().filter(place__slug="abu-kamal")
        expected = [e.pk for e in events.order_by("-date_end", "-date_start", "-pk")]
        point = page.evaluate(f"window.atlas.screenPoint({expected[0]})")
        box = self.box(page)
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.locator(".pick-list button").first.wait_for()
        ids = [
            int(i)
            for i in page.eval_on_selector_all(
                ".pick-list button", "bs => bs.map(b => b.dataset.id)"
            )
        ]
        self.assertEqual([i for i in ids if i in expected], expected)
        self.assertIn("newest first", page.locator(".pick-head").inner_text())

    def test_colours_follow_family_type_and_side_and_the_legend_counts_the_screen(self):
        page = self.open_page(f"/?{WIDE}&group=0")
        families = actor_colours()
        expected: dict[str, int] = {}
        for event in self.in_view(page):
            roles = sorted(
                event.event_actors.all(), key=lambda r: (r.role != "actor1", r.role, r.actor_id)
            )
            key = families[roles[0].actor_id][0] if roles else "unidentified"
            expected[BY_KEY[key].label] = expected.get(BY_KEY[key].label, 0) + 1
        self.assertEqual(self.legend_rows(page), expected)
        self.assertGreater(self.pixels(page, IRAN_GREEN), 50)

        # A map of ISIS's events is ISIS's colour, also where ISIS is actor 2.
        page = self.open_page(f"/?{WIDE}&group=0&actor=islamic-state")
        isis = Actor.objects.get(slug="islamic-state")
        involving = Event.objects.published().involving(isis)
        shown = [e for e in self.in_view(page) if e in set(involving)]
        self.assertEqual(self.legend_rows(page), {"Islamic State": len(shown)})
        self.assertEqual(self.pixels(page, IRAN_GREEN), 0)
        self.assertGreater(self.pixels(page, ISIS_BLACK), 30)

        # By the chosen actor's side: actor 1 (or its associate) against actor 2's side.
        page.locator("#colour-by").select_option("side")
        sides = {"actor1": 0, "actor2": 0}
        for event in involving:
            roles = {r.role for r in event.event_actors.filter(actor=isis)}
            sides["actor1" if roles & {"actor1", "assoc1"} else "actor2"] += 1
        rows = self.legend_rows(page)
        self.assertEqual(sum(rows.values()), involving.count())
        self.assertEqual(
            rows.get("Chosen actor on the initiating side (actor 1)", 0), sides["actor1"]
        )
        self.assertIn("colour=side", page.url)

        # By type: the legend names the types on screen in their colours.
        page.locator("#colour-by").select_option("type")
        self.assertIn("event type", page.locator(".legend-colours h3").inner_text())
        self.assertGreater(
            self.pixels(page, (0x44, 0x77, 0xAA)) + self.pixels(page, (0xEE, 0x66, 0x77)), 20
        )

    def test_marker_size_follows_deaths_when_asked(self):
        page = self.open_page("/?map=33.3000,38.0000,9")
        before = self.pixels(page, RUSSIA_PINK, 6)
        self.assertGreater(before, 10)
        page.locator("#size-by-deaths").check()
        after = self.pixels(page, RUSSIA_PINK, 6)
        self.assertGreater(after, 3 * before)  # 30 deaths: 2.6 times the size
        self.assertIn("size=deaths", page.url)

    def test_a_selection_is_brought_clear_of_the_legend_which_never_swallows_clicks(self):
        event = Event.objects.get(import_ref="003-05")  # Shayrat airbase: alone on the map
        page = self.open_page("/?map=34.5000,38.0000,8&group=0")
        legend = page.locator(".legend").bounding_box()
        box = self.box(page)
        self.assertTrue(page.evaluate("document.querySelector('.legend').open"))
        # Put the event under the legend's list of colours (not under its controls).
        target = (
            legend["x"] - box["x"] + legend["width"] / 2,
            legend["y"] - box["y"] + legend["height"] * 0.8,
        )
        point = page.evaluate(f"window.atlas.screenPoint({event.pk})")
        shift = [point["x"] - target[0], point["y"] - target[1]]
        page.evaluate(f"window.atlas.map.panBy({shift}, {{animate: false}})")
        point = page.evaluate(f"window.atlas.screenPoint({event.pk})")
        self.assertAlmostEqual(point["x"], target[0], delta=2)
        # A click there reaches the event through the legend.
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#details:not([hidden]) h2")
        self.assertEqual(page.locator("#details h2").inner_text(), event.title)

        # Selected, it is brought into view clear of the legend and the controls.
        def clear(point) -> bool:
            x, y = box["x"] + point["x"], box["y"] + point["y"]
            inside_map = (
                box["x"] < x < box["x"] + box["width"] and box["y"] < y < box["y"] + box["height"]
            )
            under_legend = (
                legend["x"] - 10 < x < legend["x"] + legend["width"] + 10
                and legend["y"] - 10 < y < legend["y"] + legend["height"] + 10
            )
            return inside_map and not under_legend

        for _ in range(40):
            page.wait_for_timeout(100)
            point = page.evaluate(f"window.atlas.screenPoint({event.pk})")
            if clear(point):
                break
        self.assertTrue(clear(point), (point, legend))

    def test_the_map_opens_on_eastern_syria(self):
        page = self.open_page("/")
        lat, lon = page.evaluate(
            "(() => { const c = window.atlas.map.getCenter(); return [c.lat, c.lng]; })()"
        )
        self.assertTrue(34 < lat < 36 and 39 < lon < 41, (lat, lon))
        self.assertTrue(
            page.evaluate("window.atlas.map.getBounds().contains([35.33, 40.14])")  # Deir ez-Zor
        )

    def clip_pixels(self, page, clip: dict, colour: tuple[int, int, int], tolerance: int) -> int:
        import base64

        from tests.browser import COUNT_PIXELS

        png = base64.b64encode(page.screenshot(clip=clip)).decode()
        return self.scratch.evaluate(COUNT_PIXELS, [png, list(colour), tolerance])
