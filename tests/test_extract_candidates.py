"""Step 7: candidate events from reports in other outlets' styles than the seeds."""

from datetime import date

from events.pipeline.candidates import report_candidates
from tests.base import AtlasTestCase

PUBLISHED = date(2024, 3, 8)  # a Friday


def candidates(text: str):
    return [
        (
            c.sub_event_type,
            c.place.slug if c.place else None,
            {a.slug: r for a, r in c.actors},
            c.date_start,
            c.fatalities_best,
        )
        for c in report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
    ]


class CandidateTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_two_actions_in_one_sentence_are_two_events_each_with_its_own_place(self):
        text = (
            "Unknown gunmen assassinated a tribal notable in Thiban town in eastern Deir Ezzor "
            "countryside on Monday, while SDF forces arrested 12 persons in a security "
            "campaign in Al-Busayra."
        )
        self.assertEqual(
            candidates(text),
            [
                (
                    "attack",
                    "dhiban",
                    {"unidentified-armed-group": "actor1"},
                    date(2024, 3, 4),
                    None,
                ),
                ("arrests", "al-busayrah", {"sdf": "actor1"}, date(2024, 3, 4), None),
            ],
        )

    def test_an_airstrike_in_an_area_and_a_landmine_with_no_one_to_blame(self):
        text = (
            "Russian jets carried out more than 30 airstrikes on ISIS positions in the Badia of "
            "Homs yesterday. A landmine left over from the war exploded on Sunday near "
            "Al-Sukhnah, killing three truffle hunters and injuring four others."
        )
        self.assertEqual(
            candidates(text),
            [
                (
                    "air_drone_strike",
                    "homs-desert",
                    {"russian-forces": "actor1", "islamic-state": "actor2"},
                    date(2024, 3, 7),
                    None,
                ),
                (
                    "remote_explosive_landmine_ied",
                    "as-sukhnah",
                    {"unidentified-armed-group": "actor1", "civilians-syria": "actor2"},
                    date(2024, 3, 3),
                    3,
                ),
            ],
        )

    def test_one_event_told_in_the_headline_and_the_body_is_one_candidate(self):
        text = (
            "SDF clashes with ISIS in Hajin\n\n"
            "SDF fighters clashed with ISIS cells in Hajin on Wednesday, killing four militants, "
            "according to local sources. The fighting lasted for hours and the clashes spread to "
            "the outskirts of the town; coalition helicopters targeted ISIS positions."
        )
        found = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        battles = [c for c in found if c.event_type == "battles"]
        self.assertEqual(len(battles), 1)
        self.assertEqual((battles[0].place.slug, battles[0].fatalities_best), ("hajin", 4))
        self.assertGreaterEqual(len(battles[0].sentences), 2)
        self.assertIn("air_drone_strike", [c.sub_event_type for c in found])


class NotAnIncidentTests(AtlasTestCase):
    """Sentences that report no single incident (GUIDELINES.md, section 1) propose nothing,
    whatever trigger words they hold; beside them, an incident still does."""

    fixtures = ["actors"]

    def test_tallies_negations_and_captions_propose_nothing(self):
        for text in (
            "Since the beginning of the year, ISIS attacks have killed 90 SDF fighters in "
            "Deir ez-Zor.",
            "ISIS carried out 15 attacks this year in the eastern countryside of Deir ez-Zor.",
            "The SOHR has documented 120 attacks by ISIS cells since early 2024.",
            "This brings the total number of people killed in Hajin to 43.",
            "No clashes were reported in Hajin on Friday.",
            "Photo: SDF fighters on patrol after an attack in Hajin.",
            "ISIS attacks have increased in the last two months around Ain Issa, with rockets "
            "fired at SDF positions.",
            "This followed earlier drone attacks on the Conoco gas field.",
        ):
            with self.subTest(text=text):
                self.assertEqual(
                    report_candidates(text, published=PUBLISHED, reference=PUBLISHED), []
                )

    def test_the_incident_beside_a_tally_is_still_proposed(self):
        text = (
            "ISIS gunmen attacked an SDF checkpoint in Hajin on Thursday, killing two fighters. "
            "Since the beginning of the year, ISIS attacks have killed 90 SDF fighters."
        )
        found = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(len(found), 1)
        self.assertIn("Hajin", found[0].sentence.text)


class TollInTheNextSentenceTests(AtlasTestCase):
    fixtures = ["actors"]

    def test_a_toll_told_in_the_next_sentence_joins_the_incident(self):
        text = (
            "ISIS gunmen attacked an SDF checkpoint in Hajin on Thursday. Three fighters were "
            "killed and two wounded, local sources said."
        )
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(found.fatalities_best, 3)
        self.assertEqual(len(found.sentences), 2)

    def test_a_toll_in_a_paragraph_of_its_own_right_after_joins_too(self):
        text = (
            "ISIS cells attacked an Asayish checkpoint in Raqqa on Thursday.\n\n"
            "There were no casualties among the Asayish forces.\n\n"
            "ISIS cells attacked an SDF post in Diban on Thursday.\n\nThe ceasefire held "
            "elsewhere.\n\nNo casualties were reported."
        )
        first, second = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual((first.fatalities_best, len(first.sentences)), (0, 2))
        self.assertIsNone(second.fatalities_best)  # a paragraph stands between

    def test_the_attack_retold_without_its_parties_is_the_same_incident(self):
        text = (
            "ISIS cells attacked an SDF checkpoint in Hajin on Thursday. The attack on the "
            "checkpoint at the entrance of Abu Hamam killed two fighters."
        )
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual((found.place.slug, found.fatalities_best), ("hajin", 2))
        self.assertEqual(len(found.sentences), 2)
        self.assertIn("retold", found.rules)

    def test_a_tally_in_the_next_sentence_does_not(self):
        text = (
            "ISIS gunmen attacked an SDF checkpoint in Hajin on Thursday. Since the beginning "
            "of the year, 90 fighters were killed in such attacks."
        )
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertIsNone(found.fatalities_best)


class GrammarOfIncidentsTests(AtlasTestCase):
    """Roles, types and tolls the way the annotation guidelines read them (sections 5, 6, 10)."""

    fixtures = ["actors"]

    def test_a_source_is_not_a_party(self):
        text = (
            "According to the SDF, ISIS gunmen attacked a checkpoint in Hajin on Thursday, "
            "killing a fighter."
        )
        self.assertEqual(
            candidates(text),
            [("armed_clash", "hajin", {"islamic-state": "actor1"}, date(2024, 3, 7), 1)],
        )

    def test_a_generic_attack_takes_the_weapon_it_names(self):
        text = "A base housing US troops at the Conoco gas field was targeted by rockets today."
        ((sub, _, roles, _, _),) = candidates(text)
        self.assertEqual(sub, "shelling_artillery_missile_attack")
        self.assertEqual(roles, {"unidentified-armed-group": "actor1", "us-forces": "actor2"})

    def test_a_specific_trigger_wins_over_a_generic_one(self):
        text = "A drone strike targeted a car of Iranian militias near Al-Bukamal on Thursday."
        self.assertEqual([c[0] for c in candidates(text)], ["air_drone_strike"])

    def test_no_casualties_is_a_toll_of_zero(self):
        text = "Rockets hit the Al-Omar oil field base on Thursday. No casualties were reported."
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(found.fatalities_best, 0)

    def test_a_dated_dateline_is_not_the_place(self):
        text = (
            "2024-03-08 ERBIL (Kurdistan 24) - ISIS gunmen attacked an SDF post in Diban on "
            "Thursday, killing two fighters."
        )
        self.assertEqual([c[1] for c in candidates(text)], ["dhiban"])


class IncidentShapeTests(AtlasTestCase):
    """What one incident is (GUIDELINES.md, sections 1 and 10), on sentences written here."""

    fixtures = ["actors"]

    def test_a_foiled_drone_attack_is_disrupted_weapons_use(self):
        text = "SDF forces foiled a drone attack on the Al-Omar oil field on Thursday."
        self.assertEqual([c[0] for c in candidates(text)], ["disrupted_weapons_use"])
        text = "Two drones were intercepted over the Conoco gas field on Thursday."
        self.assertEqual([c[0] for c in candidates(text)], ["disrupted_weapons_use"])

    def test_a_clash_has_two_sides(self):
        text = "The SDF and government forces clashed in Diban on Thursday."
        ((sub, _, roles, _, _),) = candidates(text)
        self.assertEqual(sub, "armed_clash")
        self.assertEqual(roles, {"sdf": "actor1", "syrian-army": "actor2"})

    def test_a_force_of_another_side_is_the_opponent_not_an_ally(self):
        text = "SDF fighters clashed with ISIS cells near Hajin on Thursday."
        ((_, _, roles, _, _),) = candidates(text)
        self.assertEqual(roles, {"sdf": "actor1", "islamic-state": "actor2"})
        text = (
            "In a joint operation with the US-led coalition against ISIS, the SDF arrested two "
            "facilitators in Hajin on Thursday."
        )
        ((_, _, roles, _, _),) = candidates(text)
        self.assertEqual(
            roles, {"sdf": "actor1", "us-led-coalition": "assoc1", "islamic-state": "actor2"}
        )

    def test_gunmen_named_in_a_retelling_are_not_a_third_party(self):
        text = (
            "Tribal fighters clashed with the SDF in Hajin on Thursday. Gunmen took part in the "
            "clashes in Hajin on Thursday."
        )
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(len(found.sentences), 2)
        self.assertEqual(
            {a.slug: r for a, r in found.actors}, {"tribal-forces": "actor1", "sdf": "actor2"}
        )

    def test_the_names_of_government_and_tribal_forces(self):
        text = "Syria's army captured the town of Tabqa from the SDF on Thursday."
        ((sub, _, roles, _, _),) = candidates(text)
        self.assertEqual((sub, roles), (
            "government_regains_territory", {"syrian-army": "actor1", "sdf": "actor2"}
        ))  # fmt: skip
        text = "Tribesmen attacked SDF positions in Diban on Thursday."
        ((_, _, roles, _, _),) = candidates(text)
        self.assertEqual(roles, {"tribal-forces": "actor1", "sdf": "actor2"})

    def test_one_person_killed_without_a_fight_is_an_attack(self):
        text = "A member of the SDF was killed by ISIS cells in Diban on Thursday."
        self.assertEqual([c[0] for c in candidates(text)], ["attack"])
        text = "ISIS cells attacked an SDF patrol in Diban on Thursday, killing a fighter."
        self.assertEqual([c[0] for c in candidates(text)], ["armed_clash"])

    def test_places_and_other_villages_are_one_event_at_their_governorate(self):
        text = "The SDF arrested ISIS suspects in Diban, Hajin and other villages on Thursday."
        found = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(
            [(c.place.slug, c.location_precision) for c in found],
            [("deir-ez-zor-governorate-sy", 4)],
        )
        named = "ISIS captured Diban, Hajin and Al-Shafah from the SDF on Thursday."
        self.assertEqual([c[1] for c in candidates(named)], ["dhiban", "hajin", "al-shafah"])

    def test_an_incident_weeks_before_the_report_is_flagged_as_background(self):
        text = "ISIS gunmen attacked an SDF post in Diban on January 10, 2024, killing a fighter."
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertIn("date:background (58 days before)", found.rules)
        self.assertLessEqual(found.confidence, 0.3)
        recent = "ISIS gunmen attacked an SDF post in Diban on Thursday, killing a fighter."
        (found,) = report_candidates(recent, published=PUBLISHED, reference=PUBLISHED)
        self.assertFalse(any(r.startswith("date:background") for r in found.rules))

    def test_a_stamp_and_a_dated_dateline_date_the_report_not_the_event(self):
        text = (
            " date 2024-03-08 (Agency) DAMASCUS, Mar 8 (SANA) – A rocket attack targeted the "
            "U.S. military base at the Conoco gas field last night, state television reported."
        )
        self.assertEqual(
            candidates(text),
            [
                (
                    "shelling_artillery_missile_attack",
                    "conoco-gas-field",
                    {"unidentified-armed-group": "actor1", "us-forces": "actor2"},
                    date(2024, 3, 7),
                    None,
                )
            ],
        )

    def test_an_event_with_no_place_is_in_the_region_or_country_the_report_names(self):
        text = "ISIS cells attacked an SDF post in eastern Syria on Thursday."
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual(
            (found.place, found.unresolved_places, found.location_precision),
            (None, ["eastern Syria"], 5),
        )
        text = "Attacks go on in Syria.\n\nGunmen attacked an army checkpoint on Thursday."
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual((found.unresolved_places, found.location_precision), (["Syria"], 6))

    def test_an_incident_reported_on_a_day_is_that_day_or_the_night_before(self):
        text = (
            "At least 19 militia fighters were killed in an overnight air raid in Abu Kamal, a "
            "war monitor reported on Thursday."
        )
        (found,) = report_candidates(text, published=PUBLISHED, reference=PUBLISHED)
        self.assertEqual((found.date_start, found.date_end), (date(2024, 3, 6), date(2024, 3, 7)))
        self.assertEqual(found.date_precision, 2)

    def test_a_month_abbreviation_is_not_a_place(self):
        text = "ISIS gunmen attacked an SDF post in Diban on Mar. 7, killing two fighters."
        self.assertEqual([c[1] for c in candidates(text)], ["dhiban"])
