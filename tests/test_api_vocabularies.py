"""/api/actors, /api/event-types, /api/timeline and /api/openapi.json."""

from datetime import date

from events.models import Event, EventType
from tests.test_api_events import ApiTestCase


class ActorAndTypeTests(ApiTestCase):
    fixtures = ["actors", "seed"]  # the gazetteer is loaded once for the session (conftest)

    def test_actors_carry_hierarchy_colour_and_published_counts(self):
        actors = {a["slug"]: a for a in self.get("/api/actors").json()["actors"]}
        self.assertEqual(actors["quds-force"]["parent"], actors["irgc"]["id"])
        self.assertRegex(actors["sdf"]["colour"], r"^#[0-9a-f]{6}$")
        published = Event.objects.published().filter(actors__slug="islamic-state").count()
        self.assertEqual(actors["islamic-state"]["events"], published)
        Event.objects.filter(actors__slug="islamic-state").update(status="in_review")
        actors = {a["slug"]: a for a in self.get("/api/actors").json()["actors"]}
        self.assertNotIn("islamic-state", actors)  # no published event: not public

    def test_only_what_published_events_use_is_public(self):
        """An actor or a place named only by an unreviewed or rejected event stays private,
        and editors working on such events change neither the ETag nor the cached bodies."""
        secret_actor = self.make_actor(name="Unreviewed militia", aliases=["Secret alias"])
        secret_place = self.make_place(name="Rejected hamlet")
        event = self.make_event(
            place=secret_place, status="rejected", actors={"actor1": secret_actor}
        )
        self.make_event(status="extracted", actors={"actor1": secret_actor})
        etags = {}
        for path in ["/api/actors", "/api/events?format=compact", "/api/events"]:
            response = self.get(path)
            self.assertNotIn("Unreviewed militia", response.content.decode())
            self.assertNotIn("Secret alias", response.content.decode())
            self.assertNotIn("Rejected hamlet", response.content.decode())
            etags[path] = response["ETag"]
        event.title = "An editor's work in progress"
        event.save()
        secret_actor.name = "Renamed militia"
        secret_actor.save()
        secret_place.name = "Renamed hamlet"
        secret_place.save()
        for path, etag in etags.items():
            self.assertEqual(self.client.get(path, HTTP_IF_NONE_MATCH=etag).status_code, 304)
        event.status = "published"
        event.save()
        response = self.get("/api/actors")
        self.assertIn("Renamed militia", response.content.decode())
        self.assertNotEqual(response["ETag"], etags["/api/actors"])
        compact = self.get("/api/events", format="compact").json()
        self.assertIn("Renamed hamlet", compact["places"].values())
        self.assertIn(["Deir ez-Zor", 1, "SY09", None], compact["units"].values())

    def test_event_types_are_acleds_with_their_sub_types(self):
        types = self.get("/api/event-types").json()["types"]
        self.assertEqual([t["value"] for t in types], list(EventType.values))
        self.assertEqual(sum(len(t["subtypes"]) for t in types), 25)

    def test_the_openapi_document_describes_every_endpoint(self):
        doc = self.get("/api/openapi.json").json()
        self.assertEqual(doc["openapi"], "3.1.0")
        for path in (
            "/api/events",
            "/api/events/{id}",
            "/api/actors",
            "/api/event-types",
            "/api/timeline",
        ):
            self.assertIn(path, doc["paths"])
        names = {p["name"] for p in doc["paths"]["/api/events"]["get"]["parameters"]}
        self.assertEqual(
            names,
            {
                "start",
                "end",
                "actor",
                "type",
                "subtype",
                "governorate",
                "district",
                "subdistrict",
                "bbox",
                "q",
                "format",
                "layout",
            },
        )


class TimelineTests(ApiTestCase):
    def test_it_counts_per_month_and_tells_precise_from_spread(self):
        place = self.make_place()
        self.make_event(place=place, date_start=date(2023, 9, 17), date_end=date(2023, 9, 17))
        self.make_event(place=place, date_start=date(2023, 9, 1), date_end=date(2023, 9, 30))
        self.make_event(place=place, date_start=date(2023, 9, 25), date_end=date(2023, 10, 5))
        self.make_event(place=place, date_start=date(2023, 12, 2), date_end=date(2023, 12, 2))
        self.make_event(
            place=place,
            date_start=date(2023, 12, 3),
            date_end=date(2023, 12, 3),
            status="extracted",
        )
        body = self.get("/api/timeline").json()
        self.assertEqual(body["interval"], "month")
        self.assertEqual(
            body["bins"],
            [
                {"start": "2023-09-01", "count": 3, "precise": 2},
                {"start": "2023-12-01", "count": 1, "precise": 1},
            ],
        )
        days = self.get("/api/timeline", interval="day", start="2023-12-01").json()["bins"]
        self.assertEqual(days, [{"start": "2023-12-02", "count": 1, "precise": 1}])

    def test_a_bad_interval_is_a_400(self):
        body = self.get("/api/timeline", status=400, interval="fortnight").json()
        self.assertIn("interval", body["parameters"])

    def test_each_endpoint_refuses_the_others_parameters(self):
        timeline = self.get("/api/timeline", status=400, format="csv").json()
        self.assertIn("unknown parameter 'format'", timeline["parameters"]["parameters"])
        events = self.get("/api/events", status=400, interval="week").json()
        self.assertIn("unknown parameter 'interval'", events["parameters"]["parameters"])
