"""Candidate events: one per distinct action, place and time, with roles and evidence.

A sentence with a trigger (types.py) proposes an event. Its actors are the ones named in the
trigger's stretch of the sentence, given ACLED roles by where they stand: before the trigger is
actor 1, after "against"/"on" is actor 2, "by X" after it is actor 1 (passive), "with X",
"allied X" are associated. Its place is each specific place of the sentence (a town, a base),
else the region it names (a governorate, a desert), else the last place of the paragraph. Its
date is the sentence's date phrase, else the paragraph's last one, else the publication date
as a window that says so. Candidates with the same type, place and dates are one event, with
the first sentence as evidence and every rule that fired.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise

from events.gazetteer.geocoder import Entry, place_index
from events.models import SUB_EVENT_PARENT, DatePrecision, EventType, SubEventType
from events.models import LocationPrecision as Where
from events.pipeline.actors import (
    ActorEntry,
    ActorMention,
    actor_lexicon,
    actors_find,
    side_of,
)
from events.pipeline.classifier import INCIDENT_FLOOR, incident_model
from events.pipeline.dates import WAR_START, DateMention, dates_find, dates_undated, precision_for
from events.pipeline.fatalities import fatalities_find
from events.pipeline.places import LISTED, PlaceMention, datelines_find, places_find
from events.pipeline.text import Sentence, sentences_split
from events.pipeline.types import (
    CLAUSE_BREAK,
    GENERIC,
    STRATEGIC_PRIORITY,
    VIOLENT_TYPES,
    Trigger,
    triggers_find,
)

# Governorate seats: "in Deir Ezzor" or "in Homs" names the province as often as the city.
GOVERNORATE_SEATS = frozenset(
    "deir-ez-zor homs hasakah ar-raqqah aleppo damascus hamah idlib latakia tartus".split()
)
CIVILIANS = 7
UNIDENTIFIED = "unidentified-armed-group"
AGAINST = re.compile(r"\b(?:against|on|at|targeting|targeted|toward|towards|upon|killed|killing|"
                     r"wounded|attacked|ambushed|struck|kidnapped|abducted|arrested|executed)"
                     r"\s+(?:the\s+)?"
                     r"(?:[\w'\u2019]+\s+){0,4}$", re.IGNORECASE)  # fmt: skip
# "SDF-controlled areas", "Iran-backed": the actor describes something, it does not act.
ATTRIBUTIVE = re.compile(r"-(?:controlled|held|run|affiliated|backed|led|dominated|made)\b")
# "according to the SDF", "a statement by the coalition cited by": a source, not a party
# (GUIDELINES.md, section 5).
SOURCE = re.compile(
    r"\b(?:according to|reported by|cited by|quoted by|citing|as told to|sources? (?:in|from|close "
    r"to|within))\s+(?:(?:a|an|the)\s+)?(?:(?:statement|sources?|spokesm[ae]n|media|official|"
    r"officials|commander|report|outlet)\s+(?:of|from|by|in|close to)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# "exercises of the coalition": the coalition holds them.
OF_AGENT = re.compile(r"\s+(?:\w+\s+){0,2}?of\s+(?:the\s+)?", re.IGNORECASE)
BY = re.compile(r"\bby\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
WITH = re.compile(
    r"\b(?:with|alongside|along with|supported by|backed by|in cooperation with|"
    r"collaboration with|accompanied by|allied|and allied|together with|joined by|"
    r"supervised by|from the)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
BE_BEFORE = re.compile(r"\b(?:was|were|been|being|are|is)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
PASSIVE = re.compile(
    r"\b(?:suffered|came under|were targeted|was targeted|were attacked|was attacked|"
    r"were hit|was hit|victims of|was killed|were killed)\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    """One proposed event with everything the editor needs to judge it."""

    event_type: str
    sub_event_type: str
    sentence: Sentence
    place: Entry | None
    location_precision: int
    unresolved_places: list[str]
    date_start: date
    date_end: date
    date_precision: int
    actors: list[tuple[ActorEntry, str]]  # (actor, role)
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    injured: int | None
    confidence: float
    rules: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def signature(self) -> str:
        """What makes two candidates the same event: type, place and dates."""
        where = self.place.slug if self.place else "|".join(self.unresolved_places) or "-"
        return f"{self.event_type}/{where}/{self.date_start}/{self.date_end}"

    @property
    def ref(self) -> str:
        return hashlib.sha1(self.signature.encode()).hexdigest()[:12]

    @property
    def title(self) -> str:
        names = {r: a.name for a, r in self.actors}
        who = names.get("actor1", "Unidentified actor")
        if "actor2" in names:
            who += f" vs {names['actor2']}"
        where = self.place.name if self.place else (self.unresolved_places or ["?"])[0]
        label = SubEventType(self.sub_event_type).label
        return f"{label}: {who}, {where}"[:300]


def _regional(mention: PlaceMention) -> bool:
    """A name for a region rather than a spot: governorates, deserts, rivers, and a
    governorate's seat named bare in a sentence that names somewhere more precise."""
    place = mention.place
    return (
        place is None
        or place.kind in ("governorate", "area", "river")
        or mention.precision >= Where.GOVERNORATE
        or place.slug in GOVERNORATE_SEATS
    )


def _reference(mention: PlaceMention, text: str, previous: PlaceMention | None) -> bool:
    """'the Al-Rahbah fortress near Al-Mayadin': Al-Mayadin only locates the fortress."""
    if previous is None:
        return False
    between = text[previous.end : mention.start]
    return bool(re.fullmatch(r"[\s\w,'\u2019-]{0,25}?\b(?:near|outskirts of|in|of|north of|"
                             r"south of|east of|west of|southeast of|northeast of|southwest of|"
                             r"northwest of)\s+(?:the\s+)?", between, re.IGNORECASE))  # fmt: skip


OTHER_PLACES = re.compile(
    r"\s*(?:,\s*)?(?:and|or) (?:other|several|many|nearby|neighbouring|neighboring) "
    r"(?:places|villages|towns|areas|localities)",
    re.IGNORECASE,
)


def _series(where: list[PlaceMention], text: str) -> list[PlaceMention]:
    """A series the report does not break down ("raids in A, B and other villages"): one event
    at the governorate the listed places share, precision 4 (GUIDELINES.md, section 10), the
    places kept for the editor. Places named one by one ("took A, B and C") stay events each."""
    listed = [m for m in where if m.resolved and m.place.kind not in ("governorate", "area")]
    if len(listed) < 2 or len(listed) != len(where):
        return where
    joined = all(LISTED.fullmatch(text, a.end, b.start) for a, b in pairwise(listed))
    if not joined or not OTHER_PLACES.match(text, listed[-1].end):
        return where
    units = {m.place.admin1_id or m.place.pk for m in listed}
    unit = place_index().by_pk.get(units.pop()) if len(units) == 1 else None
    if unit is None:
        return where
    names = ", ".join(m.surface for m in listed)
    return [
        PlaceMention(
            listed[0].start, listed[-1].end, text[listed[0].start : listed[-1].end], [unit],
            precision=Where.GOVERNORATE, rules=["place:key", f"place:series ({names})"],
        )
    ]  # fmt: skip


def _event_places(mentions: list[PlaceMention], text: str) -> list[PlaceMention]:
    """The places a sentence's event happens at: every specific place that is not only a
    reference point for another, else the first regional one that is not. A dateline is
    where the report was written. 'The village of X near Y' with X unknown to the gazetteer
    happens near Y: Y, at a coarser precision, with X kept for the editor."""
    located = []
    previous = None
    for m in (m for m in mentions if not m.dateline):
        if not _reference(m, text, previous):
            located.append(m)
        elif previous is not None and not previous.resolved and m.resolved:
            located[located.index(previous)] = replace(
                m,
                precision=max(m.precision, Where.NEAR),
                rules=[*m.rules, "place:near-unresolved"],
                unresolved_near=previous.surface,
            )
        previous = m
    specific = [
        m
        for m in located
        if (m.resolved and not _regional(m)) or (not m.resolved and "place:unresolved" in m.rules)
    ]
    if specific:
        return specific
    regional = [m for m in located if m.resolved]
    if not regional:
        return []
    order = {"area": 0, "river": 2, "governorate": 3}
    regional.sort(key=lambda m: (order.get(m.place.kind, 1), m.start))
    return [regional[0]]


# "in eastern Syria", "across Syria": all the report says of where, when it names no place.
REGION = re.compile(
    r"\b(?:(?:north|south)?(?:east|west)ern|northern|southern|central)\s+Syria\b|"
    r"\bSyria['\u2019]s\s+(?:north|south)?(?:east|west)\b"
)
COUNTRY = re.compile(r"\b(?:in|across|throughout|inside)\s+Syria\b")
LEAD = 400  # the headline and lead: where the report says what it is about


def _region(text: str, sentence: Sentence) -> tuple[str, int] | None:
    """The region (precision 5) or the country (precision 6) an event with no place happens
    in: from its sentence, else from the report's headline and lead."""
    for start, end in ((sentence.start, sentence.end), (0, min(len(text), LEAD))):
        if match := REGION.search(text, start, end):
            return match.group(), Where.AREA
        if match := COUNTRY.search(text, start, end):
            return "Syria", Where.COUNTRY
    return None


def _family(actor: ActorEntry) -> int:
    """The force an actor belongs to (a unit counts as its parent)."""
    return actor.parent_id or actor.pk


def _roles(
    text: str,
    sentence: Sentence,
    trigger: Trigger,
    actors: list[ActorMention],
    context: list[ActorEntry],
) -> list[tuple[ActorEntry, str]]:
    """ACLED roles by where each actor stands around the trigger."""
    # An actor named in the trigger ("Russian warplanes" struck) is its subject.
    after = [a for a in actors if a.start >= trigger.end]
    before = [a for a in actors if a.start < trigger.end and a not in after]
    side1: list[ActorEntry] = []
    side2: list[ActorEntry] = []
    assoc1: list[ActorEntry] = []
    # "was targeted", "were ambushed": what stands before the trigger was acted upon.
    passive = bool(PASSIVE.search(text[sentence.start : trigger.start])) or bool(
        BE_BEFORE.search(text, max(sentence.start, trigger.start - 16), trigger.start)
    )
    for a in after:
        lead = text[max(sentence.start, a.start - 40) : a.start]
        agent = not trigger.violent and OF_AGENT.fullmatch(text, trigger.end, a.start)
        if agent or (BY.search(lead) and not WITH.search(lead)):
            side1.append(a.actor)
        elif WITH.search(lead) and not AGAINST.search(lead[-12:]):
            assoc1.append(a.actor)
        elif trigger.violent or AGAINST.search(lead):
            side2.append(a.actor)
        else:
            assoc1.append(a.actor)
    for a in before:
        lead = text[max(sentence.start, a.start - 40) : a.start]
        if (passive and side1) or AGAINST.search(lead):
            side2.append(a.actor)
        elif WITH.search(lead):  # "in a joint operation with X, the SDF arrested"
            (side2 if passive and side1 else assoc1).append(a.actor)
        elif passive:
            side2.append(a.actor)
        else:
            side1.append(a.actor)
    if trigger.sub_event_type == SubEventType.ARMED_CLASH and not side2:
        # "the SDF and government forces clashed": a clash has two sides; a second force of
        # another family is the other side, not an ally.
        rival = next((a for a in side1[1:] if _family(a) != _family(side1[0])), None)
        if rival is not None:
            side1.remove(rival)
            side2.append(rival)
    if not trigger.violent and not side1 and side2 and not context:
        side1, side2 = side2, []
    if not side1 and context and (side2 or assoc1) and not trigger.violent:
        side1 = [context[0]]
    roles: list[tuple[ActorEntry, str]] = []
    seen: set[int] = set()
    for group, primary, associated in ((side1, "actor1", "assoc1"), (side2, "actor2", "assoc2")):
        for i, actor in enumerate(group):
            if actor.pk not in seen:
                seen.add(actor.pk)
                roles.append((actor, primary if i == 0 else associated))
    for actor in assoc1:
        if actor.pk not in seen:
            seen.add(actor.pk)
            roles.append((actor, "assoc1"))
    if trigger.violent and side2 and not side1 and not assoc1:
        # Only the target is named: the attacker is the one the text spoke of last, else
        # unidentified (GUIDELINES.md, section 5); a mine or a bomb is nobody's in particular.
        planted = trigger.sub_event_type in ("remote_explosive_landmine_ied", "suicide_bomb")
        known = [a for a in context if a.pk not in seen and not planted]
        attacker = known[0] if known else actor_lexicon().by_slug.get(UNIDENTIFIED)
        if attacker is not None:
            roles.insert(0, (attacker, "actor1"))
    if not any(r == "actor1" for _, r in roles):
        roles = [(a, "actor1" if r == "assoc1" and i == 0 else r) for i, (a, r) in enumerate(roles)]
    return _sides(roles)


def _sides(roles: list[tuple[ActorEntry, str]]) -> list[tuple[ActorEntry, str]]:
    """Associates sorted by side (actors.SIDES): one of another side than actor 1 is actor 2
    when none is named, else an associate of the side it fights on; "gunmen" beside named
    forces are not a third party."""
    first = next((a for a, r in roles if r == "actor1"), None)
    if first is None:
        return roles
    named = any(a.slug != UNIDENTIFIED for a, _ in roles)
    second = next((a for a, r in roles if r == "actor2"), None)
    sorted_roles = []
    for actor, role in roles:
        if role in ("assoc1", "assoc2") and actor.slug == UNIDENTIFIED and named:
            continue
        if role == "assoc1" and side_of(actor) != side_of(first):
            if second is None:
                second, role = actor, "actor2"
            elif side_of(actor) == side_of(second):
                role = "assoc2"
        sorted_roles.append((actor, role))
    return sorted_roles


def _segment(text: str, triggers: list[Trigger], i: int, sentence: Sentence) -> tuple[int, int]:
    """The stretch of the sentence that belongs to trigger i: up to a clause break between it
    and its neighbours ("..., while ..."), else up to the neighbouring trigger."""
    start = sentence.start
    if i > 0:
        start = triggers[i - 1].end
        breaks = list(CLAUSE_BREAK.finditer(text, start, triggers[i].start))
        start = breaks[-1].start() if breaks else start
    end = sentence.end
    if i < len(triggers) - 1:
        end = triggers[i + 1].start
        found = CLAUSE_BREAK.search(text, triggers[i].end, end)
        end = found.start() if found else end
    return start, end


def report_candidates(
    text: str, *, published: date | None, reference: date | None, retrieved: date | None = None
) -> list[Candidate]:
    """Candidate events of one report text (pure: reads the gazetteer and actors only).

    `published` is the report's date; `reference` the day relative dates are read against
    (the publication date, or the one the text gives: dates.reference_infer). With none,
    nothing dates the report: relative dates get the widest window, up to `retrieved` (the
    day the report was retrieved), flagged date:undated-report; never today's date silently.
    """
    sentences = sentences_split(text)
    actors = [
        a
        for a in actors_find(text)
        if not ATTRIBUTIVE.match(text, a.end)
        and not SOURCE.search(text, max(0, a.start - 60), a.start)
    ]
    # "ISIS gunmen": a generic word right after a name describes that actor.
    actors = [
        a
        for i, a in enumerate(actors)
        if not (
            i and a.actor.slug == UNIDENTIFIED and not text[actors[i - 1].end : a.start].strip()
        )
    ]
    places = places_find(text, sentences, skip=[(a.start, a.end) for a in actors])
    retrieved = retrieved or reference or date.today()
    dates = dates_find(text, reference) if reference else dates_undated(text, retrieved)
    datelines = datelines_find(text)  # "DAMASCUS, Aug 14 (SANA) -" dates the report only
    dates = [d for d in dates if not any(s <= d.start < e for s, e in datelines)]
    raw: list[Candidate] = []
    # What the text last spoke of carries to the next sentences that do not say it again.
    last_place: list[PlaceMention] = []
    last_date: DateMention | None = None
    last_actors: list[tuple[ActorEntry, str]] = []
    for sentence in sentences:
        inside = lambda items, s=sentence: [x for x in items if s.start <= x.start < s.end]  # noqa: E731
        s_places = inside(places)
        s_dates = inside(dates)
        s_actors = inside(actors)
        where = _series(_event_places(s_places, text), text)
        if where:
            last_place = where
        event_dates = [d for d in s_dates if not d.reporting] or s_dates
        if event_dates:
            last_date = event_dates[0]
        triggers = (
            []
            if not_an_incident(sentence.text)
            else triggers_find(text, sentence.start, sentence.end)
        )
        reads = _reads_like_incident(sentence) if triggers else None
        if reads is not None and reads[0] < INCIDENT_FLOOR:
            triggers = []
        if not triggers:
            if s_actors:
                last_actors = [(a.actor, "actor1") for a in s_actors[:1]]
            _toll_after(raw, sentence, text)
            continue
        casualties = fatalities_find(sentence.text)
        for i, trigger in enumerate(triggers):
            seg_start, seg_end = _segment(text, triggers, i, sentence)
            seg_actors = [a for a in s_actors if seg_start <= a.start < seg_end] or s_actors
            rules = [trigger.rule, *(reads[1:] if reads else [])]
            context = [a for a, _ in last_actors]
            roles = _roles(text, sentence, trigger, seg_actors, context)
            if (
                context
                and roles
                and roles[0][0] == context[0]
                and not any(a.actor == context[0] for a in seg_actors)
            ):
                rules.append("actor:from-context")
            if not roles and last_actors:
                roles = last_actors
                rules.append("actor:from-context")
            if roles:
                last_actors = [r for r in roles if r[1] == "actor1"][:1] or roles[:1]
            if trigger.rule in RETOLD and "actor:from-context" in rules:
                _retold(raw, sentence, casualties)
                continue
            sub = trigger.sub_event_type
            sub = _settle_sub_type(trigger, sub, roles, text[seg_start:seg_end])
            seg_places = [m for m in s_places if seg_start <= m.start < seg_end]
            event_where = _event_places(seg_places, text) if len(triggers) > 1 else where
            event_where = _series(event_where, text) or where
            if not event_where:
                event_where = last_place
                if event_where:
                    rules.append("place:from-context")
            window = _date_for(event_dates, s_dates, last_date, published, reference, retrieved)
            first, last, precision, date_rule = window
            rules.append(date_rule)
            if casualties.rules:
                rules.extend(casualties.rules)
            targets = event_where or [None]
            for mention in targets:
                place = mention.place if mention else None
                unresolved = [mention.surface] if mention and not mention.resolved else []
                if mention and mention.unresolved_near:
                    unresolved = [mention.unresolved_near]
                place_rules = list(mention.rules) if mention else ["place:none"]
                region = None if mention else _region(text, sentence)
                if region is not None:
                    unresolved, place_rules = [region[0]], [f"place:region ({region[0]})"]
                if mention and mention.why:
                    place_rules.append(mention.why)
                precision_where = mention.precision if mention and mention.resolved else Where.EXACT
                if region is not None:
                    precision_where = region[1]
                if "place:from-context" in rules:
                    precision_where = max(precision_where, Where.NEAR)
                raw.append(
                    Candidate(
                        event_type=SUB_EVENT_PARENT[sub],
                        sub_event_type=sub,
                        sentence=sentence,
                        place=place,
                        location_precision=precision_where,
                        unresolved_places=unresolved,
                        date_start=first,
                        date_end=last,
                        date_precision=precision,
                        actors=roles,
                        fatalities_low=casualties.killed_low,
                        fatalities_best=casualties.killed_best,
                        fatalities_high=casualties.killed_high,
                        injured=casualties.wounded,
                        confidence=_confidence(
                            rules, roles, place, s_places, trigger, reads[0] if reads else None
                        ),
                        rules=[*rules, *place_rules],
                        sentences=[sentence],
                    )
                )
    found = incidents_fold(headlines_fold(candidates_merge(raw), _first_prose(sentences)))
    for c in found:
        c.actors = _sides(c.actors)  # the pooled mentions' actors, sorted by side again
        if _background(c, reference):
            # Kept for the editor (an analysis may list older incidents as its matter), but
            # flagged and at the bottom of the queue.
            c.rules.append(f"date:background ({(reference - c.date_end).days} days before)")
            c.confidence = min(c.confidence, BACKGROUND_CONFIDENCE)
    return found


# An incident over two weeks before the report's date is likely history the report recalls,
# not its news (GUIDELINES.md, section 1: background). Two weeks did best on the dev split (7
# to 120 days tried); dropping such candidates cost the seed reports (analyses that list
# older incidents) three events, so they stay, flagged and with low confidence.
BACKGROUND_DAYS = 14
BACKGROUND_CONFIDENCE = 0.3


def _background(c: Candidate, reference: date | None) -> bool:
    """Whether the candidate is background: dated, and over BACKGROUND_DAYS before the
    report's reference date."""
    if reference is None or c.date_start <= WAR_START:
        return False
    return (reference - c.date_end).days > BACKGROUND_DAYS


def _headline(sentence: Sentence, first_prose: int) -> bool:
    """A title or sub-heading: a short line before the first paragraph of prose, or a line
    that does not end like a sentence."""
    end = re.sub(r"(?:\[\d+\])+$", "", sentence.text.rstrip())  # footnote marks: "drones.[1]"
    return sentence.paragraph < first_prose or not end.endswith(
        (".", "!", "?", '"', "\u201d", "'", ")")
    )


def _first_prose(sentences: list[Sentence]) -> int:
    """The first line of more than 25 words: what comes before it is title and lede."""
    words: dict[int, int] = {}
    for s in sentences:
        words[s.paragraph] = words.get(s.paragraph, 0) + len(s.text.split())
    return min((p for p, n in words.items() if n > 25), default=0)


def _twins(headline: Candidate, body: Candidate) -> bool:
    """Whether a headline's candidate restates a body candidate: the same type, and the same
    place or a vaguer one (none, a region), with an actor in common when both name some."""
    if headline.event_type != body.event_type and not (
        headline.event_type in VIOLENT_TYPES and body.event_type in VIOLENT_TYPES
    ):
        return False
    actors = {a.pk for a, _ in headline.actors}
    if actors and body.actors and not actors & {a.pk for a, _ in body.actors}:
        return False
    place = headline.place
    if place is None or (body.place and place.slug == body.place.slug):
        return True
    return place.kind in ("governorate", "area", "river") or place.slug in GOVERNORATE_SEATS


def headlines_fold(candidates: list[Candidate], first_prose: int) -> list[Candidate]:
    """A headline restates the body: its candidate joins the body's event of the same type at
    the same place (its sentence becomes more evidence) instead of standing alone."""
    body = [c for c in candidates if not all(_headline(s, first_prose) for s in c.sentences)]
    kept = list(body)
    for c in candidates:
        if c in body:
            continue
        twin = next((b for b in body if _twins(c, b)), None)
        if twin is None:
            kept.append(c)
            continue
        twin.sentences.extend(s for s in c.sentences if s not in twin.sentences)
        twin.rules = list(dict.fromkeys([*twin.rules, "headline"]))
    return sorted(kept, key=lambda c: c.sentence.start)


def incidents_fold(candidates: list[Candidate]) -> list[Candidate]:
    """Mentions of one incident in one report (the lead, the body, a claim, "the attack")
    become one candidate (ACLED: one event per actors, place and day): a candidate of the same
    kind, at the same place or a vaguer one, in an overlapping window, with an actor in common
    (or none named), joins the most precise one; its sentences become more evidence and the
    larger death toll is kept."""
    order = sorted(
        candidates,
        key=lambda c: (c.location_precision, (c.date_end - c.date_start).days, c.sentence.start),
    )
    kept: list[Candidate] = []
    for c in order:
        same = next((k for k in kept if _same_incident(c, k)), None)
        if same is None:
            kept.append(c)
            continue
        same.sentences.extend(x for x in c.sentences if x not in same.sentences)
        same.rules = list(dict.fromkeys([*same.rules, "same-incident"]))
        if (c.fatalities_best or 0) > (same.fatalities_best or 0):
            _toll_take(same, c.fatalities_low, c.fatalities_best, c.fatalities_high)
        have = {a.pk for a, _ in same.actors}
        same.actors += [(a, r) for a, r in c.actors if a.pk not in have and not same.actors]
    return sorted(kept, key=lambda c: c.sentence.start)


def _same_incident(c: Candidate, k: Candidate) -> bool:
    """Whether `c` restates `k` (the more precise): see incidents_fold. "The attack" told
    with a generic word (attacked, targeted, killed) restates a strike or a bombing there."""
    if c.event_type != k.event_type and not (
        _generic(c) and k.event_type in VIOLENT_TYPES and c.event_type in VIOLENT_TYPES
    ):
        return False
    if c.event_type == EventType.STRATEGIC and c.sub_event_type != k.sub_event_type:
        return False  # a meeting and a weapons transfer are two developments, not one told twice
    if c.date_end < k.date_start or c.date_start > k.date_end:
        return False
    region = any(r.startswith("place:region") for r in c.rules)
    if (
        c.place is None
        and c.unresolved_places
        and c.unresolved_places != k.unresolved_places
        and not region
    ):
        return False  # a place the gazetteer lacks is another place; "eastern Syria" is vaguer
    return _twins(c, k)


# A generic trigger ("the attack", "targeted", "clearing mines") in a sentence that names no
# party of its own retells an incident told before it; on the dev split 39 of 46 such
# candidates were wrong. The sentence joins the incident before it as evidence instead.
# (Military activity is not among them: "the militias set up positions in A, B and C" names
# new places; it cost the seed reports five events.)
RETOLD = frozenset({"type:attack", "type:kill-civilians", "type:ied"})


def _retold(raw: list[Candidate], sentence: Sentence, casualties) -> None:
    """A sentence that retells the last incident: more evidence for it, and its toll if it
    had none."""
    if not raw or sentence in raw[-1].sentences:
        return
    last = raw[-1]
    last.sentences.append(sentence)
    last.rules.append("retold")
    if last.fatalities_best is None and casualties.killed_best is not None:
        _toll_take(last, casualties.killed_low, casualties.killed_best, casualties.killed_high)


def _generic(c: Candidate) -> bool:
    """Whether only a generic word (attacked, targeted, killed) proposed the candidate."""
    kinds = {r for r in c.rules if r.startswith("type:")}
    return bool(kinds) and kinds <= GENERIC


# "A fighter of the SDF was shot dead", "gunmen killed an official": one person killed, no
# fight, no unit or post attacked: a targeted killing (GUIDELINES.md, section 1).
ONE_VICTIM = re.compile(
    r"\b(?:an?|one)\s+(?:[\w-]+\s+){0,3}?(?:member|fighter|officer|official|employee|commander|"
    r"soldier|leader|man|woman|shepherd|civilian|teacher|worker|doctor|driver|mukhtar|elder|"
    r"dignitary|notable|youth|young man|guard)\b|\bassassin",
    re.IGNORECASE,
)
FIGHT = re.compile(
    r"\b(?:clash\w*|fought|fighting|battles?|exchanged? (?:of )?fire|ambush\w*|repel\w*|"
    r"counter-?attack\w*|patrols?|vehicles?|checkpoints?|bases?|positions?|posts?|headquarters|"
    r"convoys?|soldiers|troops)\b",
    re.IGNORECASE,
)


def _settle_sub_type(
    trigger: Trigger, sub: str, roles: list[tuple[ActorEntry, str]], segment: str = ""
) -> str:
    """An attack on civilians, or a targeted killing of one person with no fight, is violence
    against civilians; who takes territory decides whether the government regains it or a
    non-state actor overtakes it."""
    actor1 = next((a for a, r in roles if r == "actor1"), None)
    targets = [a for a, r in roles if r in ("actor2", "assoc2")]
    attack = trigger.rule in GENERIC and sub == SubEventType.ARMED_CLASH
    if attack and targets and all(a.kind == CIVILIANS for a in targets):
        return SubEventType.ATTACK
    if attack and ONE_VICTIM.search(segment) and not FIGHT.search(segment):
        return SubEventType.ATTACK
    if trigger.rule == "type:territory" and actor1 is not None and actor1.kind == 1:
        return SubEventType.GOVERNMENT_REGAINS_TERRITORY
    return sub


# Sentences that report no incident (GUIDELINES.md, section 1): tallies and aggregates over a
# period, negations, captions. Their trigger words ("attacks", "killed") propose nothing.
TALLY = re.compile(
    r"\b(?:since the (?:beginning|start) of (?:the|this|last) year|"
    r"since (?:early|mid|late)[ -]\d{4}|since (?:the )?(?:beginning|start) of \d{4}|"
    r"so far (?:this|in) (?:year|month|\d{4})|(?:this|the past|last) (?:year|month)'s toll|"
    r"a total of|in total|the total (?:number|toll)|brings? the (?:total|number|toll)|"
    r"bringing the (?:total|number|toll)|death toll (?:since|in \d{4}|this year)|"
    r"documented \d+|\d+ (?:attacks|operations|incidents|assassinations) "
    r"(?:since|this year|in \d{4}|so far|during)|"
    # A kind of attack in general, or attacks gone before: "the attacks have included IEDs",
    # "attacks have increased", "after previous rocket and drone attacks".
    r"(?:attacks|operations|assaults|strikes) (?:have|had) (?:included|increased|intensified|"
    r"escalated|declined|decreased|continued)|"
    r"\b(?:previous|prior|past|earlier|repeated|frequent|recurrent) (?:\w+ ){0,3}?"
    r"(?:attacks|strikes|assaults|operations)\b)",
    re.IGNORECASE,
)
# "No clashes were reported": no incident. ("No casualties were reported" is a toll of zero
# for the incident it follows: fatalities.NO_CASUALTIES.)
NEGATED = re.compile(
    r"\b(?:no (?:clashes|attacks|fighting|strikes|battles)\b[^.;]{0,40}\b"
    r"(?:were|was|have been|has been)? ?(?:reported|recorded|documented)|"
    r"there (?:were|was) no (?:clashes|fighting|attacks?))",
    re.IGNORECASE,
)
CAPTION = re.compile(
    r"^\s*(?:\(?photo\b|file photo|image:|picture:|caption:|\[photo)", re.IGNORECASE
)


def _toll_take(c: Candidate, low: int | None, best: int | None, high: int | None) -> None:
    """The incident's death toll becomes (low, best, high), told by another of its mentions."""
    c.fatalities_low, c.fatalities_best, c.fatalities_high = low, best, high


def _toll_after(raw: list[Candidate], sentence: Sentence, text: str) -> None:
    """A death toll told in the next sentence, with no action of its own ("Two fighters were
    killed." after "ISIS attacked an SDF post"), belongs to the incident just before it in
    the paragraph, when that one has no toll yet."""
    if not raw or TALLY.search(sentence.text):
        return
    last = raw[-1]
    if last.fatalities_best is not None or not last.sentence.end <= sentence.start:
        return
    # The same paragraph, or the next one when nothing stands between (one-sentence paragraphs).
    gap = text[last.sentences[-1].end : sentence.start]
    if last.sentence.paragraph != sentence.paragraph and gap.strip():
        return
    toll = fatalities_find(sentence.text)
    if toll.killed_best is None:
        return
    _toll_take(last, toll.killed_low, toll.killed_best, toll.killed_high)
    last.rules.append("deaths:next-sentence")
    if sentence not in last.sentences:
        last.sentences.append(sentence)


def not_an_incident(sentence: str) -> bool:
    """Whether a sentence, whatever its trigger words, reports no single incident."""
    return bool(TALLY.search(sentence) or NEGATED.search(sentence) or CAPTION.match(sentence))


# Days before a dated "reported on ..." that its incident may have happened.
REPORTED_WITHIN = 1


def _date_for(event_dates, s_dates, paragraph_date, published, reference, retrieved):
    """(start, end, precision, rule) for a sentence's event."""
    chosen = event_dates[0] if event_dates else None
    for unresolved in (chosen, paragraph_date):  # an undated report's relative date stays open
        if unresolved is not None and unresolved.rule == "date:undated-report":
            return unresolved.date_start, unresolved.date_end, unresolved.precision, unresolved.rule
        if unresolved is not None:
            break
    if chosen is not None and chosen.reporting:
        # "a war monitor reported on Saturday": the event is that day's news or the night
        # before (dev: 72 of 82 date windows right, 65 with the week before).
        start = chosen.date_end - timedelta(days=REPORTED_WITHIN)
        end = chosen.date_end
        return start, end, precision_for(start, end), "date:before-report-of"
    if chosen is not None:
        return chosen.date_start, chosen.date_end, chosen.precision, chosen.rule
    if paragraph_date is not None:
        d = paragraph_date
        if d.reporting:
            start = d.date_end - timedelta(days=REPORTED_WITHIN)
            return start, d.date_end, precision_for(start, d.date_end), "date:from-context"
        return d.date_start, d.date_end, d.precision, "date:from-context"
    if published is not None:
        # No date in the text: the week before publication, and the precision says so.
        start = published - timedelta(days=7)
        return start, published, precision_for(start, published), "date:publication"
    if reference is not None:  # dated from its text: the month before that day
        start = reference - timedelta(days=30)
        return start, reference, DatePrecision.MONTH, "date:no-publication-date"
    return WAR_START, retrieved, precision_for(WAR_START, retrieved), "date:undated-report"


def _reads_like_incident(sentence: Sentence) -> tuple[float, str] | None:
    """(probability, the rule that says it and why) from the incident classifier; None
    without a model."""
    model = incident_model()
    if model is None:
        return None
    p, reasons = model.judge(sentence.text)
    return p, f"incident:{p:.2f} ({', '.join(reasons)})"


def _confidence(rules, roles, place, s_places, trigger, incident: float | None) -> float:
    """How likely an editor keeps the candidate: the classifier's probability that the
    sentence reports an incident, and how much of the event the rules found."""
    score = 0.3
    if any(r == "actor1" for _, r in roles):
        score += 0.2
    if any(r == "actor2" for _, r in roles) or not trigger.violent:
        score += 0.1
    if place is not None:
        score += 0.2 if s_places else 0.1
    if not any(r in rules for r in ("date:publication", "date:no-publication-date")):
        score += 0.1
    if "actor:from-context" in rules:
        score -= 0.1
    if incident is not None:
        score = 0.5 * score + 0.5 * incident
    return round(min(max(score, 0.05), 0.95), 2)


def candidates_merge(raw: list[Candidate]) -> list[Candidate]:
    """One candidate per type, place and dates: actors, sentences and rules pooled; the most
    specific strategic sub-type kept; the largest casualty count kept."""
    merged: dict[str, Candidate] = {}
    for c in raw:
        key = c.signature
        if key not in merged:
            merged[key] = c
            continue
        kept = merged[key]
        if kept.event_type == EventType.STRATEGIC and STRATEGIC_PRIORITY.index(
            c.sub_event_type
        ) < STRATEGIC_PRIORITY.index(kept.sub_event_type):
            kept.sub_event_type = c.sub_event_type
        have = {a.pk for a, _ in kept.actors}
        taken = {r for _, r in kept.actors}
        for actor, role in c.actors:
            if actor.pk in have:
                continue
            if role in taken and role in ("actor1", "actor2"):
                role = "assoc1" if role == "actor1" else "assoc2"
            if role == "actor2" and "actor1" not in taken:
                role = "actor1"
            kept.actors.append((actor, role))
            have.add(actor.pk)
            taken.add(role)
        if c.sentence not in kept.sentences:
            kept.sentences.append(c.sentence)
        kept.rules = list(dict.fromkeys([*kept.rules, *c.rules]))
        kept.confidence = round(min(0.95, max(kept.confidence, c.confidence) + 0.05), 2)
        if (c.fatalities_high or 0) > (kept.fatalities_high or 0):
            kept.fatalities_low = c.fatalities_low
            kept.fatalities_best = c.fatalities_best
            kept.fatalities_high = c.fatalities_high
        if (c.injured or 0) > (kept.injured or 0):
            kept.injured = c.injured
    return list(merged.values())
