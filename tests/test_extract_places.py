"""Step 2: places by transliteration key, area phrases, context ranking, unresolved names."""

from events.models import LocationPrecision as Where
from events.pipeline.actors import actors_find
from events.pipeline.places import places_find
from events.pipeline.text import sentences_split
from tests.base import AtlasTestCase


def find(text: str):
    actors = actors_find(text)
    return places_find(text, sentences_split(text), skip=[(a.start, a.end) for a in actors])


class PlaceSpottingTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def slugs(self, text: str) -> list[str | None]:
        return [m.place.slug if m.place else None for m in find(text)]

    def test_it_reads_every_spelling_of_a_name_as_one_place(self):
        for spelling in ["Albukamal", "Al-Bokamal", "Abu Kamal", "Al-Bukamal", "Abu Kemal"]:
            with self.subTest(spelling):
                self.assertEqual(
                    self.slugs(f"Militias moved through {spelling} today."), ["abu-kamal"]
                )
        self.assertEqual(
            self.slugs("Clashes in Deir Al-Zour and Mayadeen."), ["deir-ez-zor", "al-mayadin"]
        )

    def test_area_phrases_set_the_location_precision(self):
        cases = {
            "Cells attacked a post in the eastern Deir Ezzor countryside.": (
                "deir-ez-zor-governorate-sy",
                Where.GOVERNORATE,
            ),
            "Fighters hid in the desert of al-Mayadin.": ("al-mayadin", Where.AREA),
            "Raids continued east of the Euphrates.": ("euphrates", Where.AREA),
            "ISIS moves between Homs and Deir Ezzor.": ("homs", Where.AREA),
            "A mine exploded near Hajin.": ("hajin", Where.NEAR),
            "Drills were held at the Al-Shadadi base.": ("al-shaddadi-base", Where.EXACT),
            "Weapons were stored in Deir ez-Zor province.": (
                "deir-ez-zor-governorate-sy",
                Where.GOVERNORATE,
            ),
        }
        for text, (slug, precision) in cases.items():
            with self.subTest(text):
                mention = find(text)[0]
                self.assertEqual((mention.place.slug, mention.precision), (slug, precision))

    def test_it_keeps_a_name_the_gazetteer_lacks_for_the_editor(self):
        mentions = find("The SDF is advancing at Hajin and Zarqulan.")
        self.assertEqual(
            [(m.surface, m.resolved) for m in mentions], [("Hajin", True), ("Zarqulan", False)]
        )
        self.assertIn("place:unresolved", mentions[1].rules)
        mentions = find("Clashes broke out in Tall Qatmiyat village of Kabajib.")
        self.assertTrue(any(not m.resolved for m in mentions))

    def test_people_words_and_organisations_are_not_places(self):
        text = (
            "Qassim Al-Soleimany was killed. Hit by a drone, the Eye of Euphrates website said. "
            "The SAA, the SDF-controlled areas and the Syrian-Iraqi border were seen there."
        )
        self.assertEqual(self.slugs(text), [])

    def test_context_picks_the_namesake_near_the_other_places(self):
        # "Hamad" is the desert by its own name, Hama only by transliteration.
        self.assertEqual(
            self.slugs("ISIS regrouped in the Hamad desert near T3."),
            ["hamad-desert", "t3-pumping-station"],
        )
        self.assertEqual(self.slugs("Jihadists gathered at Hamad."), ["hamad-desert"])

    def test_a_new_alias_is_used_at_once(self):
        self.assertEqual(self.slugs("Patrols arrived in Qurbaniq today."), [None])
        place = self.make_place(slug="qurbana", name="Qurbana", latitude=34.9, longitude=40.6)
        place.aliases = ["Qurbaniq"]
        place.save()
        self.assertEqual(self.slugs("Patrols arrived in Qurbaniq today."), ["qurbana"])
