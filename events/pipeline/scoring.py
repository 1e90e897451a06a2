"""Scoring events against annotated events: Atlas's candidates against the gold standard, or
one annotator against another (their agreement is the ceiling extraction is compared with).

Both sides are turned into `Record`s. A predicted event matches a gold event (one to one,
greedily, the closest first) when it has the same ACLED event type, a date window that
overlaps, a place that is the same or within 25 km (UCDP's "near"; a report's text may name the
city or the governorate of Deir ez-Zor), and an actor in common (a unit counts as its force).
Fields are then judged on the matched pairs:

- place: the same place or within 25 km, and the same location precision or one step off;
- actor slots: per role (actor 1, actor 2, associates) the same actors;
- date window: start and end each within a day of the gold's;
- deaths: the same best estimate (both unknown counts as right);
- sub-type: the same ACLED sub-event type.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from events.gazetteer.geocoder import flat_km

NEAR_KM = 25
ROLES = ("actor1", "actor2", "assoc1", "assoc2")


@dataclass
class Record:
    """One event as scoring sees it."""

    event_type: str
    sub_event_type: str
    date_start: date | None
    date_end: date | None
    place: str | None  # gazetteer slug
    place_text: str
    point: tuple[float, float] | None
    location_precision: int | None
    actors: dict[str, frozenset[str]]  # role -> actor slugs (or "?name" for others)
    deaths: int | None
    label: str = ""  # for error lists: where it comes from
    confidence: float | None = None  # extraction's, for a candidate
    spans: tuple[tuple[int, int], ...] = ()  # evidence: character offsets in the report

    def all_actors(self) -> set[str]:
        return {a for actors in self.actors.values() for a in actors}


@dataclass
class FieldScore:
    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Score:
    """True and false positives and negatives, with what was missed and what was extra."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    causes: Counter = field(default_factory=Counter)  # error cause class -> how many

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EventScores(Score):
    """Events: a Score, with candidate counts, field scores and confidence bands."""

    reports: int = 0
    predicted: int = 0
    gold: int = 0
    fields: dict[str, FieldScore] = field(
        default_factory=lambda: {
            k: FieldScore() for k in ("place", "actor slots", "date window", "deaths", "sub-type")
        }
    )
    # confidence floor -> [right, proposed] for candidates at or above it
    bands: dict[float, list[int]] = field(
        default_factory=lambda: {0.8: [0, 0], 0.6: [0, 0], 0.4: [0, 0], 0.0: [0, 0]}
    )

    @property
    def per_report(self) -> float:
        """Candidates per true event (1.0: as many as there are)."""
        return self.predicted / self.gold if self.gold else float(self.predicted > 0)


def family_of(parents: dict[str, str | None]) -> dict[str, set[str]]:
    """slug -> itself and every force it sits within."""
    family = {}
    for slug in parents:
        chain, current = {slug}, parents[slug]
        while current and current not in chain:
            chain.add(current)
            current = parents.get(current)
        family[slug] = chain
    return family


def _related(a: str, b: str, family: dict[str, set[str]]) -> bool:
    return a == b or a in family.get(b, ()) or b in family.get(a, ())


def _same_place(p: Record, g: Record) -> bool:
    if p.place and p.place == g.place:
        return True
    if p.point and g.point:
        return flat_km(p.point, g.point) <= NEAR_KM
    # A place the gazetteer lacks: the same name ("Sahla Al-Banat" in "the Sahla Al-Banat area").
    a, b = p.place_text.casefold(), g.place_text.casefold()
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None


def _dates_overlap(p: Record, g: Record) -> bool:
    """Windows that overlap; a side that could not date the event does not block a match
    (the date window is then judged on its own: right only if both left it open)."""
    if None in (p.date_start, p.date_end, g.date_start, g.date_end):
        return True
    return not (p.date_end < g.date_start or p.date_start > g.date_end)


def matches(p: Record, g: Record, family) -> bool:
    if p.event_type != g.event_type or not _same_place(p, g) or not _dates_overlap(p, g):
        return False
    gold_actors, predicted = g.all_actors(), p.all_actors()
    if not gold_actors or not predicted:
        return True
    return any(_related(a, b, family) for a in predicted for b in gold_actors)


def _overlap(a: Record, b: Record) -> bool:
    """Whether two records share an evidence sentence."""
    return any(s < f and t < e for s, e in a.spans for t, f in b.spans)


def _mismatch(p: Record, g: Record, family) -> str:
    """The first matching criterion a prediction fails for a gold event."""
    if p.event_type != g.event_type:
        return "type"
    if not _same_place(p, g):
        return "place"
    if not _dates_overlap(p, g):
        return "date"
    return "actors"


def miss_cause(g: Record, predicted: list[Record], family) -> str:
    """Why a gold event was missed: nothing was proposed from its sentences, or something
    was, with another type, place, date or actors."""
    near = [p for p in predicted if _overlap(p, g)]
    if not near:
        return "missed: nothing proposed from its sentences"
    order = ("type", "place", "date", "actors")  # the closest candidate fails latest
    closest = max((_mismatch(p, g, family) for p in near), key=order.index)
    return f"missed: proposed with another {closest}"


def extra_cause(p: Record, gold: list[Record], missed: list[Record], family) -> str:
    """Why a candidate matched nothing: its sentences report no annotated event (background,
    a tally, a statement...), or they report one that another candidate already matched (a
    restatement not folded), or one it got wrong."""
    wrong = [g for g in missed if _overlap(p, g)]
    if wrong:
        return f"extra: {_mismatch(p, wrong[0], family)} wrong"
    if any(_overlap(p, g) for g in gold):
        return "extra: restates an event already found"
    return "extra: its sentences report no annotated event"


def _closeness(p: Record, g: Record) -> tuple:
    """Which of several matching predictions is the gold event's: same sub-type, nearer."""
    distance = flat_km(p.point, g.point) if p.point and g.point else 0.0
    return (p.sub_event_type != g.sub_event_type, distance)


def score_report(scores: EventScores, predicted: list[Record], gold: list[Record], family) -> None:
    """Add one report's events to the scores."""
    scores.reports += 1
    scores.predicted += len(predicted)
    scores.gold += len(gold)
    free = list(predicted)
    missed = []
    for g in gold:
        options = [p for p in free if matches(p, g, family)]
        if not options:
            missed.append(g)
            continue
        p = min(options, key=lambda p, g=g: _closeness(p, g))
        free.remove(p)
        scores.tp += 1
        _fields(scores, p, g, family)
    scores.fn += len(missed)
    scores.fp += len(free)
    for g in missed:
        cause = miss_cause(g, predicted, family)
        scores.causes[cause] += 1
        scores.misses.append(f"[{cause}] {g.label}")
    for p in free:
        cause = extra_cause(p, gold, missed, family)
        scores.causes[cause] += 1
        scores.extras.append(f"[{cause}] {p.label}")
    for p in predicted:
        if p.confidence is None:
            continue
        for floor, counts in scores.bands.items():
            if p.confidence >= floor:
                counts[0] += p not in free
                counts[1] += 1


def _fields(scores: EventScores, p: Record, g: Record, family) -> None:
    def judge(name: str, right: bool, what: str) -> None:
        field_score = scores.fields[name]
        field_score.total += 1
        field_score.right += right
        if not right:
            field_score.wrong.append(f"{g.label}: {what}")

    precision_ok = (
        p.location_precision is None
        or g.location_precision is None
        or abs(p.location_precision - g.location_precision) <= 1
    )
    judge(
        "place",
        _same_place(p, g) and precision_ok,
        f"{p.place or p.place_text} ({p.location_precision}) for "
        f"{g.place or g.place_text} ({g.location_precision})",
    )
    for role in ROLES:
        want, got = g.actors.get(role, frozenset()), p.actors.get(role, frozenset())
        if not want and not got:
            continue
        same = len(want) == len(got) and all(any(_related(a, b, family) for b in got) for a in want)
        judge("actor slots", same, f"{role} {sorted(got)} for {sorted(want)}")
    if g.date_start is None or p.date_start is None:
        right = g.date_start is None and p.date_start is None
    else:
        right = abs((p.date_start - g.date_start).days) <= 1 and (
            abs((p.date_end - g.date_end).days) <= 1
        )
    judge("date window", right, f"{p.date_start}..{p.date_end} for {g.date_start}..{g.date_end}")
    judge("deaths", p.deaths == g.deaths, f"{p.deaths} for {g.deaths}")
    judge(
        "sub-type",
        p.sub_event_type == g.sub_event_type,
        f"{p.sub_event_type} for {g.sub_event_type}",
    )


def record_from_annotation(event: dict, points: dict[str, tuple[float, float]], label: str):
    """An annotated event (GUIDELINES.md, section 9) as a Record."""

    def day(value):
        return date.fromisoformat(value) if value else None

    deaths = (event.get("deaths") or {}).get("best")
    return Record(
        event_type=event["event_type"],
        sub_event_type=event["sub_event_type"],
        date_start=day(event.get("date_start")),
        date_end=day(event.get("date_end")),
        place=event.get("place"),
        place_text=event.get("place_text") or "",
        point=points.get(event.get("place") or ""),
        location_precision=event.get("location_precision"),
        actors={
            role: frozenset(a.casefold() if a.startswith("?") else a for a in names)
            for role, names in (event.get("actors") or {}).items()
            if names
        },
        deaths=deaths,
        label=label,
        spans=tuple(tuple(span) for span in event.get("evidence") or ()),
    )


def record_from_candidate(c, label: str) -> Record:
    """An extraction candidate as a Record."""
    actors: dict[str, set[str]] = {}
    for actor, role in c.actors:
        actors.setdefault(role, set()).add(actor.slug)
    # An undated report's unresolved window (flagged) says "not known", as a null gold date does.
    undated = "date:undated-report" in c.rules
    return Record(
        event_type=str(c.event_type),
        sub_event_type=str(c.sub_event_type),
        date_start=None if undated else c.date_start,
        date_end=None if undated else c.date_end,
        place=c.place.slug if c.place else None,
        place_text=c.place.name if c.place else ", ".join(c.unresolved_places),
        point=(c.place.latitude, c.place.longitude) if c.place else None,
        location_precision=c.location_precision,
        actors={role: frozenset(slugs) for role, slugs in actors.items()},
        deaths=c.fatalities_best,
        label=label,
        confidence=c.confidence,
        spans=tuple((s.start, s.end) for s in c.sentences),
    )
