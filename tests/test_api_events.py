"""GET /api/events and /api/events/<id>: published events only, filters, formats, errors."""

import csv
import gzip
import io
import json
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Place
from tests.base import AtlasTestCase


class ApiTestCase(AtlasTestCase):
    def get(self, url: str, status: int = 200, **params):
        response = self.client.get(url, params)
        if response.status_code != status:
            self.fail(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        return response

    def ids(self, **params) -> set[int]:
        body = self.get("/api/events", format="ids", **params).json()
        return set(body["ids"])


class EventListTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.isis = cls.make_actor(name="ISIS", slug="isis")
        cls.umbrella = cls.make_actor(name="Iran-backed militias", slug="militias")
        cls.fatemiyoun = cls.make_actor(name="Fatemiyoun", slug="fatemiyoun", parent=cls.umbrella)
        cls.hajin = cls.make_place(name="Hajin", latitude=34.69, longitude=40.83)
        cls.palmyra = cls.make_place(
            name="Palmyra", latitude=34.56, longitude=38.28, admin1=Place.objects.get(pcode="SY04")
        )
        cls.clash = cls.make_event(
            title="Clashes in Hajin",
            description="ISIS fighters attacked an SDF post at night.",
            place=cls.hajin,
            date_start=date(2018, 9, 10),
            date_end=date(2018, 9, 10),
            actors={"actor1": cls.isis},
        )
        cls.drill = cls.make_event(
            title="Drone training near Palmyra",
            event_type="strategic_developments",
            sub_event_type="other",
            place=cls.palmyra,
            date_start=date(2023, 9, 1),
            date_end=date(2023, 9, 30),
            date_precision=4,
            actors={"actor1": cls.fatemiyoun},
        )
        cls.hidden = cls.make_event(title="Unreviewed", status=Event.Status.EXTRACTED)

    def test_it_answers_geojson_with_published_events_only(self):
        response = self.get("/api/events")
        self.assertEqual(response["Content-Type"], "application/geo+json")
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual({f["id"] for f in body["features"]}, {self.clash.pk, self.drill.pk})
        clash = next(f for f in body["features"] if f["id"] == self.clash.pk)
        self.assertEqual(clash["geometry"], {"type": "Point", "coordinates": [40.83, 34.69]})
        self.assertEqual(
            clash["properties"]["actors"], [{"name": "ISIS", "slug": "isis", "role": "actor1"}]
        )
        self.assertEqual(clash["properties"]["date_start"], "2018-09-10")

    def test_it_filters_by_window_overlap(self):
        self.assertEqual(self.ids(start="2023-09-15", end="2023-09-20"), {self.drill.pk})
        self.assertEqual(self.ids(end="2019-01-01"), {self.clash.pk})

    def test_an_umbrella_actor_includes_its_members(self):
        self.assertEqual(self.ids(actor="militias"), {self.drill.pk})
        self.assertEqual(self.ids(actor="isis,fatemiyoun"), {self.clash.pk, self.drill.pk})

    def test_it_filters_by_type_subtype_governorate_bbox_and_text(self):
        self.assertEqual(self.ids(type="battles"), {self.clash.pk})
        self.assertEqual(self.ids(subtype="other"), {self.drill.pk})
        self.assertEqual(self.ids(governorate="Homs"), {self.drill.pk})
        self.assertEqual(self.ids(bbox="40,34,41.5,35.5"), {self.clash.pk})
        self.assertEqual(self.ids(q="sdf NIGHT"), {self.clash.pk})
        self.assertEqual(self.ids(q="Unreviewed"), set())

    def test_it_exports_csv_with_acled_column_names(self):
        response = self.get("/api/events", format="csv")
        self.assertEqual(response["Content-Type"], "text/csv")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(len(rows), 2)
        clash = next(r for r in rows if r["atlas_id"] == str(self.clash.pk))
        self.assertEqual(clash["event_date"], "2018-09-10")
        self.assertEqual(clash["event_type"], "Battles")
        self.assertEqual(clash["actor1"], "ISIS")
        self.assertEqual(clash["admin1"], "Deir ez-Zor")
        self.assertEqual(clash["time_precision"], "1")
        drill = next(r for r in rows if r["atlas_id"] == str(self.drill.pk))
        self.assertEqual((drill["time_precision"], drill["date_end"]), ("3", "2023-09-30"))

    def test_it_sends_compact_columns_compressed(self):
        response = self.client.get(
            "/api/events", {"format": "compact"}, HTTP_ACCEPT_ENCODING="gzip"
        )
        self.assertEqual(response["Content-Encoding"], "gzip")
        body = json.loads(gzip.decompress(response.content))
        self.assertEqual(body["count"], 2)
        for column in body["columns"].values():
            self.assertEqual(len(column), 2)
        i = body["columns"]["id"].index(self.drill.pk)
        self.assertEqual(body["columns"]["end"][i] - body["columns"]["start"][i], 29)
        roles = zip(body["role_event"], body["role_actor"], body["role"], strict=True)
        self.assertEqual(
            [(a, r) for e, a, r in roles if e == self.drill.pk], [(self.fatemiyoun.pk, 0)]
        )
        self.assertEqual(body["columns"]["type"][i], body["types"].index("strategic_developments"))
        self.assertEqual(body["places"][str(body["columns"]["place"][i])], "Palmyra")
        governorate = body["units"][str(body["columns"]["admin1"][i])]
        self.assertEqual(governorate, ["Homs", 1, "SY04", None])
        plain = self.get("/api/events", format="compact")
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(plain.json(), body)

    def test_it_compresses_geojson_and_csv_for_clients_that_accept_gzip(self):
        for fmt in ("geojson", "csv"):
            response = self.client.get("/api/events", {"format": fmt}, HTTP_ACCEPT_ENCODING="gzip")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Encoding"], "gzip")

    def test_it_answers_304_when_nothing_changed(self):
        first = self.get("/api/events")
        again = self.client.get("/api/events", HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        self.clash.title = "Renamed"
        self.clash.save()
        changed = self.client.get("/api/events", HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(changed.status_code, 200)

    def test_the_query_count_does_not_grow_with_the_events(self):
        def queries() -> int:
            cache.clear()  # the public ids are remembered per data version: count them too
            with CaptureQueriesContext(connection) as captured:
                self.get("/api/events")
            return len(captured)

        # The ETag: 1 for the events' version, 4 for the public ids, 4 for their versions
        # (none for an empty id list); then 5 for the rows.
        first = queries()
        self.assertLessEqual(first, 14)
        for _ in range(5):
            self.make_event(actors={"actor1": self.isis, "actor2": self.fatemiyoun})
        self.assertEqual(queries(), first)
        with self.assertNumQueries(9):  # the same version again: its public ids are known
            self.client.get("/api/events", {"type": "battles"})


class EventListErrorTests(ApiTestCase):
    def assertBadParameter(self, name: str, **params):
        response = self.get("/api/events", status=400, **params)
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        self.assertEqual(body["error"], "invalid parameters")
        self.assertIn(name, body["parameters"], body)
        return body

    def test_a_parameter_that_does_not_parse_is_a_400_naming_it(self):
        self.assertBadParameter("start", start="2023-13-01")
        self.assertBadParameter("end", end="yesterday")
        self.assertBadParameter("end", start="2023-02-01", end="2023-01-01")
        self.assertBadParameter("bbox", bbox="1,2,3")
        self.assertBadParameter("bbox", bbox="41,34,40,35")
        self.assertBadParameter("bbox", bbox="a,b,c,d")
        self.assertBadParameter("actor", actor="nobody")
        self.assertBadParameter("type", type="war")
        self.assertBadParameter("subtype", subtype="skirmish")
        self.assertBadParameter("governorate", governorate="Atlantis")
        self.assertBadParameter("format", format="xml")

    def test_an_unknown_parameter_is_a_400_naming_it(self):
        body = self.assertBadParameter("parameters", strat="2023-01-01")
        self.assertIn("unknown parameter 'strat'", body["parameters"]["parameters"])

    def test_hostile_values_never_cause_a_500(self):
        for value in ["'; DROP TABLE events_event; --", "<script>", "\u0000", "9" * 400, "%00"]:
            for name in ("start", "actor", "type", "bbox", "q", "governorate"):
                response = self.client.get("/api/events", {name: value})
                self.assertIn(response.status_code, (200, 400), (name, value))


class EventDetailTests(ApiTestCase):
    fixtures = ["actors", "seed"]  # the gazetteer is loaded once for the session (conftest)

    def test_it_gives_an_event_with_its_sources_and_evidence(self):
        event = Event.objects.get(import_ref="004-03")
        body = self.get(f"/api/events/{event.pk}").json()
        self.assertEqual(body["date_start"], "2023-09-17")
        self.assertEqual(body["place"]["name"], "Al-Hasian")
        self.assertEqual(body["place"]["governorate"], "Deir ez-Zor")
        self.assertEqual(body["sources"][0]["outlet"], "Syrian Observatory for Human Rights")
        self.assertTrue(body["sources"][0]["quote"].startswith("On September 17"))
        self.assertIn("IRGC", {a["name"].split("(")[-1].rstrip(")") for a in body["actors"]})

    def test_an_unknown_or_unpublished_id_is_a_404_in_json(self):
        response = self.get("/api/events/999999", status=404)
        self.assertEqual(response.json()["error"], "no published event with id 999999")
        event = Event.objects.get(import_ref="000-01")
        event.status = Event.Status.REJECTED
        event.save()
        self.get(f"/api/events/{event.pk}", status=404)
        self.assertNotIn(event.pk, self.ids())

    def test_an_unknown_api_path_is_a_404_in_json(self):
        response = self.get("/api/nothing-here", status=404)
        self.assertEqual(response["Content-Type"], "application/json")


class ConformanceTests(ApiTestCase):
    def test_a_method_other_than_get_is_a_405_in_json_naming_get(self):
        event = self.make_event()
        for path in ["/api/events", f"/api/events/{event.pk}", "/api/actors", "/api/timeline"]:
            for method in ("post", "put", "delete", "patch"):
                response = getattr(self.client, method)(path)
                self.assertEqual(response.status_code, 405, (method, path))
                self.assertEqual(response["Allow"], "GET, HEAD")
                self.assertIn("use GET", response.json()["error"])
            response = self.client.generic("QUERY", path)
            self.assertEqual(
                (response.status_code, response["Content-Type"]), (405, "application/json")
            )
        self.assertEqual(self.client.head("/api/events").status_code, 200)
        self.assertEqual(self.client.head("/").status_code, 200)  # monitors ask the page so

    def test_an_empty_parameter_is_a_400_not_no_filter(self):
        for name in ("start", "end", "actor", "bbox", "q", "format"):
            body = self.get("/api/events", status=400, **{name: ""}).json()
            self.assertIn("empty", body["parameters"][name][0])

    def test_every_endpoint_refuses_parameters_it_does_not_take(self):
        event = self.make_event()
        for path in [
            f"/api/events/{event.pk}",
            "/api/actors",
            "/api/event-types",
            "/api/openapi.json",
        ]:
            body = self.get(path, status=400, page="2").json()
            self.assertEqual(body["parameters"], {"parameters": ["unknown parameter 'page'"]})

    def test_an_id_beyond_any_row_is_a_404(self):
        body = self.get("/api/events/99999999999999999999999", status=404).json()
        self.assertIn("no published event", body["error"])
