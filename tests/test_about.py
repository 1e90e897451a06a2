"""The About page's computed coverage, a merged or unpublished event's answer, and export file
names that carry their filters and the day."""

import re
from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.api.filenames import export_filename
from events.models import DatePrecision, Event, LocationPrecision, Place
from tests.base import AtlasTestCase


def today() -> str:
    return datetime.now(UTC).date().isoformat()


class AboutPageTests(AtlasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        aleppo = Place.objects.get(pcode="SY02")
        homs = Place.objects.get(pcode="SY04")
        day = {"date_start": date(2019, 5, 1), "date_end": date(2019, 5, 1)}
        cls.make_event(fatalities_best=3, **day)  # Deir ez-Zor (the builder's default)
        cls.make_event(fatalities_best=4, date_precision=DatePrecision.MONTH, **day)
        cls.make_event(
            place=cls.make_place(admin1=homs),
            date_start=date(2021, 2, 3),
            date_end=date(2021, 2, 3),
            location_precision=LocationPrecision.NEAR,
        )  # no count of the dead
        cls.make_event(
            place=cls.make_place(admin1=aleppo),
            date_start=date(2021, 7, 1),
            date_end=date(2021, 7, 1),
            fatalities_best=10,
        )
        # Neither an unreviewed event nor a merged one counts.
        cls.make_event(status=Event.Status.IN_REVIEW, fatalities_best=100, **day)
        survivor = Event.objects.filter(fatalities_best=3).get()
        cls.make_event(status=Event.Status.MERGED, merged_into=survivor, **day)

    def test_it_counts_published_events_and_deaths_by_year_and_governorate(self):
        response = self.client.get("/about/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<strong>4</strong> published events")
        by_year = [
            '<tr><th scope="row">2019</th><td>2</td><td>50%</td><td>7</td></tr>',
            '<tr><th scope="row">2021</th><td>2</td><td>50%</td><td>10</td></tr>',
            '<tr><th scope="row">All</th><td>4</td><td>100%</td><td>17</td></tr>',
        ]
        for row in by_year:
            self.assertContains(response, row, html=True)
        self.assertNotContains(response, ">2020<")  # no event, no column
        # By governorate: events in 2019 and 2021, then events, share and deaths.
        rows = {
            "Deir ez-Zor": (2, 0, 2, "50%", 7),
            "Homs": (0, 1, 1, "25%", 0),
            "Aleppo": (0, 1, 1, "25%", 10),
            "Eastern Syria and the border: all": (2, 1, 3, "75%", 7),
            "Elsewhere: all": (0, 1, 1, "25%", 10),
        }
        html = response.content.decode()
        for label, cells in rows.items():
            match = re.search(
                rf"<th scope=\"row\">{re.escape(label)}[^<]*(?:<small>[^<]*</small>)?</th>\s*"
                r"((?:<td>[^<]*</td>\s*)+)</tr>",
                html,
            )
            self.assertIsNotNone(match, label)
            found = re.findall(r"<td>([^<]*)</td>", match.group(1))
            self.assertEqual(found, [str(c) for c in cells], label)
        # Outside the eastern governorates, said in the summary; a count missing, said too.
        self.assertContains(response, "<strong>25% outside them</strong>", html=True)
        self.assertContains(response, "1 event gives no count")

    def test_it_lists_every_precision_code_with_its_label_and_count(self):
        response = self.client.get("/about/")
        for code in [*DatePrecision, *LocationPrecision]:
            self.assertContains(response, f"<td>{code.label}</td>", html=True)
        date_rows = re.findall(
            r'<tr><th scope="row">(\d)</th>.*?<td>(\d+)</td></tr>',
            response.content.decode().split('id="date-precision"')[1].split("</table>")[0],
        )
        self.assertEqual(date_rows, [("1", "3"), ("2", "0"), ("3", "0"), ("4", "1"), ("5", "0")])
        self.assertContains(response, "25 km ring")
        self.assertContains(response, 'href="/api/openapi.json"')
        self.assertContains(response, 'href="/api/events?format=csv"')

    def test_names_are_escaped_and_the_tables_are_computed_once_per_data_version(self):
        governorate = Place.objects.get(pcode="SY09")
        governorate.name = "<script>alert(1)</script>Deir"
        governorate.save()
        with CaptureQueriesContext(connection) as first:
            response = self.client.get("/about/")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;Deir")
        self.assertNotContains(response, "<script>alert(1)")
        with CaptureQueriesContext(connection) as again:
            self.client.get("/about/")
        self.assertLessEqual(len(first), 12)
        self.assertLess(len(again), len(first))  # the tables come from the cache
        Event.objects.filter(fatalities_best=10).update(status=Event.Status.REJECTED)
        response = self.client.get("/about/")
        self.assertContains(response, "<strong>3</strong> published events")

    def test_the_map_links_the_about_page_and_back(self):
        self.assertContains(self.client.get("/"), 'href="/about/"')
        self.assertContains(self.client.get("/about/"), 'href="/"')


class MissingEventTests(AtlasTestCase):
    def test_a_merged_event_names_its_published_survivor(self):
        survivor = self.make_event(title="The survivor")
        middle = self.make_event(status=Event.Status.MERGED, merged_into=survivor)
        merged = self.make_event(status=Event.Status.MERGED, merged_into=middle)
        for event in (middle, merged):
            response = self.client.get(f"/api/events/{event.pk}")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(
                response.json(),
                {
                    "error": f"event {event.pk} was merged into event {survivor.pk}",
                    "merged_into": survivor.pk,
                },
            )

    def test_an_unpublished_event_answers_as_an_unknown_one(self):
        rejected_survivor = self.make_event(status=Event.Status.REJECTED)
        hidden = [
            self.make_event(title="Secret draft", status=status)
            for status in (Event.Status.EXTRACTED, Event.Status.IN_REVIEW, Event.Status.REJECTED)
        ]
        hidden.append(
            self.make_event(
                title="Secret draft", status=Event.Status.MERGED, merged_into=rejected_survivor
            )
        )
        for event in hidden:
            response = self.client.get(f"/api/events/{event.pk}")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.json(), {"error": f"no published event with id {event.pk}"})
        unknown = self.client.get("/api/events/987654321")
        self.assertEqual(unknown.json(), {"error": "no published event with id 987654321"})


class ExportNameTests(AtlasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.isis = cls.make_actor(name="ISIS", slug="isis")
        day = date(2020, 3, 1)
        cls.make_event(actors={"actor1": cls.isis}, date_start=day, date_end=day)

    def filename(self, **params) -> str:
        response = self.client.get("/api/events", params)
        self.assertEqual(response.status_code, 200)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith('attachment; filename="'), disposition)
        return disposition.split('filename="')[1].rstrip('"')

    def test_export_names_carry_the_filters_given_and_the_day(self):
        name = self.filename(
            format="csv",
            start="2020-01-01",
            end="2020-06-30",
            actor="isis",
            type="battles",
            governorate="Dayr az Zawr",  # any spelling: named by its P-code
        )
        self.assertEqual(
            name,
            f"atlas-events_2020-01-01_2020-06-30_actor-isis_type-battles_governorate-SY09_"
            f"{today()}.csv",
        )
        self.assertEqual(self.filename(format="geojson"), f"atlas-events_{today()}.geojson")
        self.assertEqual(
            self.filename(format="csv", layout="acled", start="2020-02-01"),
            f"atlas-events-acled_from-2020-02-01_{today()}.csv",
        )
        self.assertEqual(
            self.filename(
                format="geojson", subtype="armed_clash,air_drone_strike", end="2021-01-01"
            ),
            f"atlas-events_to-2021-01-01_subtype-armed-clash+air-drone-strike_{today()}.geojson",
        )

    def test_hostile_or_long_filters_give_a_short_safe_name(self):
        name = self.filename(format="csv", bbox="40.123456,34.9999,41.5,35.25", type="battles")
        self.assertEqual(
            name, f"atlas-events_type-battles_bbox-40.12+34.99+41.5+35.25_{today()}.csv"
        )
        # Words of a search as letters and digits only (a header cannot be broken into).
        hostile = export_filename(
            {"q": '"; X-Evil: 1\r\n<script>الميادين', "governorate": "دير الزور"},
            fmt="csv",
            day=date(2026, 12, 3),
        )
        self.assertEqual(hostile, "atlas-events_q-x-evil-1-script_2026-12-03.csv")
        long = export_filename(
            {"actor": ",".join(f"actor-number-{n}" for n in range(50)), "q": "word " * 100},
            fmt="csv",
            day=date(2026, 12, 3),
        )
        self.assertRegex(
            long, r"^atlas-events_actor-[A-Za-z0-9+\-]+_q-word-[a-z\-]+_2026-12-03\.csv$"
        )
        self.assertLessEqual(len(long), 200)
