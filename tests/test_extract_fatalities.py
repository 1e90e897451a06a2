"""Step 6: killed and wounded, in words or digits, kept apart."""

from django.test import SimpleTestCase

from events.pipeline.fatalities import fatalities_find


class FatalityTests(SimpleTestCase):
    def test_killed_and_wounded_are_counted_apart(self):
        found = fatalities_find(
            "ISIS attacked a checkpoint, killing three soldiers and wounding 12 others."
        )
        self.assertEqual((found.killed_best, found.wounded), (3, 12))

    def test_numbers_in_words_and_digits(self):
        cases = {
            "Twenty-one fighters were killed in the clashes.": 21,
            "The strike killed 7 members of the militia.": 7,
            "At least 14 people died when the bomb exploded.": 14,
            "The death toll rose to 35.": 35,
            "Qassim Al-Soleimany, who was killed in an airstrike.": 1,
            "Five members of the Syrian Democratic Forces were killed in a clash.": 5,
            "Four members of the Iraqi Hashd al-Shaabi militia were killed last night.": 4,
            "US-led airstrike kills 18 in Abu Kamal": 18,
            "Gunmen shot dead a driver in Hajin.": 1,
            "There were no reports of casualties from either attack.": 0,
        }
        for text, killed in cases.items():
            with self.subTest(text):
                self.assertEqual(fatalities_find(text).killed_best, killed)

    def test_a_vague_toll_is_a_range_without_a_best_figure(self):
        found = fatalities_find("Dozens of fighters were killed.")
        self.assertEqual((found.killed_low, found.killed_best, found.killed_high), (24, None, 99))

    def test_wounded_only_is_not_killed(self):
        found = fatalities_find("Five civilians were wounded by shelling.")
        self.assertEqual((found.killed_best, found.wounded), (None, 5))
        self.assertFalse(fatalities_find("Drills were held at the base.").any)
