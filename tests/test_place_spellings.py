"""Real spellings of eastern Syrian places, as the development reports write them (and as a
reader types them in Arabic), resolve to the right place within 5 km, given the governorate
the report names. The list, fixtures/gold/place_spellings.tsv, was compiled from the dev split
of the corpus (files 001-100) and the seed reports by a separate annotator, each spelling
identified in OCHA's or GeoNames' data; rows it marks uncertain, or that only the report's
own context can tell from a namesake, are kept in the file and left out here."""

import csv
from pathlib import Path

from django.conf import settings

from events.gazetteer.geocoder import Gazetteer, flat_km
from tests.base import AtlasTestCase

SPELLINGS = Path(settings.BASE_DIR) / "fixtures" / "gold" / "place_spellings.tsv"


class PlaceSpellingTests(AtlasTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with SPELLINGS.open(encoding="utf-8") as handle:
            cls.rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["status"] == "test"]

    def test_the_list_is_large_villages_and_arabic_included(self):
        self.assertGreaterEqual(len(self.rows), 150)
        arabic = [r for r in self.rows if r["where_seen"] == "arabic"]
        self.assertGreaterEqual(len(arabic), 25)
        towns = {"C5086", "C5710", "C4446", "C5192", "C5167", "C2889", "C4406", "C4790"}
        self.assertGreaterEqual(sum(r["expected_id"] not in towns for r in self.rows), 100)

    def test_every_spelling_resolves_to_its_place_within_5_km(self):
        geocoder = Gazetteer()
        wrong = []
        for row in self.rows:
            found = geocoder.geocode(row["spelling"], within=row["admin1"])
            expected = (float(row["latitude"]), float(row["longitude"]))
            km = flat_km((found.latitude, found.longitude), expected) if found else None
            if km is None or km > 5:
                wrong.append(
                    f"{row['spelling']} ({row['expected_id']}): {found and found.raw['slug']}"
                )
        self.assertEqual(wrong, [])
