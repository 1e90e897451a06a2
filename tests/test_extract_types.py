"""Step 4: ACLED types from trigger phrases; what is only planned or imitated is no event."""

from django.test import SimpleTestCase

from events.pipeline.types import triggers_find


def subtypes(text: str) -> list[str]:
    return [t.sub_event_type for t in triggers_find(text)]


class TypeTests(SimpleTestCase):
    def test_trigger_phrases_give_acled_sub_types(self):
        cases = {
            "SDF fighters clashed with ISIS cells in Hajin.": ["armed_clash"],
            "Russian warplanes carried out airstrikes on the Badia.": ["air_drone_strike"],
            "Regime forces shelled villages east of the Euphrates.": [
                "shelling_artillery_missile_attack"
            ],
            "A landmine exploded near Kabajib.": ["remote_explosive_landmine_ied"],
            "Unknown gunmen kidnapped a man in Diban.": ["abduction_forced_disappearance"],
            "The SDF arrested five people in a raid on Al-Busayrah.": ["arrests"],
            "Residents protested against the SDF in Al-Shuhayl.": ["peaceful_protest"],
            "ISIS announced the start of a new campaign.": ["change_to_group_activity"],
            "The IRGC transferred shipments of weapons to Al-Mayadin.": ["other"],
            "Tribal elders and the SDF reached an agreement.": ["agreement"],
            "Gunmen assassinated a tribal sheikh.": ["attack"],
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(subtypes(text), expected)

    def test_planned_feared_or_imitated_actions_are_not_events(self):
        for text in [
            "The exercises aimed to counter any attack by drones that might target the base.",
            "The trucks travelled with food to camouflage them from coalition strikes.",
            "Officials met to prevent attacks on the road.",
        ]:
            with self.subTest(text):
                self.assertNotIn("air_drone_strike", subtypes(text))
                self.assertNotIn("armed_clash", subtypes(text))

    def test_strategic_triggers_give_way_to_violent_ones(self):
        self.assertEqual(
            subtypes("During a raid, SDF fighters clashed with ISIS."), ["armed_clash"]
        )
        self.assertEqual(subtypes("In a raid, a vehicle was seized."), ["disrupted_weapons_use"])
