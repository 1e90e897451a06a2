"""The QuerySet methods the map and the admin filters are built on."""

from datetime import date

from events.models import Event
from tests.base import AtlasTestCase


class EventQuerySetTests(AtlasTestCase):
    def test_published_hides_everything_unreviewed(self):
        shown = self.make_event(status=Event.Status.PUBLISHED)
        for status in ("extracted", "in_review", "rejected"):
            self.make_event(status=status)
        self.assertEqual(list(Event.objects.published()), [shown])

    def test_between_keeps_events_whose_window_overlaps(self):
        month = self.make_event(date_start=date(2023, 12, 1), date_end=date(2023, 12, 31))
        day = self.make_event(date_start=date(2023, 12, 20), date_end=date(2023, 12, 20))
        self.make_event(date_start=date(2023, 11, 1), date_end=date(2023, 11, 30))
        found = Event.objects.between(date(2023, 12, 15), date(2023, 12, 25))
        self.assertEqual(set(found), {month, day})
        self.assertEqual(set(Event.objects.between(date(2023, 12, 21), None)), {month})

    def test_involving_an_umbrella_includes_its_members(self):
        umbrella = self.make_actor(name="Iran-backed militias umbrella")
        member = self.make_actor(parent=umbrella)
        unit = self.make_actor(parent=member)
        other = self.make_actor()
        by_member = self.make_event(actors={"actor1": member})
        by_unit = self.make_event(actors={"actor2": unit})
        self.make_event(actors={"actor1": other})
        self.assertEqual(set(Event.objects.involving(umbrella)), {by_member, by_unit})
        self.assertEqual(set(Event.objects.involving(unit)), {by_unit})

    def test_an_event_follows_its_place_unless_it_has_its_own_coordinates(self):
        place = self.make_place(latitude=35.0, longitude=40.0)
        follows = self.make_event(place=place)
        own = self.make_event(place=place, own_coordinates=True, latitude=35.1, longitude=40.1)
        place.latitude = 35.5
        place.save()
        follows.refresh_from_db()
        own.refresh_from_db()
        self.assertEqual(follows.latitude, 35.5)
        self.assertEqual(own.latitude, 35.1)
