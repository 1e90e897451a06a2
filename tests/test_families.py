"""Actor families: every actor a side the map can colour, units in shades of it."""

from events.families import BY_KEY, FAMILIES, actor_colours, family_guess, shade
from events.models import Actor
from tests.test_api_events import ApiTestCase


def contrast_distance(a: str, b: str) -> float:
    """Euclidean distance of two colours in RGB (0-441)."""
    pa = [int(a[k : k + 2], 16) for k in (1, 3, 5)]
    pb = [int(b[k : k + 2], 16) for k in (1, 3, 5)]
    return sum((x - y) ** 2 for x, y in zip(pa, pb, strict=True)) ** 0.5


class FamilyTests(ApiTestCase):
    fixtures = ["actors"]

    def test_the_shipped_actors_fall_in_the_families_a_reader_expects(self):
        families = {slug: family for slug, (family, _) in self.shipped().items()}
        expected = {
            "islamic-state": "isis",
            "syrian-army": "state",
            "5th-corps": "state",
            "sdf": "sdf",
            "deir-ez-zor-military-council": "sdf",
            "irgc": "iran",
            "quds-force": "iran",
            "kataib-hezbollah": "iran",
            "hezbollah": "iran",
            "us-led-coalition": "coalition",
            "russian-forces": "russia",
            "wagner-group": "russia",
            "turkish-forces": "turkey",
            "civilians-syria": "civilians",
            "unidentified-armed-group": "unidentified",
        }
        for slug, family in expected.items():
            self.assertEqual(families[slug], family, slug)

    def test_units_are_shades_of_their_family_and_told_apart(self):
        shipped = self.shipped()
        iran = BY_KEY["iran"].colour
        self.assertEqual(shipped["irgc"][1], iran)
        self.assertEqual(shipped["iran-backed-militias"][1], iran)
        units = [
            colour
            for slug, (family, colour) in shipped.items()
            if family == "iran" and Actor.objects.get(slug=slug).parent_id
        ]
        self.assertGreaterEqual(len(units), 3)
        self.assertNotIn(iran, units)
        # The units differ from each other where there are few enough shades to go round.
        self.assertGreaterEqual(len(set(units)), min(len(units), 7))

    def test_the_families_are_far_apart(self):
        colours = [f.colour for f in FAMILIES]
        self.assertEqual(len(set(colours)), len(colours))
        closest = min(
            contrast_distance(a, b) for k, a in enumerate(colours) for b in colours[k + 1 :]
        )
        self.assertGreater(closest, 60)

    def test_a_dataset_actor_is_guessed_and_an_editor_can_say_otherwise(self):
        government = self.make_actor(name="Government of Syria", kind=1, country="SY")
        islamic_state = self.make_actor(name="IS", kind=2)
        pro_iran = self.make_actor(name="Militia (Pro-Iran)", kind=3)
        stranger = self.make_actor(name="Some armed men", kind=3)
        self.assertEqual(family_guess("Military Forces of Syria (2024-)", kind=1), "state")
        for actor in (government, islamic_state, pro_iran, stranger):
            self.make_event(actors={"actor1": actor})
        families = {a["name"]: a["family"] for a in self.actors()}
        self.assertEqual(families["Government of Syria"], "state")
        self.assertEqual(families["IS"], "isis")
        self.assertEqual(families["Militia (Pro-Iran)"], "iran")
        self.assertEqual(families["Some armed men"], "other")
        stranger.family = "unidentified"  # as the admin saves it: the cached list follows
        stranger.save()
        families = {a["name"]: a for a in self.actors()}
        self.assertEqual(families["Some armed men"]["family"], "unidentified")
        self.assertEqual(families["Some armed men"]["colour"], BY_KEY["unidentified"].colour)

    def test_shades_stay_on_the_scale(self):
        for family in FAMILIES:
            for k in range(1, 12):
                colour = shade(family.colour, k)
                self.assertRegex(colour, r"^#[0-9a-f]{6}$")
                self.assertNotEqual(colour, family.colour)

    def shipped(self) -> dict[str, tuple[str, str]]:
        """Every actor's (family, colour) by slug, as the API computes them."""
        slugs = dict(Actor.objects.values_list("pk", "slug"))
        return {slugs[pk]: value for pk, value in actor_colours().items()}

    def actors(self) -> list[dict]:
        body = self.get("/api/actors").json()
        self.assertEqual([f["key"] for f in body["families"]], [f.key for f in FAMILIES])
        return body["actors"]
