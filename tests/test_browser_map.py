"""The researchers' map in real Chromium: drawing, brushing, filters, URL, details, safety."""

from datetime import date
from urllib.parse import parse_qs, urlparse

from events.models import Actor, Event, EventActor, Evidence, Place, Report, Source
from tests.browser import BrowserTestCase

IRGC_GREEN = (0x00, 0x9E, 0x73)  # the Iran-aligned family (events/families.py)
SDF_YELLOW = (0xE6, 0x9F, 0x00)  # the SDF family
HOSTILE_TITLE = '<img src=x onerror="window.__hacked = 1">Drone strike'
HOSTILE_QUOTE = "<script>window.__hacked = 2</script> A drone struck <b>Hajin</b>."


class MapPageTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    @classmethod
    def setUpSharedData(cls):
        source = Source.objects.create(name="Hostile outlet")
        report = Report.objects.create(
            source=source,
            title="<i>Report</i>",
            published=date(2023, 12, 20),
            url="javascript:window.__hacked=3",
            text=f"Intro. {HOSTILE_QUOTE} End.",
        )
        cls.hostile = Event.objects.create(
            title=HOSTILE_TITLE,
            description="<svg onload=window.__hacked=4>",
            event_type="explosions",
            sub_event_type="air_drone_strike",
            date_start=date(2023, 12, 19),
            date_end=date(2023, 12, 19),
            place=Place.objects.get(slug="hajin"),
            status=Event.Status.PUBLISHED,
        )
        EventActor.objects.create(
            event=cls.hostile, actor=Actor.objects.get(slug="israeli-forces"), role="actor1"
        )
        start = report.text.index(HOSTILE_QUOTE)
        Evidence.objects.create(
            event=cls.hostile, report=report, quote=HOSTILE_QUOTE, start=start,
            end=start + len(HOSTILE_QUOTE),
        )  # fmt: skip
        cls.published = Event.objects.published().count()

    def count(self, page) -> int:
        return int(page.locator("#count").inner_text().split(" of ")[0].replace(",", ""))

    def hide_legend(self, page) -> None:
        page.evaluate("document.querySelector('.legend').open = false")

    def test_it_loads_offline_with_events_drawn(self):
        page = self.open_page("/")
        self.assertEqual(self.count(page), self.published)
        self.hide_legend(page)
        self.assertGreater(self.pixels(page, IRGC_GREEN), 100)
        self.assertGreater(self.pixels(page, SDF_YELLOW), 25)  # in the crowd at Abu Kamal
        self.assertEqual(self.console_errors, [])
        self.assertEqual(self.outside_requests, [])
        self.assertIn("GeoNames", page.locator(".leaflet-control-attribution").inner_text())

    def test_brushing_the_timeline_changes_the_count_and_the_drawing(self):
        page = self.open_page("/")
        self.hide_legend(page)
        green_before = self.pixels(page, IRGC_GREEN)
        box = page.locator("#histogram").bounding_box()
        # Drag over the first fifth of the timeline: 2018-2019, before the IRGC events of 2023
        # (from right of the count axis, which takes the histogram's left 38 px).
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + 45, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
        page.mouse.up()
        self.assertLess(self.count(page), self.published)
        self.assertGreater(self.count(page), 0)
        self.assertLess(self.pixels(page, IRGC_GREEN), green_before / 4)
        params = parse_qs(urlparse(page.url).query)
        self.assertTrue(params["start"][0].startswith("2018"))

    def test_an_actor_filter_narrows_the_map_and_back_undoes_it(self):
        page = self.open_page("/")
        self.hide_legend(page)
        page.get_by_label("Syrian Democratic Forces (SDF)").check()
        page.wait_for_function(
            "() => document.querySelector('#count').textContent.startsWith('6 of')"
        )
        self.assertEqual(self.pixels(page, IRGC_GREEN), 0)
        self.assertGreater(self.pixels(page, SDF_YELLOW), 50)
        page.go_back()
        page.wait_for_function(
            f"() => document.querySelector('#count').textContent.startsWith('{self.published} of')"
        )
        self.assertFalse(page.get_by_label("Syrian Democratic Forces (SDF)").is_checked())

    def test_an_umbrella_includes_its_members(self):
        page = self.open_page("/")
        page.get_by_label("Iran-backed militias").check()
        expected = Event.objects.published().involving(
            Actor.objects.get(slug="iran-backed-militias")
        )
        n = expected.count()
        page.wait_for_function(
            f"() => document.querySelector('#count').textContent.startsWith('{n} of')"
        )

    def test_the_url_restores_filters_window_view_and_selection(self):
        event = Event.objects.get(import_ref="004-03")
        path = (
            f"/?start=2023-09-01&end=2023-09-30&actor=irgc&type=strategic_developments"
            f"&event={event.pk}&map=34.5000,40.5000,9"
        )
        page = self.open_page(path)
        expected = (
            Event.objects.published()
            .between(date(2023, 9, 1), date(2023, 9, 30))
            .involving(Actor.objects.get(slug="irgc"))
            .filter(event_type="strategic_developments")
            .count()
        )
        self.assertEqual(self.count(page), expected)
        self.assertTrue(page.get_by_label("Islamic Revolutionary Guard Corps (IRGC)").is_checked())
        page.wait_for_selector("#details:not([hidden]) h2")
        self.assertEqual(page.locator("#details h2").inner_text(), event.title)
        center = page.evaluate("[window.atlas && 0, location.search]")[1]
        self.assertIn("map=34.5000%2C40.5000%2C9", center.replace(",", "%2C"))

    def test_clicking_an_event_shows_its_details_and_evidence(self):
        event = Event.objects.get(import_ref="003-05")  # Shayrat airbase: alone on the map
        page = self.open_page("/")
        point = page.evaluate(f"window.atlas.screenPoint({event.pk})")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#details:not([hidden]) blockquote")
        self.assertEqual(page.locator("#details h2").inner_text(), event.title)
        quote = page.locator("#details blockquote").first.inner_text()
        self.assertEqual(quote, event.evidence.get().quote)
        self.assertIn("MEMRI", page.locator("#details").inner_text())
        self.assertIn(f"event={event.pk}", page.url)

    def test_several_events_at_one_spot_are_all_reachable(self):
        page = self.open_page("/?map=34.4500,40.9200,9")
        events = Event.objects.published().filter(place__slug="abu-kamal")
        self.assertGreater(events.count(), 1)
        first = events.first()
        point = page.evaluate(f"window.atlas.screenPoint({first.pk})")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        items = page.locator(".pick-list button")
        items.first.wait_for()
        self.assertGreaterEqual(items.count(), events.count())
        items.nth(1).click()
        page.wait_for_selector("#details:not([hidden]) h2")

    def test_hostile_text_stays_text(self):
        page = self.open_page(f"/?event={self.hostile.pk}")
        page.wait_for_selector("#details:not([hidden]) blockquote")
        self.assertEqual(page.locator("#details h2").inner_text(), HOSTILE_TITLE)
        self.assertEqual(page.locator("#details blockquote").inner_text(), HOSTILE_QUOTE)
        self.assertEqual(
            page.locator("#details img, #details script, #details svg, #details b").count(), 0
        )
        self.assertEqual(page.locator("#details a[href^='javascript']").count(), 0)
        page.wait_for_timeout(300)
        self.assertIsNone(page.evaluate("window.__hacked"))
        self.assertEqual(self.console_errors, [])

    def test_exports_follow_the_filters(self):
        page = self.open_page("/?actor=sdf")
        href = page.locator("#export-csv").get_attribute("href")
        self.assertIn("actor=sdf", href)
        self.assertIn("format=csv", href)
        response = page.request.get(self.live_server_url + href)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.text().count("\n"), 1 + 6)

    def test_it_is_usable_at_phone_width(self):
        page = self.open_page("/", width=375, height=740)
        timeline = page.locator("#histogram").bounding_box()
        self.assertLessEqual(timeline["x"] + timeline["width"], 375)
        self.assertGreater(timeline["width"], 300)
        page.locator("#toggle-filters").click()
        page.get_by_label("Syrian Democratic Forces (SDF)").check()
        page.wait_for_function(
            "() => document.querySelector('#count').textContent.startsWith('6 of')"
        )
        box = page.locator("#filters").bounding_box()
        self.assertLessEqual(box["width"], 375)
        page.locator("#close-filters").click()
        page.locator(".presets button", has_text="Year").click()
        self.assertLessEqual(self.count(page), 6)
        self.assertEqual(self.console_errors, [])
