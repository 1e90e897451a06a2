"""Actor families: the sides a reader tells apart on the map, each with a colour, and the
shades its units take.

The palette is Okabe and Ito's (2008), designed to stay distinguishable with every common
colour-vision deficiency, plus a grey for the unidentified and a brown for the rest. A
family's first-level actors take its colour; units within them (a brigade of an army, a
militia under an umbrella) take lighter or darker shades of it, so the map says "Iran-aligned"
at a glance and the legend and tooltips say which one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    colour: str


FAMILIES = (
    Family("state", "State forces (Syria, Iraq)", "#d55e00"),
    Family("isis", "Islamic State", "#1a1a1a"),
    Family("sdf", "SDF and its councils", "#e69f00"),
    Family("iran", "Iran-aligned forces", "#009e73"),
    Family("coalition", "US-led coalition", "#0072b2"),
    Family("russia", "Russia", "#cc79a7"),
    Family("turkey", "Turkey and the SNA", "#f0e442"),
    Family("civilians", "Civilians", "#56b4e9"),
    Family("unidentified", "Unidentified", "#8c8c8c"),
    Family("other", "Other (tribes, HTS, Israel, protesters)", "#7b4f2a"),
)
BY_KEY = {family.key: family for family in FAMILIES}
FAMILY_CHOICES = [(family.key, family.label) for family in FAMILIES]

# First-level actors of the shipped list (fixtures/actors.json), by slug.
SLUGS = {
    "islamic-state": "isis",
    "syrian-army": "state",
    "iraqi-forces": "state",
    "ndf": "state",
    "liwa-al-quds": "state",
    "sdf": "sdf",
    "us-led-coalition": "coalition",
    "irgc": "iran",
    "iran-backed-militias": "iran",
    "hezbollah": "iran",
    "russian-forces": "russia",
    "turkish-forces": "turkey",
    "syrian-national-army": "turkey",
    "civilians-syria": "civilians",
    "unidentified-armed-group": "unidentified",
}

# Names of actors a dataset file brings (UCDP's "Government of Syria", ACLED's "Military
# Forces of Syria (2024-)", "IS"), tried in order on the folded name.
NAMES = (
    ("unidentified", r"\bunidentified\b|\bunknown\b"),
    ("isis", r"\bislamic state\b|\bisis\b|\bisil\b|\bdaesh\b|^is\b|\bis \("),
    ("sdf", r"\bsdf\b|syrian democratic|\bypg\b|\bypj\b|\basayish\b|military council"),
    (
        "iran",
        r"\biran|\birgc\b|hezbollah|hizbollah|popular mobili[sz]ation|\bpmf\b|kata.?ib|"
        r"fatemiyoun|zainebiyoun|nujaba|asa.?ib|quds force|militia \(pro-iran\)",
    ),
    ("coalition", r"coalition|united states|\bus forces\b|inherent resolve|\bcjtf\b"),
    ("russia", r"\brussia|wagner"),
    ("turkey", r"\bturk|syrian national army|\bsna\b"),
    ("civilians", r"\bcivilians?\b"),
    (
        "state",
        r"government of (syria|iraq)|forces of (syria|iraq)|syrian (arab )?army|"
        r"\bsaa\b|national defen[cs]e|iraqi (security|army)|police forces of (syria|iraq)",
    ),
)
# A state or external force's country, when its name says nothing.
COUNTRIES = {
    "SY": "state",
    "IQ": "state",
    "US": "coalition",
    "RU": "russia",
    "TR": "turkey",
    "IR": "iran",
}
CIVILIAN_KIND = 7
STATE_KINDS = (1, 8)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def family_guess(name: str, *, slug: str = "", kind: int | None = None, country: str = "") -> str:
    """The family an actor with no parent most likely belongs to."""
    if slug in SLUGS:
        return SLUGS[slug]
    folded = _fold(name)
    for key, pattern in NAMES:
        if re.search(pattern, folded):
            return key
    if kind == CIVILIAN_KIND:
        return "civilians"
    if kind in STATE_KINDS and country.upper() in COUNTRIES:
        return COUNTRIES[country.upper()]
    return "other"


def _mix(colour: str, towards: str, share: float) -> str:
    a = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    b = [int(towards[k : k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def _lightness(colour: str) -> float:
    r, g, b = (int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# Shades for the units of a family, in turn: lighter, darker, lighter still, ...
SHADES = (0.35, -0.3, 0.55, -0.45, 0.2, -0.15, 0.7)


def shade(colour: str, k: int) -> str:
    """The k-th shade of a family colour (k = 0: the colour itself). Black only lightens and
    yellow only darkens, so no shade falls off the end of the scale."""
    if k <= 0:
        return colour
    step = SHADES[(k - 1) % len(SHADES)]
    light = _lightness(colour)
    if light < 0.15:
        step = abs(step)
    elif light > 0.7:
        step = -abs(step)
    return _mix(colour, "#ffffff" if step > 0 else "#000000", abs(step))


def actor_families(actors) -> dict[int, tuple[str, str]]:
    """Each actor's (family key, colour) by id. `actors` are Actor rows (all of them, so
    parents are found): first-level actors take their family's colour, units a shade of it
    (in name order within the family). An actor's own `family`, when set, wins over the
    guess; a unit follows its parent unless it names a family of its own."""
    actors = list(actors)
    by_id = {a.pk: a for a in actors}

    def family_of(actor, seen=()) -> str:
        own = getattr(actor, "family", "")
        if own:
            return own
        parent = by_id.get(actor.parent_id)
        if parent is not None and parent.pk not in seen:
            return family_of(parent, (*seen, actor.pk))
        return family_guess(actor.name, slug=actor.slug, kind=actor.kind, country=actor.country)

    result = {}
    units: dict[str, list] = {}
    for actor in sorted(actors, key=lambda a: a.name.casefold()):
        key = family_of(actor)
        if actor.parent_id is None or getattr(actor, "family", ""):
            result[actor.pk] = (key, BY_KEY[key].colour)
        else:
            units.setdefault(key, []).append(actor)
    for key, members in units.items():
        for k, actor in enumerate(members, start=1):
            result[actor.pk] = (key, shade(BY_KEY[key].colour, k))
    return result


def actor_colours() -> dict[int, tuple[str, str]]:
    """Every actor's (family key, colour) by id, from the database. One query."""
    from events.models import Actor

    return actor_families(Actor.objects.only("name", "slug", "kind", "country", "parent", "family"))
