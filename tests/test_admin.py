"""The editors' admin: lists, filters, search by any spelling, evidence, roles."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, Place
from tests.base import AtlasTestCase


class AdminTests(AtlasTestCase):
    fixtures = ["actors", "seed"]  # the gazetteer is loaded once for the session (conftest)

    def setUp(self):
        self.client.force_login(self.editor)

    def get(self, name: str, *args, **params):
        response = self.client.get(reverse(f"admin:{name}", args=args), params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response

    def test_the_event_list_shows_date_type_place_actors_and_status(self):
        response = self.get("events_event_changelist")
        self.assertContains(response, "ISIS attacks the Syrian army near the T3 pumping station")
        self.assertContains(response, "T3 pumping station")
        self.assertContains(response, "Islamic State (ISIS)")
        self.assertContains(response, "2023-12-01 → 12-28 (within a month)")

    def test_the_event_list_costs_the_same_queries_for_few_or_many_events(self):
        def count(**params) -> int:
            with CaptureQueriesContext(connection) as queries:
                self.get("events_event_changelist", **params)
            return len(queries)

        few = count(q="Coalition live-fire")
        many = count()
        self.assertEqual(few, many)

    def test_it_filters_events_by_status_type_actor_governorate_and_date(self):
        militias = self.get("events_event_changelist", actor=self.actor_pk("iran-backed-militias"))
        self.assertContains(militias, "Zainebiyoun")  # via the IRGC shipment event's member
        self.assertNotContains(militias, "5th Corps shells")
        homs = self.get("events_event_changelist", admin1=Place.objects.get(pcode="SY04").pk)
        self.assertContains(homs, "Palmyra Military Airport")
        self.assertNotContains(homs, "Hajin")
        self.get("events_event_changelist", status="published", event_type="explosions")
        dated = self.get("events_event_changelist", date_start__gte="2023-01-01")
        self.assertNotContains(dated, "Hajin")

    def actor_pk(self, slug: str) -> int:
        from events.models import Actor

        return Actor.objects.get(slug=slug).pk

    def test_the_event_page_shows_the_evidence_sentence(self):
        event = Event.objects.get(import_ref="002-06")
        response = self.get("events_event_change", event.pk)
        self.assertContains(response, "The soldiers of the 5th Corps started a series of artillery")

    def test_report_text_is_escaped_in_the_admin(self):
        report = self.make_report("<script>alert(1)</script> Clashes in Hajin.")
        event = self.make_event(title="<img src=x onerror=alert(2)>")
        self.make_evidence(event, report, "<script>alert(1)</script> Clashes in Hajin.")
        page = self.get("events_report_change", report.pk).content.decode()
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertNotIn("<img src=x onerror=alert(2)>", page)
        self.assertIn("&lt;img src=x onerror=alert(2)&gt;", page)

    def test_the_report_page_lists_the_events_drawn_from_it(self):
        from events.models import Report

        report = Report.objects.get(published="2023-12-29")
        response = self.get("events_report_change", report.pk)
        self.assertContains(response, "IRGC sends ten trucks of drones and rockets")

    def test_places_are_found_by_any_spelling(self):
        for spelling in ("Albukamal", "Al-Bokamal", "Abu Kamal", "أبو كمال"):
            with self.subTest(spelling=spelling):
                response = self.get("events_place_changelist", q=spelling)
                self.assertContains(response, f"/admin/events/place/{self.abu_kamal().pk}/")

    def abu_kamal(self) -> Place:
        return Place.objects.get(slug="abu-kamal")

    def test_the_place_page_has_an_offline_map(self):
        response = self.get("events_place_change", self.abu_kamal().pk)
        self.assertContains(response, 'class="atlas-place-map"')
        self.assertContains(response, "/static/leaflet/leaflet.js")
        self.assertContains(response, "/static/events/place_map.js")
        self.assertNotContains(response, "tile.openstreetmap.org")

    def test_an_editor_adds_aliases_one_per_line(self):
        place = self.abu_kamal()
        url = reverse("admin:events_place_change", args=[place.pk])
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(aliases="Albukamal\nBoukamal City\n\n", outline="null", population="")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        place.refresh_from_db()
        self.assertEqual(place.aliases, ["Albukamal", "Boukamal City"])

    def test_it_refuses_coordinates_outside_the_region(self):
        place = self.abu_kamal()
        url = reverse("admin:events_place_change", args=[place.pk])
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(aliases="", outline="null", population="", latitude="40.9", longitude="34.4")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "outside Syria and Iraq")

    def test_an_editor_cannot_publish_but_a_reviewer_can(self):
        event = self.make_event(status=Event.Status.EXTRACTED)
        changelist = reverse("admin:events_event_changelist")
        action = {"action": "publish", "_selected_action": [event.pk]}
        self.client.post(changelist, action)
        event.refresh_from_db()
        self.assertEqual(event.status, "extracted")
        form = (
            self.client.get(reverse("admin:events_event_change", args=[event.pk]))
            .context["adminform"]
            .form
        )
        self.assertNotIn("published", [c[0] for c in form.fields["status"].choices])

        self.client.force_login(self.reviewer)
        self.client.post(changelist, action)
        event.refresh_from_db()
        self.assertEqual(event.status, "published")

    def test_an_editor_submits_events_for_review_in_bulk(self):
        events = [self.make_event(status=Event.Status.EXTRACTED) for _ in range(3)]
        self.client.post(
            reverse("admin:events_event_changelist"),
            {"action": "submit_for_review", "_selected_action": [e.pk for e in events]},
        )
        self.assertEqual(Event.objects.filter(status="in_review").count(), 3)

    def test_the_actor_list_and_autocomplete_work(self):
        self.assertContains(self.get("events_actor_changelist", q="Daesh"), "Islamic State (ISIS)")
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "events",
                "model_name": "eventactor",
                "field_name": "actor",
                "term": "IRGC",
            },
        )
        self.assertContains(response, "Islamic Revolutionary Guard Corps")
