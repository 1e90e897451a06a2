"""The map knows the gazetteer, in real Chromium: village names from zoom 10 that never
overlap, a place search by any spelling (Arabic too) that flies there and filters events near
it, the outline of a chosen district, and the editors' maps drawing the same basemap."""

import time
from urllib.parse import parse_qs, urlparse

from django.contrib.auth.models import User

from events.gazetteer.geocoder import flat_km
from events.models import Event, Place
from tests.base import live_user
from tests.browser import BrowserTestCase

# The rendered boxes of the place names; a pair that intersects is an overlap.
LABEL_OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.town-label')].map((l) => l.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
  }
  return [boxes.length, overlaps];
}"""


def wait_until(page, script: str, arg=None, timeout: float = 15.0):
    """Poll `script` (a function) until it returns something truthy; its value. Atlas's CSP
    forbids the eval behind Playwright's wait_for_function, so this polls with evaluate."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(100)


class MapPlacesTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    def test_villages_are_named_from_zoom_10_and_no_two_names_overlap(self):
        page = self.open_page("/")
        mayadin = Place.objects.get(slug="al-mayadin")
        for zoom in (7, 9):
            page.evaluate(
                "z => { window.atlas.map.setView([35.0, 40.4], z, {animate: false}); }", zoom
            )
            page.wait_for_timeout(300)
            names = page.evaluate("window.atlas.labelsShown()")
            self.assertNotIn("Gharanij", names)
            self.assertEqual(page.evaluate(LABEL_OVERLAPS)[1], 0, zoom)
        page.evaluate(
            "p => { window.atlas.map.setView(p, 11, {animate: false}); }",
            [mayadin.latitude, mayadin.longitude],
        )
        wait_until(page, "() => window.atlas.labelsShown().length > 15")
        names = page.evaluate("window.atlas.labelsShown()")
        villages = Place.objects.filter(name__in=names, kind="village", admin1__pcode="SY09")
        self.assertGreater(villages.count(), 10, names)
        count, overlaps = page.evaluate(LABEL_OVERLAPS)
        self.assertGreater(count, 15)
        self.assertEqual(overlaps, 0)
        self.assertEqual(self.console_errors, [])
        self.assertEqual(self.outside_requests, [])

    def test_a_place_found_in_arabic_flies_there_and_filters_the_events_near_it(self):
        page = self.open_page("/")
        hajin = Place.objects.get(slug="hajin")
        page.get_by_role("combobox", name="Find a place").fill("هجين")
        option = page.locator("#place-results").get_by_role("option").first
        option.wait_for()
        self.assertIn("Hajin", option.inner_text())
        page.keyboard.press("Enter")
        self.assertTrue(wait_until(page, "() => window.atlas.map.getZoom() >= 11"))
        page.wait_for_timeout(1200)  # the flight
        centre = page.evaluate(
            "(() => { const c = window.atlas.map.getCenter(); return [c.lat, c.lng]; })()"
        )
        self.assertLess(flat_km(tuple(centre), (hajin.latitude, hajin.longitude)), 2)
        page.get_by_role("button", name="Show only events within 25 km").click()
        wait_until(page, "() => !document.querySelector('#filter-near').hidden")
        shown = int(page.locator("#count").inner_text().split(" of ")[0])
        near = [
            e
            for e in Event.objects.published()
            if e.latitude is not None
            and abs(e.latitude - hajin.latitude) <= 25 / 111.2
            and flat_km((hajin.latitude, e.longitude), (hajin.latitude, hajin.longitude)) <= 25
        ]
        self.assertEqual(shown, len(near))
        self.assertLess(shown, Event.objects.published().count())
        query = parse_qs(urlparse(page.url).query)
        self.assertEqual(query["near"], ["Hajin"])
        csv = page.locator("#export-csv").get_attribute("href")
        self.assertIn("bbox=", csv)
        response = self.client.get(csv)
        self.assertEqual(response.status_code, 200)
        rows = b"".join(response.streaming_content).decode().strip().split("\n")
        self.assertEqual(len(rows) - 1, shown)  # the export follows the filter
        page.reload()  # the URL restores it
        page.wait_for_selector("body[data-ready=true]", state="attached")
        self.assertEqual(int(page.locator("#count").inner_text().split(" of ")[0]), shown)
        self.assertIn("Near Hajin", page.locator("#filter-near").inner_text())
        page.get_by_role("button", name="Show events everywhere again").click()
        self.assertEqual(
            int(page.locator("#count").inner_text().split(" of ")[0]),
            Event.objects.published().count(),
        )
        self.assertEqual(self.console_errors, [])

    def test_a_chosen_district_is_outlined_zoomed_to_and_filters_by_reference(self):
        page = self.open_page("/")
        district = Place.objects.get(pcode="SY0902")  # Abu Kamal district
        page.locator("#filter-governorate").select_option(label="Deir ez-Zor")
        page.locator("#filter-district").select_option("SY0902")
        self.assertTrue(wait_until(page, "() => window.atlas.outlinePcode() === 'SY0902'"))
        page.wait_for_timeout(500)
        bounds = page.evaluate(
            "(() => { const b = window.atlas.map.getBounds(); "
            "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
        )
        self.assertTrue(bounds[0] < district.latitude < bounds[2])
        self.assertTrue(bounds[1] < district.longitude < bounds[3])
        self.assertLess(bounds[2] - bounds[0], 4)  # zoomed in from the whole region
        shown = int(page.locator("#count").inner_text().split(" of ")[0])
        expected = Event.objects.published().filter(admin2=district).count()
        self.assertGreater(expected, 0)
        self.assertEqual(shown, expected)
        ids = self.client.get("/api/events", {"district": "Abu Kamal", "format": "ids"}).json()
        self.assertEqual(len(ids["ids"]), expected)  # the API by a spelling: the same events
        self.assertEqual(parse_qs(urlparse(page.url).query)["district"], ["SY0902"])
        subdistricts = page.locator("#filter-subdistrict option").all_inner_texts()
        inside = set(Place.objects.units(3).filter(admin2=district).values_list("name", flat=True))
        self.assertTrue(set(subdistricts[1:]) <= inside, subdistricts)
        self.assertEqual(self.console_errors, [])
        # A shared link naming the district alone brings its governorate and its outline.
        shared = self.open_page("/?district=SY0902")
        self.assertEqual(shared.locator("#filter-governorate").input_value(), "SY09")
        self.assertEqual(shared.locator("#filter-district").input_value(), "SY0902")
        self.assertTrue(wait_until(shared, "() => window.atlas.outlinePcode() === 'SY0902'"))
        self.assertEqual(int(shared.locator("#count").inner_text().split(" of ")[0]), expected)


class EditorMapTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]

    def test_the_editors_maps_draw_the_basemap_and_the_names(self):
        editor: User = live_user("edith", "editor")
        event = Event.objects.published().exclude(place=None).first()
        place = Place.objects.get(slug="al-mayadin")
        for path, selector in (
            (f"/admin/events/event/{event.pk}/change/", ".atlas-event-map"),
            (f"/admin/events/place/{place.pk}/change/", ".atlas-place-map"),
        ):
            with self.subTest(path=path):
                page = self.open_admin_page(editor, path)
                page.wait_for_selector(f"{selector}[data-ready=true]", state="attached")
                paths = page.locator(f"{selector} .leaflet-basemap-pane path").count()
                self.assertGreater(paths, 3)  # land, borders, rivers, lakes
                page.evaluate(
                    "([s, p]) => { document.querySelector(s).atlasMap.setView(p, 11); }",
                    [selector, [place.latitude, place.longitude]],
                )
                names = wait_until(
                    page,
                    """s => {
                      const names = document.querySelector(s).atlasLabels.shown.map((l) => l.name);
                      return names.includes('Al-Mayadin') && names.length > 10 && names;
                    }""",
                    selector,
                )
                self.assertTrue(names, "Al-Mayadin and its villages are named")
                self.assertIn(
                    "GeoNames",
                    page.locator(f"{selector} .leaflet-control-attribution").inner_text(),
                )
                self.assertEqual(self.console_errors, [])
