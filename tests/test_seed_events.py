"""The curated seed: five reports, their events, and evidence quoted verbatim at its span."""

from django.core.management import call_command

from events.models import Actor, Event, Evidence, Report
from tests.base import AtlasTestCase


class SeedEventTests(AtlasTestCase):
    fixtures = ["actors", "seed"]  # the gazetteer is loaded once for the session (conftest)

    def test_it_holds_the_five_seed_reports(self):
        self.assertEqual(Report.objects.count(), 5)
        dated = Report.objects.exclude(published=None)
        self.assertEqual([str(r.published) for r in dated], ["2023-12-29"])
        for report in Report.objects.filter(published=None):
            self.assertGreater(len(report.published_note), 40, report.title)

    def test_it_publishes_at_least_twenty_events_with_evidence(self):
        published = Event.objects.published()
        self.assertGreaterEqual(published.count(), 20)
        for event in published:
            with self.subTest(event=event.import_ref):
                self.assertTrue(event.evidence.exists())
                self.assertTrue(event.event_actors.filter(role="actor1").exists())
                self.assertIsNotNone(event.place)
                self.assertEqual(
                    (event.latitude, event.longitude), (event.place.latitude, event.place.longitude)
                )
                event.full_clean()

    def test_it_quotes_every_evidence_verbatim_at_its_span(self):
        for evidence in Evidence.objects.select_related("report"):
            with self.subTest(evidence=evidence.pk):
                self.assertEqual(
                    evidence.report.text[evidence.start : evidence.end], evidence.quote
                )
                evidence.full_clean()

    def test_it_draws_events_from_every_report(self):
        for report in Report.objects.all():
            self.assertTrue(Evidence.objects.filter(report=report).exists(), report.title)

    def test_it_dates_events_with_honest_precision(self):
        exact = Event.objects.get(import_ref="004-03")  # "On September 17" ... explosions heard
        self.assertEqual((str(exact.date_start), exact.date_precision), ("2023-09-17", 1))
        month = Event.objects.get(import_ref="003-01")  # "throughout December"
        self.assertEqual((str(month.date_start), str(month.date_end)), ("2023-12-01", "2023-12-28"))
        self.assertEqual(month.date_precision, 4)
        for event in Event.objects.filter(date_precision=1):
            self.assertEqual(event.date_start, event.date_end)
        for event in Event.objects.exclude(date_precision=1):
            self.assertLess(event.date_start, event.date_end)

    def test_it_loads_again_without_duplicates(self):
        counts = (Event.objects.count(), Evidence.objects.count(), Actor.objects.count())
        call_command("loaddata", "places", "actors", "seed", verbosity=0)
        self.assertEqual(
            (Event.objects.count(), Evidence.objects.count(), Actor.objects.count()), counts
        )

    def test_load_fixtures_leaves_an_existing_database_alone(self):
        event = Event.objects.get(import_ref="000-01")
        event.title = "Corrected by an editor"
        event.save()
        call_command("load_fixtures", if_empty=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        event.refresh_from_db()
        self.assertEqual(event.title, "Corrected by an editor")


class SeedActorTests(AtlasTestCase):
    fixtures = ["actors"]

    def test_it_knows_the_aliases_of_isis(self):
        isis = Actor.objects.get(slug="islamic-state")
        for alias in ("Isis", "Daesh", "Islamic State", "IS"):
            self.assertIn(alias, isis.all_names())

    def test_it_nests_units_and_militias_in_their_forces(self):
        self.assertEqual(Actor.objects.get(slug="5th-corps").parent.slug, "syrian-army")
        self.assertEqual(Actor.objects.get(slug="quds-force").parent.slug, "irgc")
        umbrella = Actor.objects.filter(slug="iran-backed-militias").with_descendants()
        self.assertTrue(
            {"kataib-hezbollah", "fatemiyoun", "zainebiyoun"}
            <= set(umbrella.values_list("slug", flat=True))
        )

    def test_every_actor_has_a_kind_and_a_valid_family(self):
        for actor in Actor.objects.all():
            actor.full_clean()
