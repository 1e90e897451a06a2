"""About the data, links to events that are not on the map, and citable views, in Chromium."""

import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlparse

from django.db.models import Q

from events.api.filenames import export_filename
from events.models import Actor, Event, EventActor, Place
from tests.browser import BrowserTestCase

HOSTILE_ACTOR = '<img src=x onerror="window.__hacked = 1">Brigade'


class AboutAndCiteTests(BrowserTestCase):
    def setUp(self):
        # Four places are enough: the whole gazetteer costs seconds per test to load again
        # (it is there only until the first live test empties the tables).
        def place(name, kind, lat, lon, **fields):
            slug = name.lower().replace(" ", "-")
            same = Q(slug=slug) | Q(pcode=fields.get("pcode", "-"))
            return Place.objects.filter(same).first() or Place.objects.create(
                slug=slug, name=name, kind=kind, latitude=lat, longitude=lon, country="SY",
                source="test", **fields,
            )  # fmt: skip

        deir = place("Deir ez-Zor", "governorate", 35.0, 40.5, pcode="SY09")
        homs = place("Homs", "governorate", 34.5, 38.5, pcode="SY04")
        hajin = place("Hajin", "city", 34.69, 40.83, admin1=deir)
        palmyra = place("Palmyra", "city", 34.56, 38.28, admin1=homs)
        self.actor = Actor.objects.create(name=HOSTILE_ACTOR, slug="hostile-brigade", kind=1)

        def event(title, day, place, **fields):
            made = Event.objects.create(
                title=title, event_type="battles", sub_event_type="armed_clash",
                date_start=day, date_end=day, place=place,
                status=fields.pop("status", Event.Status.PUBLISHED), **fields,
            )  # fmt: skip
            EventActor.objects.create(event=made, actor=self.actor, role="actor1")
            return made

        self.survivor = event("The survivor at Hajin", date(2019, 3, 1), hajin, fatalities_best=4)
        event("Clashes near Palmyra", date(2021, 6, 1), palmyra, fatalities_best=2)
        self.merged = event(
            "Merged away", date(2019, 3, 1), hajin,
            status=Event.Status.MERGED, merged_into=self.survivor,
        )  # fmt: skip
        self.draft = event("A secret draft", date(2019, 3, 2), hajin, status="in_review")

    def errors(self) -> list[str]:
        """Console errors besides the browser's own line for a 404 answer (expected here)."""
        return [e for e in self.console_errors if "status of 404" not in e]

    def test_the_about_page_is_linked_from_the_header_and_shows_the_coverage(self):
        page = self.open_page("/")
        page.get_by_role("link", name="About", exact=True).click()
        page.wait_for_url("**/about/")
        by_year = page.locator("#coverage-by-year tbody tr").all_inner_texts()
        self.assertEqual([re.split(r"\s+", row.strip()) for row in by_year],
                         [["2019", "1", "50%", "4"], ["2021", "1", "50%", "2"]])  # fmt: skip
        governorates = page.locator("#coverage-by-governorate").inner_text()
        self.assertIn("Deir ez-Zor", governorates)
        self.assertIn("Homs", governorates)
        summary = page.locator("#coverage-summary").inner_text()
        self.assertIn("2 published events", summary)
        self.assertEqual(page.locator("#date-precision tbody tr").count(), 5)
        self.assertEqual(page.locator("#location-precision tbody tr").count(), 7)
        self.assertIn("25 km ring", page.locator("#location-precision").inner_text())
        page.get_by_role("link", name="Map", exact=True).click()
        page.wait_for_selector("body[data-ready=true]", state="attached")
        self.assertEqual(self.errors(), [])

    def test_a_merged_events_link_opens_its_survivor_and_an_unpublished_one_says_so(self):
        page = self.open_page(f"/?event={self.merged.pk}")
        page.wait_for_selector("#details:not([hidden]) h2")
        self.assertEqual(page.locator("#details h2").inner_text(), "The survivor at Hajin")
        self.assertEqual(parse_qs(urlparse(page.url).query)["event"], [str(self.survivor.pk)])
        notice = page.locator("#notice")
        self.assertEqual(
            notice.locator("p").inner_text(),
            f"Event {self.merged.pk} was merged into event {self.survivor.pk}.",
        )
        notice.get_by_role("button", name="Close the notice").click()
        self.assertTrue(notice.is_hidden())

        self.goto(page, f"/?event={self.draft.pk}")
        notice.wait_for(state="visible")
        self.assertEqual(
            notice.locator("p").inner_text(),
            f"Event {self.draft.pk} is not published (it may be under review, rejected or "
            "removed).",
        )
        self.assertNotIn("secret", page.content().lower())
        self.assertTrue(page.locator("#details").is_hidden())
        self.assertNotIn("event=", page.url)
        page.keyboard.press("Escape")
        self.assertTrue(notice.is_hidden())
        self.assertEqual(self.errors(), [])

    def test_exports_are_named_by_their_filters_and_the_view_can_be_cited(self):
        params = {"start": "2019-01-01", "end": "2021-12-31", "actor": "hostile-brigade"}
        page = self.open_page("/?" + "&".join(f"{k}={v}" for k, v in params.items()))
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        expected = export_filename(params, fmt="csv", day=datetime.now(UTC).date())
        link = page.locator("#export-csv")
        self.assertEqual(link.get_attribute("download"), expected)
        response = page.request.get(self.live_server_url + link.get_attribute("href"))
        self.assertEqual(
            response.headers["content-disposition"], f'attachment; filename="{expected}"'
        )
        self.assertTrue(
            page.locator("#export-geojson").get_attribute("download").endswith(".geojson")
        )
        # The map's rule is the server's, letter for letter, hostile text included.
        for params in [
            {"q": '"; X-Evil: 1\r\n<b>الميادين</b> drone', "bbox": "40.129,34.5,41,35.0001"},
            {"start": "2020-01-01", "type": ["battles", "riots"], "subtype": ["armed_clash"]},
            {"end": "2020-01-01", "governorate": "SY09", "district": "SY0903", "actor": ["a"] * 30},
        ]:
            in_browser = page.evaluate(
                "async ([params]) => (await import('/static/atlas/js/cite.js'))"
                ".exportName(params, 'geojson', { day: new Date('2026-12-03T12:00:00Z') })",
                [params],
            )
            flat = {k: ",".join(v) if isinstance(v, list) else v for k, v in params.items()}
            self.assertEqual(
                in_browser, export_filename(flat, fmt="geojson", day=date(2026, 12, 3))
            )

        page.get_by_role("button", name="Cite this view").click()
        dialog = page.locator("#cite-dialog")
        dialog.wait_for(state="visible")
        text = page.locator("#cite-text").inner_text()
        self.assertTrue(text.startswith("Atlas: events in eastern Syria\n"))
        self.assertIn(page.url, text)
        self.assertIn(f"actors: {HOSTILE_ACTOR}", text)
        self.assertIn("2 of 2 events", text)
        self.assertIn("Accessed", text)
        self.assertIn("UCDP", text)
        self.assertEqual(dialog.locator("img").count(), 0)
        dialog.get_by_role("button", name="Copy").click()
        page.locator(".cite-status:not(:empty)").wait_for()
        self.assertEqual(page.locator(".cite-status").inner_text(), "Copied.")
        self.assertEqual(page.evaluate("navigator.clipboard.readText()"), text)
        page.keyboard.press("Escape")
        self.assertTrue(dialog.is_hidden())
        self.assertIsNone(page.evaluate("window.__hacked"))
        self.assertEqual(self.errors(), [])
