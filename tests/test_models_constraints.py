"""Integrity lives in the database: each constraint refuses a bad row on SQLite and PostgreSQL."""

from datetime import date

from django.db import IntegrityError, transaction

from events.models import Event, EventActor, Evidence, Report
from tests.base import AtlasTestCase


class ConstraintTests(AtlasTestCase):
    def assertRefused(self, create) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()

    def test_it_refuses_an_event_that_ends_before_it_starts(self):
        self.assertRefused(
            lambda: self.make_event(date_start=date(2020, 1, 2), date_end=date(2020, 1, 1))
        )

    def test_it_accepts_a_date_window(self):
        event = self.make_event(date_start=date(2020, 1, 1), date_end=date(2020, 1, 31))
        self.assertEqual((event.date_end - event.date_start).days, 30)

    def test_it_refuses_a_sub_type_of_another_type(self):
        self.assertRefused(lambda: self.make_event(event_type="battles", sub_event_type="attack"))

    def test_it_refuses_an_unknown_event_type(self):
        self.assertRefused(lambda: self.make_event(event_type="war", sub_event_type="armed_clash"))

    def test_it_refuses_out_of_range_precision_codes(self):
        self.assertRefused(lambda: self.make_event(date_precision=6))
        self.assertRefused(lambda: self.make_event(location_precision=8))

    def test_it_refuses_places_outside_the_globe(self):
        self.assertRefused(lambda: self.make_place(latitude=91))
        self.assertRefused(lambda: self.make_place(longitude=-181))

    def test_it_refuses_event_coordinates_outside_the_globe(self):
        self.assertRefused(
            lambda: self.make_event(place=None, own_coordinates=True, latitude=35, longitude=190)
        )

    def test_it_refuses_fatalities_out_of_order(self):
        self.assertRefused(lambda: self.make_event(fatalities_low=5, fatalities_best=3))
        self.assertRefused(lambda: self.make_event(fatalities_best=5, fatalities_high=3))
        self.assertRefused(lambda: self.make_event(fatalities_low=5, fatalities_high=3))

    def test_it_accepts_partial_fatality_estimates(self):
        event = self.make_event(fatalities_best=1, fatalities_low=1, fatalities_high=None)
        self.assertEqual(event.fatalities_best, 1)

    def test_it_refuses_a_merged_event_without_its_survivor(self):
        self.assertRefused(lambda: self.make_event(status=Event.Status.MERGED))
        survivor = self.make_event()
        self.assertRefused(lambda: self.make_event(merged_into=survivor))
        merged = self.make_event(status=Event.Status.MERGED, merged_into=survivor)
        self.assertEqual(merged.merged_into, survivor)

    def test_it_refuses_a_second_primary_actor_on_one_side(self):
        event = self.make_event(actors={"actor1": self.make_actor()})
        self.assertRefused(
            lambda: EventActor.objects.create(event=event, actor=self.make_actor(), role="actor1")
        )
        EventActor.objects.create(event=event, actor=self.make_actor(), role="assoc1")
        EventActor.objects.create(event=event, actor=self.make_actor(), role="assoc1")
        self.assertEqual(event.event_actors.count(), 3)

    def test_an_actor_may_hold_two_roles_but_not_one_role_twice(self):
        actor = self.make_actor()
        event = self.make_event(actors={"actor1": actor})
        EventActor.objects.create(event=event, actor=actor, role="actor2")  # ACLED: actor1 = actor2
        EventActor.objects.create(event=event, actor=actor, role="assoc2")
        self.assertRefused(
            lambda: EventActor.objects.create(event=event, actor=actor, role="assoc2")
        )

    def test_it_refuses_an_empty_or_reversed_evidence_span(self):
        report = self.make_report()
        event = self.make_event()
        self.assertRefused(
            lambda: Evidence.objects.create(event=event, report=report, quote="x", start=5, end=5)
        )

    def test_it_keeps_one_evidence_span_per_report_and_event(self):
        report = self.make_report("First sentence here. Second sentence there.")
        event = self.make_event()
        self.make_evidence(event, report, "First sentence here.")
        self.assertRefused(lambda: self.make_evidence(event, report, "Second sentence there."))

    def test_it_keeps_one_report_per_text(self):
        self.make_report("Same words,  twice.")
        self.assertRefused(lambda: self.make_report("Same words, twice."))

    def test_it_keeps_one_report_per_url(self):
        self.make_report(url="https://example.org/a")
        self.assertRefused(lambda: self.make_report(url="https://example.org/a"))
        self.make_report(url="")
        self.make_report(url="")
        self.assertEqual(Report.objects.filter(url="").count(), 2)

    def test_it_refuses_an_undated_report_without_a_note(self):
        self.assertRefused(lambda: self.make_report(published=None))
        report = self.make_report(published=None, published_note="No date in the text.")
        self.assertIsNone(report.published)

    def test_it_refuses_one_import_reference_twice_in_a_dataset(self):
        self.make_event(dataset="ucdp", import_ref="123")
        self.make_event(dataset="acled", import_ref="123")
        self.assertRefused(lambda: self.make_event(dataset="ucdp", import_ref="123"))

    def test_it_refuses_an_actor_as_its_own_parent(self):
        actor = self.make_actor()
        actor.parent = actor
        self.assertRefused(actor.save)
