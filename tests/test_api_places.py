"""/api/places (the map's place search and village names) and /api/units/{pcode} (a unit's
outline), on the built gazetteer."""

from events.gazetteer.geocoder import flat_km
from events.models import Place
from tests.test_api_events import ApiTestCase


class PlaceSearchTests(ApiTestCase):
    def search(self, q: str, **params) -> list[dict]:
        return self.get("/api/places", q=q, **params).json()["places"]

    def test_any_spelling_finds_the_town_first_arabic_included(self):
        mayadin = Place.objects.get(slug="al-mayadin")
        for spelling in ("Mayadin", "al-Mayadeen", "Al Mayadin", "mayadin", "الميادين", "Maya"):
            with self.subTest(spelling=spelling):
                found = self.search(spelling)
                self.assertEqual(found[0]["id"], mayadin.pk, [p["name"] for p in found])
                self.assertEqual(found[0]["governorate"], "Deir ez-Zor")
                self.assertEqual(found[0]["district"], "Al Mayadin")

    def test_a_village_is_found_with_its_units(self):
        found = self.search("Gharanij")
        self.assertEqual(found[0]["kind"], "village")
        self.assertEqual(
            (found[0]["governorate"], found[0]["district"], found[0]["subdistrict"]),
            ("Deir ez-Zor", "Abu Kamal", "Hajin"),
        )
        gharanij = Place.objects.get(pk=found[0]["id"])
        point = (found[0]["latitude"], found[0]["longitude"])
        self.assertLess(flat_km(point, (gharanij.latitude, gharanij.longitude)), 0.01)

    def test_a_place_no_published_event_uses_stays_private(self):
        """A name typed for an unreviewed candidate is not public; the gazetteer is."""
        secret = self.make_place(name="Qaryat al-Sirr", slug="secret-hamlet")
        self.assertNotIn(secret.pk, [p["id"] for p in self.search("Qaryat al-Sirr")])
        self.make_event(place=secret, status="published")
        self.assertEqual(self.search("Qaryat al-Sirr")[0]["id"], secret.pk)

    def test_hostile_or_empty_queries_are_refused_cleanly(self):
        self.assertEqual(self.search("<script>alert(1)</script>"), [])
        for params in ({"q": ""}, {"q": "a\x00b"}, {"q": "Hajin", "bbox": "40,34"}):
            with self.subTest(params=params):
                response = self.client.get("/api/places", params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("parameters", response.json())
        self.assertEqual(self.client.get("/api/places", {"q": "Hajin", "x": "1"}).status_code, 400)
        self.assertEqual(self.client.post("/api/places", {"q": "Hajin"}).status_code, 405)


class PlacesInBoxTests(ApiTestCase):
    def test_the_places_in_a_box_come_most_important_first(self):
        box = "40.0,34.3,41.0,35.5"  # the Euphrates from Deir ez-Zor to Abu Kamal
        body = self.get("/api/places", bbox=box, limit=50).json()
        rows = body["places"]
        self.assertEqual(len(rows), 50)
        self.assertTrue(body["truncated"])
        self.assertEqual(rows[0][1], "Deir ez-Zor")  # the largest town there
        populations = [r[4] or 0 for r in rows]
        self.assertEqual(populations, sorted(populations, reverse=True))
        for _, _, lat, lon, _, kind in rows:
            self.assertTrue(34.3 <= lat <= 35.5 and 40.0 <= lon <= 41.0)
            self.assertNotIn(kind, ("governorate", "district", "subdistrict"))
        everything = self.get("/api/places", bbox=box, limit=2000).json()
        self.assertFalse(everything["truncated"])
        self.assertGreater(len(everything["places"]), 200)  # the villages are there

    def test_a_search_within_a_box_and_the_most_important_places(self):
        in_iraq = self.get("/api/places", q="Abu Khashab", bbox="41.5,35.5,42,36.5").json()
        self.assertTrue(in_iraq["places"])
        self.assertEqual({p["country"] for p in in_iraq["places"]}, {"IQ"})
        everywhere = self.get("/api/places", q="Abu Khashab", limit=20).json()["places"]
        self.assertGreater(len(everywhere), len(in_iraq["places"]))
        top = self.get("/api/places", limit=3).json()["places"]
        self.assertEqual(len(top), 3)
        self.assertGreater(top[0][4], 1_000_000)  # Baghdad, Damascus or Aleppo

    def test_a_bad_box_is_a_400(self):
        for bbox in ("41,34,40,35", "a,b,c,d", "40,34,41"):
            with self.subTest(bbox=bbox):
                self.assertEqual(self.client.get("/api/places", {"bbox": bbox}).status_code, 400)
        response = self.client.get("/api/places", {"bbox": "40,34,41,35", "limit": "0"})
        self.assertEqual(response.status_code, 400)


class UnitOutlineTests(ApiTestCase):
    def test_a_unit_comes_with_its_outline_and_the_units_above_it(self):
        response = self.get("/api/units/SY090300")
        self.assertEqual(response["Content-Type"], "application/geo+json")
        feature = response.json()
        self.assertEqual(feature["type"], "Feature")
        self.assertIn(feature["geometry"]["type"], ("Polygon", "MultiPolygon"))
        props = feature["properties"]
        self.assertEqual((props["level"], props["governorate"]), (3, "Deir ez-Zor"))
        self.assertEqual(props["district"], "Al Mayadin")
        self.assertTrue(props["name_ar"])
        iraq = self.get("/api/units/IQ.01").json()
        self.assertEqual(iraq["properties"]["name"], "Anbar")
        self.assertIsNotNone(iraq["geometry"])

    def test_an_unknown_or_non_unit_pcode_is_a_404(self):
        village = Place.objects.exclude(pcode="").exclude(kind__endswith="district").first()
        for pcode in ("SY99", "<b>", village.pcode if village.kind == "village" else "C9999"):
            with self.subTest(pcode=pcode):
                response = self.client.get(f"/api/units/{pcode}")
                self.assertEqual(response.status_code, 404)
                self.assertIn("P-code", response.json()["error"])
