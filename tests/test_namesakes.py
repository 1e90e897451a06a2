"""Namesakes: one name, several places of the gazetteer, and the report tells them apart.

The namesakes used here are real places of fixtures/places.json.gz:

- Al Baghdadi: a village of Deir ez-Zor (Basira) and a town of Anbar (Iraq).
- Abu Khashab: villages of Deir ez-Zor (Kisreh), Hasakah (twice) and Nineveh (Iraq).
- Khudayr: a village of Deir ez-Zor (Sur) and one of Nineveh (Iraq).
- Tawi: two villages of Raqqa and one of Anbar (Iraq).
- Shinan: a village of Idlib (Ariha) and one of Deir ez-Zor (Thiban).
- Hasrat: a village of Hama (As-Saan, Salamiyah) and one of Deir ez-Zor (Abu Kamal).
- Shaqra: villages of Deir ez-Zor and of Daraa (Izra), among others.
- Naqqarin: two villages of Aleppo's Jebel Saman district, one in the Haritan subdistrict, one
  in the Jebel Saman subdistrict, 3 km apart.
- Najaf, Karbala, Ramadi: Iraqi cities, and villages of Hasakah or Deir ez-Zor bearing the name.

The report texts are invented, in the style of SOHR and North Press.
"""

from datetime import date

from events.models import LocationPrecision as Where
from events.pipeline.actors import actors_find
from events.pipeline.candidates import report_candidates
from events.pipeline.places import places_find
from events.pipeline.text import sentences_split
from tests.base import AtlasTestCase

PUBLISHED = date(2024, 3, 8)  # a Friday


def candidates(text: str):
    return report_candidates(text, published=PUBLISHED, reference=PUBLISHED)


def where(text: str) -> list[str | None]:
    """The place of each candidate event of the report, in order (None: no place)."""
    return [c.place.slug if c.place else None for c in candidates(text)]


def mentions(text: str):
    actors = actors_find(text)
    return places_find(text, sentences_split(text), skip=[(a.start, a.end) for a in actors])


def mention(text: str, surface: str):
    return next(m for m in mentions(text) if m.surface == surface)


def resolved(text: str, surface: str) -> str | None:
    """The place a name of the report is read as (its slug)."""
    place = mention(text, surface).place
    return place.slug if place else None


class NamesakeTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def assert_places(self, cases: dict[str, str | None]) -> None:
        for text, slug in cases.items():
            with self.subTest(text):
                self.assertEqual(where(text), [slug])

    # 1. Syria or Iraq

    def test_a_village_of_deir_ez_zor_and_of_iraq_is_the_syrian_one_in_a_deir_ez_zor_report(self):
        """A name that villages of Deir ez-Zor and of Iraq share is the Deir ez-Zor village when
        the report is about the Deir ez-Zor countryside."""
        self.assert_places(
            {
                "Unknown gunmen shot dead a man in the village of Al-Baghdadi in the western "
                "Deir ez-Zor countryside on Monday.": "al-baghdadi-basira",
                "Unknown gunmen shot dead two SDF members in the village of Abu Khashab in the "
                "western Deir ez-Zor countryside on Monday.": "abu-khashab-kisreh",
                "Unknown gunmen shot dead a man in the village of Khudayr in the northern "
                "Deir ez-Zor countryside on Monday.": "khudayr-sur",
            }
        )

    def test_the_same_name_is_the_iraqi_village_when_the_text_names_its_iraqi_governorate(self):
        """Named with an Iraqi governorate ("in Anbar province", "in Nineveh province"), the same
        names are the Iraqi villages."""
        self.assert_places(
            {
                "Iraqi security forces arrested three ISIS suspects in the village of "
                "Al-Baghdadi in Anbar province on Monday.": "al-baghdadi-anbar",
                "Iraqi security forces arrested three ISIS suspects in the village of "
                "Abu Khashab in Nineveh province on Monday.": "abu-khashab-nineveh",
                "Iraqi security forces arrested three ISIS suspects in the village of Khudayr "
                "in Nineveh province on Monday.": "khudayr-nineveh",
                "Iraqi forces arrested two suspects in the village of Tawi in Anbar province "
                "on Monday.": "tawi-anbar",
            }
        )

    def test_an_iraqi_governorate_named_in_the_sentence_before_still_counts(self):
        """The governorate a report names in one sentence holds for the village it names in
        the next: Anbar as much as Nineveh."""
        self.assert_places(
            {
                "ISIS cells remain active in Nineveh province. On Monday, Iraqi forces arrested "
                "three suspects in the village of Abu Khashab.": "abu-khashab-nineveh",
                "ISIS cells remain active in Anbar province. On Monday, Iraqi forces arrested "
                "two suspects in the village of Tawi.": "tawi-anbar",
            }
        )

    def test_a_report_that_says_it_is_in_iraq_picks_the_iraqi_village(self):
        """A report that places itself in Iraq ("In Iraq, ...", "the Iraqi army ... the Iraqi
        Security Media Cell said") reads a shared village name as the Iraqi village."""
        self.assert_places(
            {
                "In Iraq, security forces arrested three ISIS suspects in the village of "
                "Abu Khashab on Monday.": "abu-khashab-nineveh",
                "The Iraqi army arrested three ISIS suspects in the village of Khudayr on "
                "Monday, the Iraqi Security Media Cell said.": "khudayr-nineveh",
            }
        )

    # 2. Two Syrian governorates

    def test_a_name_of_two_syrian_governorates_is_the_village_of_the_governorate_named(self):
        """A village name two Syrian governorates share is the village of the governorate the
        report names ("the southern Idlib countryside", "Idlib province", "the eastern Hama
        countryside", "the Daraa countryside")."""
        self.assert_places(
            {
                "Regime forces shelled the village of Shinan in the southern Idlib countryside "
                "on Monday.": "shinan-ariha",
                "Regime forces shelled the village of Shinan in Idlib province on Monday.": (
                    "shinan-ariha"
                ),
                "Unknown gunmen shot dead a man in the village of Shinan in the eastern "
                "Deir ez-Zor countryside on Monday.": "shinan-thiban",
                "ISIS cells attacked a shepherd in the village of Hasrat in the eastern Hama "
                "countryside on Monday.": "hasrat-as-saan",
                "ISIS cells attacked a shepherd in the village of Hasrat in the Salamiyah "
                "countryside on Monday.": "hasrat-as-saan",
                "Unknown gunmen shot dead a man in the village of Shaqra in the western "
                "Deir ez-Zor countryside on Monday.": "shaqra-deir-ez-zor",
                "Unknown gunmen shot dead a man in the village of Shaqra in the Daraa "
                "countryside on Monday.": "shaqra-izra",
            }
        )

    def test_a_village_in_the_district_or_subdistrict_the_text_names(self):
        """A named district or subdistrict picks its own village, even between two villages of
        one district a few km apart (Naqqarin of the Haritan subdistrict, Naqqarin of the Jebel
        Saman subdistrict)."""
        self.assert_places(
            {
                "Unknown gunmen shot dead a man in the village of Shinan in the Thiban "
                "subdistrict on Monday.": "shinan-thiban",
                "Regime forces shelled the village of Shinan in the Ariha district on Monday.": (
                    "shinan-ariha"
                ),
                "Unknown gunmen shot dead a man in the village of Shaqra in the Izra district "
                "on Monday.": "shaqra-izra",
                "Regime shelling hit the village of Naqqarin in the Haritan subdistrict on "
                "Monday.": "naqqarin-haritan",
                "Regime shelling hit the village of Naqqarin in the Jebel Saman subdistrict on "
                "Monday.": "naqqarin-jebel-saman",
            }
        )

    def test_with_no_unit_named_the_namesake_near_the_reports_other_places_wins(self):
        """With no governorate or district named, a shared name is the village near the other
        places the report names, in the same sentence or the next."""
        self.assertEqual(
            where("Regime forces shelled the villages of Shinan and Kafr Nabl on Monday."),
            ["shinan-ariha", "kafranbel"],
        )
        self.assertEqual(
            where(
                "Unknown gunmen shot dead a man in Shinan on Monday. SDF forces raided houses "
                "in Thiban and Al-Busayrah."
            )[0],
            "shinan-thiban",
        )
        self.assertEqual(
            where(
                "Unknown gunmen shot dead a man in the village of Hasrat on Monday. Iranian "
                "militias reinforced their posts in Al-Bukamal."
            )[0],
            "hasrat-abu-kamal",
        )

    # 3. Datelines

    def test_a_dateline_is_where_the_report_was_written_not_where_the_event_happened(self):
        """A dateline ("DAMASCUS (Reuters) -", "QAMISHLI, Syria —", "BEIRUT, Lebanon (AP) —"),
        after a headline too, is not the event's place: the body's place is."""
        self.assert_places(
            {
                "DAMASCUS (Reuters) - Unknown gunmen shot dead a man near Al-Bukamal on Monday, "
                "a war monitor said.": "abu-kamal",
                "QAMISHLI, Syria — The SDF arrested three ISIS suspects in the village of "
                "Abu Khashab in the western Deir ez-Zor countryside on Monday.": (
                    "abu-khashab-kisreh"
                ),
                "BEIRUT, Lebanon (AP) — Unknown gunmen shot dead a man in Hajin on Monday, the "
                "Syrian Observatory for Human Rights said.": "hajin",
                "SDF arrests ISIS suspects\n\nQAMISHLI, Syria — The SDF arrested three ISIS "
                "suspects in Hajin on Monday.": "hajin",
            }
        )
        dateline = mention("DAMASCUS (Reuters) - Unknown gunmen shot dead a man.", "DAMASCUS")
        self.assertTrue(dateline.dateline)
        self.assertIn("place:dateline", dateline.rules)

    def test_a_dateline_is_not_the_place_even_when_the_body_names_none(self):
        """When the body names no place, the event has none: the dateline does not stand in."""
        (found,) = candidates(
            "DAMASCUS (Reuters) - Israeli strikes hit weapons depots on Monday, a war monitor said."
        )
        self.assertIsNone(found.place)
        self.assertIn("place:none", found.rules)

    def test_a_mixed_case_dateline_is_a_dateline_too(self):
        """A dateline written in mixed case ("Raqqa, Syria (North Press)", "Ras al-Ain,
        Syria (North Press)") is not an event place either."""
        self.assert_places(
            {
                "Raqqa, Syria (North Press) – Unknown gunmen shot dead a man in the village of "
                "Abu Khashab in the western Deir ez-Zor countryside on Monday.": (
                    "abu-khashab-kisreh"
                ),
                "Ras al-Ain, Syria (North Press) – Unknown gunmen shot dead a man in the village "
                "of Abu Khashab in the western Deir ez-Zor countryside on Monday.": (
                    "abu-khashab-kisreh"
                ),
            }
        )

    # 4. "The village of X near Y"

    def test_the_village_of_x_near_y_is_the_x_near_y(self):
        """ "The village of X near Y": of X's namesakes, the one near Y, whichever Y is."""
        self.assert_places(
            {
                "ISIS cells attacked a shepherd in the village of Hasrat near Al-Bukamal on "
                "Monday.": "hasrat-abu-kamal",
                "ISIS cells attacked a shepherd in the village of Hasrat east of Salamiyah on "
                "Monday.": "hasrat-as-saan",
                "Regime forces shelled the village of Shinan near Ariha on Monday.": (
                    "shinan-ariha"
                ),
                "Regime forces shelled the village of Shinan near Kafr Nabl on Monday.": (
                    "shinan-ariha"
                ),
                "Unknown gunmen shot dead a man in the village of Shinan near Thiban on "
                "Monday.": "shinan-thiban",
            }
        )

    def test_a_namesake_choice_says_why_for_the_editor(self):
        """A candidate whose place was chosen among namesakes carries why, in words: how many
        places bear the name, which was chosen, and for what reason; a name only one place
        bears says nothing of the kind."""
        text = "ISIS cells attacked a shepherd in the village of Hasrat near Al-Bukamal on Monday."
        (found,) = candidates(text)
        self.assertIn("place:namesake", found.rules)
        why = next(r for r in found.rules if r.startswith("\u201cHasrat\u201d"))
        self.assertIn("2 places bear this name", why)
        self.assertIn("chose Hasrat (Deir ez-Zor)", why)
        self.assertIn("near Al-Bukamal", why)
        self.assertEqual(mention(text, "Hasrat").why, why)  # the mention's own why

        text = (
            "Iraqi security forces arrested three ISIS suspects in the village of Abu Khashab "
            "in Nineveh province on Monday."
        )
        (found,) = candidates(text)
        why = next(r for r in found.rules if r.startswith("\u201cAbu Khashab\u201d"))
        self.assertIn("chose Abu Khashab (Nineveh)", why)
        self.assertIn("in a governorate, district or subdistrict the text names", why)
        nineveh = mention(text, "Nineveh")  # one place bears the name: nothing to explain
        self.assertEqual((nineveh.why, "place:namesake" in nineveh.rules), ("", False))

    def test_an_unknown_village_near_a_known_place_is_located_near_it_and_kept_for_the_editor(
        self,
    ):
        """ "The village of X near Y" with X unknown to the gazetteer: the event is at Y with
        the precision "near" (coarser than "in Y"), and X is kept, unresolved, for the
        editor to add."""
        exact = "Unknown gunmen shot dead a man in Hajin on Monday."
        (at_hajin,) = candidates(exact)
        self.assertEqual(
            (at_hajin.place.slug, at_hajin.location_precision, at_hajin.unresolved_places),
            ("hajin", Where.EXACT, []),
        )
        for text, slug in {
            "Unknown gunmen shot dead a man in the village of Zrayqat al-Fawqa near Hajin on "
            "Monday.": "hajin",
            "Unknown gunmen shot dead a man in the village of Zrayqat al-Fawqa, east of "
            "Al-Mayadin, on Monday.": "al-mayadin",
        }.items():
            with self.subTest(text):
                unknown = mention(text, "Zrayqat al-Fawqa")
                self.assertFalse(unknown.resolved)
                self.assertIn("place:unresolved", unknown.rules)
                (found,) = candidates(text)
                self.assertEqual(found.place.slug, slug)
                self.assertEqual(found.location_precision, Where.NEAR)
                self.assertGreater(found.location_precision, Where.EXACT)
                self.assertEqual(found.unresolved_places, ["Zrayqat al-Fawqa"])
                self.assertIn("place:near-unresolved", found.rules)

    # 5. Well-known cities

    def test_baghdad_in_a_deir_ez_zor_report_is_the_iraqi_capital(self):
        """Baghdad named in a Deir ez-Zor report is the city of Baghdad (not its governorate,
        not a village whose name has the same key)."""
        text = (
            "Iranian-backed militia commanders from Al-Mayadin in the Deir ez-Zor countryside "
            "met Iraqi officials in Baghdad on Monday."
        )
        baghdad = mention(text, "Baghdad").place
        self.assertEqual((baghdad.slug, baghdad.kind, baghdad.country), ("baghdad", "city", "IQ"))
        self.assertEqual(resolved(text, "Al-Mayadin"), "al-mayadin")

    def test_a_famous_iraqi_city_is_not_a_syrian_village_of_its_name(self):
        """Najaf, Karbala and Ramadi named in a Deir ez-Zor report are the Iraqi cities, not the
        villages of Hasakah or Deir ez-Zor that bear their names; "the village of Ramadi near
        Al-Bukamal" is the village."""
        pilgrims = (
            "Iranian-backed militiamen returned to Al-Mayadin from Najaf and Karbala on Monday, "
            "local sources in Deir ez-Zor said."
        )
        detainees = (
            "The SDF handed over 50 ISIS detainees to Iraqi forces, who took them to Ramadi, a "
            "security source in Deir ez-Zor said on Monday."
        )
        for text, surface, slug in [
            (pilgrims, "Najaf", "najaf"),
            (pilgrims, "Karbala", "karbala"),
            (detainees, "Ramadi", "ramadi"),
        ]:
            with self.subTest(surface):
                self.assertEqual(resolved(text, surface), slug)
        self.assertEqual(
            where(
                "Unknown gunmen attacked an SDF checkpoint in the village of Ramadi near "
                "Al-Bukamal on Monday."
            ),
            ["ramadi-abu-kamal"],
        )
