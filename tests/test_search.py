"""Search that finds (events/search.py): words ranked and stemmed over titles, descriptions,
evidence, report titles and sources; places in any spelling; hostile queries; the index
following edits; the map's search field. Every sentence here is invented."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.core.management import call_command
from django.db import connection

from events.curation.workflow import event_merge, event_unmerge
from events.models import Actor, Event, EventActor, EventSearch, Place
from tests.base import AtlasTestCase
from tests.browser import BrowserTestCase

MAYADIN_SPELLINGS = ["Mayadin", "al-Mayadin", "Mayadeen", "Al Mayadeen", "الميادين", "MAYADIN"]


class SearchTestCase(AtlasTestCase):
    spot: Place | None = None

    @classmethod
    def make_event(cls, **fields) -> Event:
        """Events at one shared place: a new place would make the gazetteer's index reload
        (seconds) at the next search."""
        if cls.spot is None:
            cls.spot = cls.make_place(name="Test farmstead")
        return super().make_event(**({"place": cls.spot} | fields))

    def ids(self, q: str, **params) -> list[int]:
        response = self.client.get("/api/events", {"q": q, "format": "ids", **params})
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.json()["ids"]

    def found(self, q: str) -> set[int]:
        return set(self.ids(q))


class SearchTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mayadin = Place.objects.get(slug="al-mayadin")
        district = Place.objects.get(pcode="SY0903")  # Al Mayadin district
        cls.at_mayadin = cls.make_event(
            title="Drone strike on a checkpoint", place=cls.mayadin, date_start=date(2021, 5, 2),
            date_end=date(2021, 5, 2),
        )  # fmt: skip
        cls.in_district = cls.make_event(
            title="Shepherd hurt by old ordnance",
            place=cls.make_place(name="Hamlet of Qasr", admin2=district),
        )
        cls.mentions = cls.make_event(
            title="Fighters cross the river",
            description="A convoy left Mayadeen at dawn towards the western bank.",
        )
        cls.elsewhere_drone = cls.make_event(title="Drone seen over a farm")
        cls.landmine = cls.make_event(
            title="Landmines cleared from a road", description="Two landmines were removed."
        )
        cls.ambushed = cls.make_event(title="Patrol ambushed near the ferry")
        cls.quoted = cls.make_event(title="Incident at the market")
        report = cls.make_report(
            "Morning notes. Gatherers of truffle were attacked by gunmen. More later.",
            title="Weekly bulletin on saffron smuggling",
        )
        cls.make_evidence(cls.quoted, report, "Gatherers of truffle were attacked by gunmen.")
        cls.sourced = cls.make_event(
            title="Incident at the well",
            source_text="Outlet,2021-01-01,Beekeepers' hives burned by unknown men",
        )
        cls.hidden = cls.make_event(
            title="Drone strike never reviewed", place=cls.mayadin, status=Event.Status.IN_REVIEW
        )

    def test_every_spelling_of_a_place_finds_the_same_events(self):
        expected = {self.at_mayadin.pk, self.in_district.pk, self.mentions.pk}
        for spelling in MAYADIN_SPELLINGS:
            with self.subTest(spelling=spelling):
                self.assertEqual(self.found(spelling), expected)

    def test_a_place_and_a_word_find_the_events_there_with_that_word(self):
        self.assertEqual(self.found("Mayadin drone"), {self.at_mayadin.pk})
        self.assertEqual(self.found("drones Mayadeen"), {self.at_mayadin.pk})
        self.assertEqual(self.found("drone"), {self.at_mayadin.pk, self.elsewhere_drone.pk})

    def test_words_are_stemmed(self):
        for a, b in [("landmine", "landmines"), ("ambush", "ambushed"), ("drone", "drones")]:
            with self.subTest(word=a):
                self.assertEqual(self.found(a), self.found(b))
                self.assertTrue(self.found(a))
        self.assertEqual(self.found("ambushing"), {self.ambushed.pk})

    def test_it_finds_words_only_in_evidence_report_titles_and_sources(self):
        self.assertEqual(self.found("truffle"), {self.quoted.pk})
        self.assertEqual(self.found("saffron smuggling"), {self.quoted.pk})
        self.assertEqual(self.found("beekeepers hives"), {self.sourced.pk})
        self.assertEqual(self.found("truffle beekeepers"), set())  # every word is required

    def test_an_ordinary_word_that_is_also_a_village_name_stays_a_word(self):
        # "town" is the key of villages (Tauneh); the texts use it as a word, so it finds text.
        town = self.make_event(title="Shelling of the town centre")
        self.assertEqual(self.found("town"), {town.pk})

    def test_hostile_and_odd_queries_never_fail_nor_inject(self):
        queries = [
            '"', '""', "*", "-", "a:b", "NEAR(drone, strike)", "drone AND", "OR", "NOT drone",
            "(drone", "drone)", "^drone", "drone*", "title:drone", "'; DROP TABLE events_event; --",
            "%", "_", "\\", "drone' OR '1'='1", "x" * 200, "🙂🙂", "الميادين 🙂", "the of and",
            "\u200b", "{}[]|&!~<>=", "Mayadin " * 22, "ＤＲＯＮＥ",
        ]  # fmt: skip
        for q in queries:
            with self.subTest(q=q):
                ids = self.ids(q)
                self.assertTrue(
                    set(ids) <= set(Event.objects.published().values_list("pk", flat=True))
                )
        self.assertEqual(self.found("NOT drone"), self.found("drone"))  # words, not operators
        self.assertEqual(self.found('"drone*'), self.found("drone"))
        self.assertEqual(self.found("ＤＲＯＮＥ"), self.found("drone"))
        self.assertEqual(self.found("the of and"), set())  # nothing left to look for
        self.assertEqual(self.client.get("/api/events", {"q": "x" * 201}).status_code, 400)
        self.assertTrue(Event.objects.exists())

    def test_results_are_ranked_title_before_description_before_sources(self):
        in_sources = self.make_event(title="Report of fire", source_text="Outlet: a kestrel nest")
        in_title = self.make_event(title="Kestrel killed by a power line")
        in_description = self.make_event(
            title="Power cut", description="Workers found a dead kestrel by the line."
        )
        expected = [in_title.pk, in_description.pk, in_sources.pk]
        self.assertEqual(self.ids("kestrel"), expected)
        features = self.client.get("/api/events", {"q": "kestrel"}).json()["features"]
        self.assertEqual([f["id"] for f in features], expected)
        response = self.client.get("/api/events", {"q": "kestrel", "format": "csv"})
        rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
        self.assertEqual([int(r["atlas_id"]) for r in rows], expected)
        # Events a place's name finds only by where they are come after those that say it.
        self.assertEqual(self.ids("Mayadeen")[0], self.mentions.pk)

    def test_the_index_follows_edits(self):
        event = self.make_event(title="Quiet day at the crossing")
        self.assertEqual(self.found("caravan"), set())
        event.title = "A caravan stopped at the crossing"
        event.save()
        self.assertEqual(self.found("caravan"), {event.pk})
        self.assertEqual(self.found("quiet"), set())
        report = self.make_report("Intro. Smugglers used mules on the hill path. End.")
        evidence = self.make_evidence(event, report, "Smugglers used mules on the hill path.")
        self.assertEqual(self.found("mules"), {event.pk})
        report.title = "Notes on pistachio orchards"
        report.save()
        self.assertEqual(self.found("pistachio"), {event.pk})
        evidence.delete()
        self.assertEqual(self.found("mules pistachio"), set())
        event.status = Event.Status.IN_REVIEW
        event.save()
        self.assertEqual(self.found("caravan"), set())
        event.delete()
        self.assertFalse(EventSearch.objects.filter(event_id=event.pk).exists())

    def test_a_merged_event_lends_its_sources_to_its_survivor(self):
        survivor = self.make_event(title="Attack on a bakery")
        duplicate = self.make_event(
            title="Bakery attacked", source_text="Outlet,2021-02-02,Bakery owner hurt by grenade"
        )
        self.assertEqual(self.found("grenade"), {duplicate.pk})
        event_merge(duplicate, survivor, self.reviewer)
        self.assertEqual(self.found("grenade"), {survivor.pk})
        event_unmerge(Event.objects.get(pk=duplicate.pk), self.reviewer)
        self.assertEqual(self.found("grenade"), {duplicate.pk})

    def test_rebuild_search_makes_the_index_again(self):
        EventSearch.objects.all().delete()
        if connection.vendor == "sqlite":  # as a later table rebuild would: no triggers
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER events_eventsearch_insert")
        self.assertEqual(self.found("truffle"), set())
        call_command("rebuild_search", verbosity=0)
        self.assertEqual(self.found("truffle"), {self.quoted.pk})
        self.assertEqual(self.found("Mayadeen"), self.found("al-Mayadin"))
        fresh = self.make_event(title="Bridge repaired with cables")  # the triggers are back
        self.assertEqual(self.found("cables"), {fresh.pk})

    def test_other_filters_still_apply(self):
        isis = Actor.objects.create(name="Test group", slug="test-group", kind=2)
        EventActor.objects.create(event=self.at_mayadin, actor=isis, role="actor1")
        self.assertEqual(self.found("drone"), {self.at_mayadin.pk, self.elsewhere_drone.pk})
        self.assertEqual(set(self.ids("drone", actor="test-group")), {self.at_mayadin.pk})
        self.assertEqual(set(self.ids("drone", end="2020-01-01")), {self.elsewhere_drone.pk})
        timeline = self.client.get("/api/timeline", {"q": "Mayadeen", "interval": "month"})
        self.assertEqual(sum(b["count"] for b in timeline.json()["bins"]), 3)


class MapSearchTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]

    def test_two_spellings_in_the_search_field_give_the_same_count(self):
        mayadin = Place.objects.get(slug="al-mayadin")
        Event.objects.create(
            title="Night raid on a depot", description="Invented for the test, in Mayadeen.",
            event_type="battles", sub_event_type="armed_clash", date_start=date(2023, 3, 3),
            date_end=date(2023, 3, 3), place=mayadin, status=Event.Status.PUBLISHED,
        )  # fmt: skip
        expected = Event.objects.published().search("Mayadin").count()
        self.assertGreater(expected, 0)
        page = self.open_page("/")
        field = page.get_by_label("Search events (words, places, any spelling)")
        self.assertEqual(field.get_attribute("placeholder"), "e.g. ambush, landmine, Mayadeen")
        counts = []
        for spelling in ("Mayadin", "Al Mayadeen"):
            field.fill(spelling)
            page.wait_for_function(
                f"() => document.querySelector('#count').textContent.startsWith('{expected} of')"
            )
            counts.append(int(page.locator("#count").inner_text().split(" of ")[0]))
        self.assertEqual(counts, [expected, expected])
        self.assertEqual(self.console_errors, [])
