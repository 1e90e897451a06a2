"""ACLED event type and sub-type from trigger phrases.

Each trigger is a pattern and the sub-type it signals (the type follows from the sub-type).
What a sentence only plans, fears or imitates ("to prevent attacks", "any attack that might
target the base", "exercises that mimic the targeting of") is not an event: a trigger with
such a cue in the words before it, within its clause, does not fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from events.models import SUB_EVENT_PARENT

# Violent sub-types are separate events even in one sentence; strategic ones in a sentence
# collapse into the most specific (this order) and give way to any violent one.
STRATEGIC_PRIORITY = [
    "arrests",
    "disrupted_weapons_use",
    "headquarters_or_base_established",
    "looting_property_destruction",
    "non_violent_transfer_of_territory",
    "agreement",
    "change_to_group_activity",
    "other",
]

# (rule name, sub-type, pattern). "territory" and "attack" are settled by the actors later.
TRIGGERS: list[tuple[str, str, str]] = [
    (
        "suicide-bomb",
        "suicide_bomb",
        r"suicide (?:bomb(?:er|ing)?s?|attacks?|vests?|car bombs?)|"
        r"blew (?:himself|themselves) up",
    ),
    (
        "ied",
        "remote_explosive_landmine_ied",
        r"IEDs?|improvised explosive|land ?mines?|roadside bombs?|explosive devices?|car bombs?|"
        r"booby[- ]trap\w*|VBIEDs?|mine (?:blast|explosion|exploded)|explosive-laden|"
        r"(?:bomb|explosive|mine) (?:went off|exploded|detonated)|detonated",
    ),
    ("grenade", "grenade", r"(?:hand )?grenades?"),
    (
        "air-strike",
        "air_drone_strike",
        r"air ?strikes?|air raids?|warplanes?|fighter jets|jets (?:struck|bombed|targeted)|"
        r"helicopters? (?:struck|targeted|fired)|bombard(?:ed|ment)s?|bombings?|bombed|"
        r"close air support|drone (?:strikes?|attacks?)|(?:drone|aircraft) (?:struck|targeted|hit)|"
        r"targeted by (?:an? )?(?:\w+ )?drones?|struck by (?:an? )?(?:\w+ )?drones?|"
        r"killed in (?:an? )?(?:air ?strike|drone strike)|launched (?:an? |two |three |\d+ )?(?:\w+ )?drones? (?:at|on|against|toward)|"
        r"drones? (?:struck|targeted|hit|attacked|bombed|dropped)",
    ),
    (
        "shelling",
        "shelling_artillery_missile_attack",
        r"shell(?:ed|ing)|artillery (?:attacks?|fire|shells?|strikes?|bombardment)|"
        r"mortars?(?: shells?| rounds?| fire)?|rocket (?:attacks?|fire)|"
        r"rockets? (?:fell|hit|landed|struck)|missile (?:strikes?|attacks?)|"
        r"fired (?:rockets|missiles|shells|mortars)|launched rockets|Grad rockets|"
        r"(?:rockets?|missiles?|shells|mortars?|projectiles?) (?:were |was )?(?:fired|launched)|"
        r"fired (?:an? |two |three |\d+ )?(?:\w+ )?(?:rockets?|missiles?|shells?|projectiles?)",
    ),
    (
        "clash",
        "armed_clash",
        r"clash(?:es|ed)?|fighting|fought|battles?|firefights?|gunfights?|exchange of fire|"
        r"exchanged fire|skirmish(?:es)?|ambush(?:ed|es)?|offensive|counter-?attacks?|"
        r"assault(?:ed|s)? (?:on|against)|advanc(?:e|ed|es|ing) (?:against|on|towards?|at|into)|"
        r"resistance against|besieg(?:ed|e)|repelled",
    ),
    (
        "attack",
        "armed_clash",
        r"attack(?:s|ed|ing)?|targeted|targeting|raided (?:a|an|the) (?:checkpoint|position|post)",
    ),
    (
        "kill-civilians",
        "attack",
        r"assassinat(?:ed|ion|ions)|executed|execution|shot dead|gunned down|murder(?:ed)?|"
        r"opened fire on|beheaded|shot and killed|shot (?:at )?(?:a|an|two|three|\d+) "
        r"(?:civilians?|men|man|women|woman|people|shepherds?)|killed (?:a|an|two|three|\d+) "
        r"(?:civilians?|shepherds?|"
        r"farmers?|children|women|workers?)",
    ),
    # "Two soldiers were killed in ...": an incident with nothing else said of it. Weak: it
    # gives way to any other violent trigger of the sentence ("a drone strike killed two").
    ("killed", "armed_clash", r"killed|died of (?:their|his|her) wounds"),
    (
        "abduction",
        "abduction_forced_disappearance",
        r"kidnap(?:ped|ping|s)?|abduct(?:ed|ion|ions|s)?|forcibly disappeared|taken hostage",
    ),
    (
        "excessive-force",
        "excessive_force_against_protesters",
        r"(?:fired|shot|opened fire) (?:live ammunition )?(?:at|on) (?:the )?(?:protesters|"
        r"demonstrators)",
    ),
    (
        "protest-intervention",
        "protest_with_intervention",
        r"dispersed (?:the )?(?:protest|protesters|demonstrat\w+)|tear gas",
    ),
    (
        "protest",
        "peaceful_protest",
        r"protest(?:s|ed|ers)?|demonstrat(?:ion|ions|ed|ors)|took to the streets|sit-ins?|"
        r"rall(?:y|ies|ied)",
    ),
    ("riot", "violent_demonstration", r"riot(?:s|ers|ed)?|stormed (?:the )?\w+ building"),
    ("mob", "mob_violence", r"mob|lynch(?:ed|ing)"),
    (
        "territory",
        "non_state_actor_overtakes_territory",
        r"(?:seized|took|taken|gained|regained) control|captured|recaptured|retook|took over|"
        r"overran|liberated|recapture of|capture of",
    ),
    (
        "arrest",
        "arrests",
        r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|rounded up|apprehended|"
        r"captured (?:a|an|two|three|\d+) (?:members?|suspects?|persons?)",
    ),
    (
        "weapons-seized",
        "disrupted_weapons_use",
        r"seized (?:weapons|ammunition|explosives|arms|a vehicle|vehicles)|"
        r"(?:weapons|arms|ammunition) (?:cache|depot)s?|(?:vehicle|weapons?|cache|ammunition) "
        r"(?:was|were) seized|defused|dismantl(?:ed|e) (?:an? )?(?:\w+ )?(?:IEDs?|explosives?|"
        r"mines?|devices?)|intercepted (?:an? )?(?:\w+ )?(?:drones?|rockets?|missiles?)|"
        r"shot down (?:an? )?(?:\w+ )?drones?|(?:drones?|rockets?|missiles?) (?:was|were) "
        r"(?:intercepted|shot down|downed)",
    ),
    (
        "base",
        "headquarters_or_base_established",
        r"(?:established|set up|build|built|building|opened) (?:a |an |new )+(?:military )?"
        r"(?:base|headquarters|HQ|position|outpost|checkpoint)s?",
    ),
    (
        "looting",
        "looting_property_destruction",
        r"loot(?:ed|ing)|plunder(?:ed)?|burn(?:ed|t) (?:down )?(?:houses|homes|crops|fields)|"
        r"demolish(?:ed)?|(?:destroyed|confiscated|seized) (?:houses|homes|property|land)",
    ),
    (
        "withdrawal",
        "non_violent_transfer_of_territory",
        r"withdr(?:ew|awn|awal) from|handed over (?:control|positions?|the area)|"
        r"pulled out of",
    ),
    (
        "agreement",
        "agreement",
        r"agreements?|truce|cease-?fire|reconciliation|negotiations?|talks with|meetings?|"
        r"met with|prisoner exchange|settlement deal",
    ),
    (
        "group-change",
        "change_to_group_activity",
        r"announced\b[^.;]{0,40}?\b(?:start|launch|beginning)|launch(?:ed)? (?:a |the )?(?:new )?"
        r"campaign|gather(?:ing|ed)?|regroup\w*|reorganiz\w+|recruit(?:ed|ing|ment)|"
        r"defect(?:ed|ion)s?|formed a new",
    ),
    (
        "military-activity",
        "other",
        r"(?:military |live-fire |joint )?exercises?|drills?|maneuvers|manoeuvres|training|"
        r"trained|trains|deploy(?:ed|ment|s)|reinforcements|convoys?|shipments?|transferred|"
        r"dispatched|delivered|distributed|smuggl(?:ed|ing)|manufactured|raids?|"
        r"security (?:operation|campaign)s?|sweep|combing operations?|military operations|"
        r"patrols?|blocked|watch ?towers|fortif(?:ied|ications)|curfew|showed up|inspected",
    ),
]
PATTERNS = [
    (rule, sub, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for rule, sub, pattern in TRIGGERS
]

# Before a trigger, in its clause: it is planned, feared, imitated or denied, not done.
HYPOTHETICAL = re.compile(
    r"\b(?:to prevent|prevent(?:ing)?|wants? to|wanted to|in order to|might|may|could|would|will|any|possible|"
    r"anticipat\w+|potential|plan(?:s|ned|ning)? to|threat(?:en)?\w* to|mimic\w*|counter|"
    r"camouflage|evade|avoid|deter\w*|not|no|never|denied|fear\w*|warn\w*|readiness|"
    r"to coordinate|to conduct|to carry out|to launch|to target|to strike|to use|"
    r"specializing|specialists?|for the purpose of|capable of|ability to|purpose)\b"
    r"[^,;.:]{0,50}$",
    re.IGNORECASE,
)
# "after the agreement with Damascus": an earlier event named only to place this one in time.
BACKGROUND = re.compile(
    r"\b(?:after|following|since|before)\s+(?:the\s+|an?\s+|its\s+|their\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
# The ACLED event types of violence: everything else is a strategic development or a protest.
VIOLENT_TYPES = ("battles", "explosions", "violence_against_civilians")
# Words that say violence happened but not how: they give way to a specific trigger of the
# sentence ("the base was targeted by a missile" is shelling), and take the sub-type of the
# weapon the sentence names ("attacked with drones" is a drone strike).
GENERIC = {"type:attack", "type:killed"}
WEAPONS = [
    ("air_drone_strike", re.compile(r"\b(?:drones?|UAVs?|warplanes?|aircraft|jets?)\b", re.I)),
    (
        "shelling_artillery_missile_attack",
        re.compile(r"\b(?:rockets?|missiles?|mortars?|shells|artillery|projectiles?)\b", re.I),
    ),
    (
        "remote_explosive_landmine_ied",
        re.compile(r"\b(?:IEDs?|landmines?|mines?|explosive devices?|bombs?)\b", re.I),
    ),
]


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    surface: str
    sub_event_type: str
    rule: str

    @property
    def event_type(self) -> str:
        return str(SUB_EVENT_PARENT[self.sub_event_type])

    @property
    def violent(self) -> bool:
        return self.event_type in VIOLENT_TYPES


def triggers_find(text: str, start: int = 0, end: int | None = None) -> list[Trigger]:
    """Event triggers in text[start:end], earliest first, one per stretch of text, with the
    planned or imitated ones left out. A sentence's strategic triggers collapse into its most
    specific one, and give way to any violent trigger."""
    end = len(text) if end is None else end
    found: list[Trigger] = []
    for rule, sub, pattern in PATTERNS:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(s < t.end and t.start < e for t in found):
                continue
            if HYPOTHETICAL.search(text[max(start, s - 60) : s]):
                continue
            if BACKGROUND.search(text[max(start, s - 30) : s]):
                continue
            found.append(
                _foiled(Trigger(s, e, match.group(), sub, f"type:{rule}"), text, start, end)
            )
    found.sort(key=lambda t: t.start)
    violent = [t for t in found if t.violent and t.rule not in GENERIC]
    if not violent:
        violent = [_armed(t, text, start, end) for t in found if t.violent][:1]
    # "warplanes carried out airstrikes": one action named twice is one trigger.
    firsts: dict[str, Trigger] = {}
    for t in violent:
        firsts.setdefault(t.sub_event_type, t)
    others = [t for t in found if not t.violent]
    strategic = [t for t in others if t.event_type == "strategic_developments"]
    # A strategic action in a clause of its own ("..., while the SDF arrested 12 people")
    # stands beside a violent one; in the same clause it only describes it.
    strategic = [t for t in strategic if all(_own_clause(text, v, t) for v in violent)]
    kept = list(firsts.values()) + [t for t in others if t not in strategic and violent == []]
    if strategic:
        kept.append(min(strategic, key=lambda t: STRATEGIC_PRIORITY.index(t.sub_event_type)))
    return sorted(kept, key=lambda t: t.start)


# "foiled hostile drone attacks", "rockets were intercepted": the weapon was stopped, the
# strike did not land (ACLED's disrupted weapons use).
FOILED_BEFORE = re.compile(
    r"\b(?:foiled|thwarted|repelled|intercepted|shot down|downed|repulsed)\s+(?:an?\s+|the\s+|"
    r"two\s+|three\s+|\d+\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
FOILED_AFTER = re.compile(
    r"\s+(?:was|were)\s+(?:\w+ly\s+)?(?:foiled|thwarted|intercepted|shot down|downed)\b",
    re.IGNORECASE,
)
FOILABLE = ("air_drone_strike", "shelling_artillery_missile_attack")


def _foiled(trigger: Trigger, text: str, start: int, end: int) -> Trigger:
    """A drone, rocket or missile attack that was stopped: disrupted weapons use."""
    if trigger.sub_event_type in FOILABLE and (
        FOILED_BEFORE.search(text, max(start, trigger.start - 40), trigger.start)
        or FOILED_AFTER.match(text, trigger.end, end)
    ):
        return replace(trigger, sub_event_type="disrupted_weapons_use", rule="type:foiled")
    return trigger


def _armed(trigger: Trigger, text: str, start: int, end: int) -> Trigger:
    """A generic trigger with the sub-type of the weapon its sentence names, if one."""
    for sub, weapon in WEAPONS:
        if weapon.search(text, start, end):
            return replace(trigger, sub_event_type=sub)
    return trigger


CLAUSE_BREAK = re.compile(r";|\b(?:while|whereas|meanwhile)\b|,\s+and\b", re.IGNORECASE)


def _own_clause(text: str, a: Trigger, b: Trigger) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    return bool(CLAUSE_BREAK.search(text, first.end, second.start))
