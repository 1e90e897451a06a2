"""Step 3: actors from the aliases in the database, umbrella phrases included."""

from events.models import Actor
from events.pipeline.actors import actors_find
from tests.base import AtlasTestCase


class ActorSpottingTests(AtlasTestCase):
    fixtures = ["actors"]

    def slugs(self, text: str) -> list[str]:
        return [m.actor.slug for m in actors_find(text)]

    def test_it_reads_names_abbreviations_and_umbrella_phrases(self):
        text = (
            "Regime forces and pro-Iranian militias clashed with Daesh, while the international "
            "coalition and the U.S.-led coalition struck IS positions; Hashd al-Shaabi units "
            "and Liwa Fatemiyoun moved in."
        )
        self.assertEqual(
            self.slugs(text),
            ["syrian-army", "iran-backed-militias", "islamic-state", "us-led-coalition",
             "us-led-coalition", "islamic-state", "pmf", "fatemiyoun"],
        )  # fmt: skip

    def test_capitalised_aliases_need_capitals(self):
        self.assertEqual(self.slugs("This is where IS fighters hid."), ["islamic-state"])
        self.assertEqual(self.slugs("The situation is calm."), [])

    def test_plurals_and_the_longest_alias_win(self):
        self.assertEqual(
            self.slugs("An Iran-backed militia and Hezbollah Brigades"),
            ["iran-backed-militias", "kataib-hezbollah"],
        )

    def test_an_alias_added_by_an_editor_is_used_by_the_next_extraction(self):
        self.assertEqual(self.slugs("The Quwat al-Nukhba moved north."), [])
        sdf = Actor.objects.get(slug="sdf")
        sdf.aliases = [*sdf.aliases, "Quwat al-Nukhba"]
        sdf.save()
        self.assertEqual(self.slugs("The Quwat al-Nukhba moved north."), ["sdf"])
