"""`build_gazetteer` reproduces the committed fixture byte for byte from its sources, and the
fixture holds what the region's reports name: every Syrian community and populated place in
its governorate, district and subdistrict, one place per real place, with its spellings."""

import gzip
import json
import tempfile
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "places.json.gz"
UNITS = ("governorate", "district", "subdistrict")


class GazetteerBuildTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        objects = json.loads(gzip.decompress(FIXTURE.read_bytes()))
        cls.places = [o["fields"] for o in objects]
        cls.by_slug = {p["slug"]: p for p in cls.places}

    def test_it_rebuilds_the_committed_fixture_byte_for_byte(self):
        output = Path(self.enterContext(tempfile.TemporaryDirectory())) / "places.json.gz"
        call_command("build_gazetteer", output=output, stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(output.read_bytes(), FIXTURE.read_bytes())

    def test_every_syrian_place_lies_in_its_governorate_district_and_subdistrict(self):
        syrian = [p for p in self.places if p["country"] == "SY" and p["kind"] not in UNITS]
        self.assertGreaterEqual(len(syrian), 10_000)
        for place in syrian:
            self.assertTrue(place["admin1"] and place["admin2"] and place["admin3"], place["slug"])
            for level, unit in zip(UNITS, ("admin1", "admin2", "admin3"), strict=True):
                self.assertEqual(self.by_slug[place[unit][0]]["kind"], level)
        counts = Counter(p["admin1"][0] for p in syrian)
        self.assertGreaterEqual(counts["deir-ez-zor-governorate-sy"], 350)
        self.assertGreaterEqual(counts["raqqa-governorate-sy"], 900)

    def test_units_carry_p_codes_arabic_names_and_outlines(self):
        units = Counter((p["country"], p["kind"]) for p in self.places if p["kind"] in UNITS)
        self.assertEqual(units[("SY", "governorate")], 14)
        self.assertEqual(units[("SY", "district")], 62)
        self.assertEqual(units[("SY", "subdistrict")], 272)
        self.assertEqual(units[("IQ", "governorate")], 18)
        deir = self.by_slug["deir-ez-zor-governorate-sy"]
        self.assertEqual((deir["pcode"], deir["name_ar"]), ("SY09", "دير الزور"))
        self.assertIn("Dayr az Zawr", deir["aliases"])
        self.assertIn(deir["outline"]["type"], ("Polygon", "MultiPolygon"))
        hajin = self.by_slug["hajin-subdistrict-sy"]
        self.assertEqual(hajin["admin2"], ["abu-kamal-district-sy"])

    def test_a_geonames_place_and_an_ocha_community_that_are_one_village_are_one_place(self):
        hajin = self.by_slug["hajin"]
        self.assertEqual((hajin["pcode"], hajin["geonames_id"]), ("C5175", 174506))
        self.assertIn("OCHA", hajin["source"])
        self.assertIn("GeoNames", hajin["source"])
        self.assertEqual(hajin["name_ar"], "هجين")
        keys = set(hajin["search_keys"].split())
        self.assertIn("hajin", keys)
        self.assertIn("ar:هجين", keys)
        ids = Counter(p["geonames_id"] for p in self.places if p["geonames_id"])
        self.assertEqual(ids.most_common(1)[0][1], 1)  # no GeoNames id held twice

    def test_iraq_holds_the_border_governorates_whole_and_the_towns_elsewhere(self):
        iraqi = Counter(
            p["admin1"][0] for p in self.places if p["country"] == "IQ" and p["kind"] not in UNITS
        )
        self.assertGreater(iraqi["anbar-governorate-iq"], 500)
        self.assertGreater(iraqi["nineveh-governorate-iq"], 1500)
        self.assertLess(iraqi["basra-governorate-iq"], 50)
        self.assertIn("al-qaim", self.by_slug)

    def test_every_place_names_its_source_and_the_supplement_keeps_what_open_data_lacks(self):
        for place in self.places:
            self.assertTrue(place["source"].strip(), place["slug"])
        kinds = {p["kind"] for p in self.places if p["source"].startswith("Atlas supplement")}
        for kind in ("base", "airport", "oil_gas_field", "facility", "camp", "area", "river"):
            self.assertIn(kind, kinds)
        tanf = self.by_slug["al-tanf-deconfliction-zone"]
        self.assertIn("55 km zone", tanf["aliases"])  # curated spellings are kept as written

    def test_slugs_that_fixtures_and_gold_files_use_stay(self):
        for slug in ("abu-kamal", "hajin", "al-mayadin", "deir-ez-zor", "al-shuhayl", "dhiban"):
            self.assertIn(slug, self.by_slug)
        self.assertEqual(self.by_slug["abu-kamal"]["name"], "Abu Kamal")
        self.assertEqual(self.by_slug["abu-kamal"]["name_ar"], "البوكمال")
