"""`build_gazetteer` reproduces the committed fixture byte for byte from its sources."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase

from events.gazetteer.admin1 import GOVERNORATES

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "places.json"


class GazetteerBuildTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.places = [o["fields"] for o in json.loads(FIXTURE.read_text(encoding="utf-8"))]

    def test_it_rebuilds_the_committed_fixture_byte_for_byte(self):
        output = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "p.json"
        call_command("build_gazetteer", output=output, stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(output.read_bytes(), FIXTURE.read_bytes())

    def test_it_holds_at_least_450_places_in_syria_and_iraq(self):
        self.assertGreaterEqual(len(self.places), 450)
        for place in self.places:
            self.assertTrue(29 <= place["latitude"] <= 37.5, place["slug"])
            self.assertTrue(35.5 <= place["longitude"] <= 48.8, place["slug"])
            self.assertIn(place["country"], ("SY", "IQ"))

    def test_it_gives_every_place_its_governorate(self):
        for place in self.places:
            self.assertEqual(place["governorate"], GOVERNORATES[place["admin1_code"]][0])

    def test_it_names_the_source_of_every_place(self):
        supplement = [p for p in self.places if p["geonames_id"] is None]
        self.assertGreaterEqual(len(supplement), 30)
        for place in self.places:
            self.assertTrue(place["source"].strip(), place["slug"])
        for place in supplement:
            self.assertTrue(
                place["source"].startswith(("Atlas supplement: ", "GeoNames admin1")), place["slug"]
            )

    def test_it_adds_what_geonames_lacks(self):
        kinds = {p["kind"] for p in self.places if p["geonames_id"] is None}
        for kind in ("base", "airport", "oil_gas_field", "facility", "camp", "area", "river"):
            self.assertIn(kind, kinds)

    def test_it_keeps_arabic_names_and_drops_codes(self):
        abu_kamal = next(p for p in self.places if p["slug"] == "abu-kamal")
        self.assertEqual(abu_kamal["name_ar"], "أبو كمال")
        deir = next(p for p in self.places if p["slug"] == "deir-ez-zor")
        self.assertNotIn("DEZ", deir["aliases"])
