"""Likely duplicates of an event: the same incident reported twice, or extracted from two reports.

Two events are likely the same when they are of the same type, their date windows overlap and
they lie near each other (geodesic distance within what their location precision allows), and
they share an actor (a unit counts as its force) or one of them names none. The same statement
in another report (near-identical evidence sentences) is enough on its own. Each match says
why, so the editor can judge it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from difflib import SequenceMatcher
from math import cos, radians

from geopy.distance import geodesic

from events.models import OWN_DATASETS, Actor, Event, EventActor, Evidence
from events.pipeline.actors import fold

# How far apart two events can lie and still be one, by the coarser location precision
# (UCDP where_prec): the place itself or near it 25 km, a district 50, a governorate 150, more.
NEAR_KM = {1: 25, 2: 25, 3: 50, 4: 150, 5: 300, 6: 1000, 7: 1000}
DATE_SLACK = timedelta(days=1)  # "yesterday" in one report is "on Monday" in another
SAME_STATEMENT = 0.8  # word-sequence similarity of two evidence sentences


@dataclass
class Duplicate:
    event: Event
    score: float
    reasons: list[str]


def _words(text: str) -> list[str]:
    return [fold(word) for word in text.split()]


def _families(event_ids: list[int]) -> dict[int, set[int]]:
    """event id -> its actors and their parents (a unit counts as its force). Two queries."""
    parents = dict(Actor.objects.values_list("pk", "parent_id"))
    families: dict[int, set[int]] = defaultdict(set)
    for event_id, actor_id in EventActor.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "actor_id"
    ):
        while actor_id is not None and actor_id not in families[event_id]:
            families[event_id].add(actor_id)
            actor_id = parents.get(actor_id)
    return families


def _quotes(event_ids: list[int]) -> dict[int, list[tuple[int, list[str], str]]]:
    """event id -> [(report id, the sentence's words, report title)]. One query."""
    quotes: dict[int, list[tuple[int, list[str], str]]] = defaultdict(list)
    rows = Evidence.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "report_id", "quote", "report__title"
    )
    for event_id, report_id, quote, title in rows:
        quotes[event_id].append((report_id, _words(quote), title))
    return quotes


def _same_statement(mine, theirs) -> str | None:
    """The title of the other report where the same statement appears, if any."""
    for report, words, _ in mine:
        for other_report, other_words, title in theirs:
            if report == other_report or not words or not other_words:
                continue
            if SequenceMatcher(None, words, other_words, autojunk=False).ratio() >= SAME_STATEMENT:
                return title
    return None


def _maybe_near(event: Event, latitude, longitude, precision: int) -> bool:
    """Within the box of the distance the coarser precision allows (geodesic comes later)."""
    if event.latitude is None or latitude is None:
        return event.latitude is None and latitude is None
    km = NEAR_KM[max(precision, event.location_precision)]
    return (
        abs(latitude - event.latitude) * 111 <= km
        and abs(longitude - event.longitude) * (111 * max(cos(radians(event.latitude)), 0.1)) <= km
    )


def duplicates_find(event: Event, limit: int = 5) -> list[Duplicate]:
    """The events most likely to be `event` again, best first. Seven queries."""
    # The date window, read through the (status, date_start, date_end) index: a few hundred
    # rows of five columns. Type and distance are checked here rather than in SQL, where an OR
    # of boxes would make the planner scan the coordinates index instead.
    live = [Event.Status.EXTRACTED, Event.Status.IN_REVIEW, Event.Status.PUBLISHED]
    window = list(
        Event.objects.filter(
            status__in=live,
            date_start__lte=event.date_end + DATE_SLACK,
            date_end__gte=event.date_start - DATE_SLACK,
        )
        .exclude(pk=event.pk)
        .order_by()
        .values_list("pk", "event_type", "latitude", "longitude", "location_precision")
    )
    # An event with evidence may be the same statement as any other with evidence, whatever
    # type each was given.
    with_evidence = set()
    if event.evidence.exists():
        with_evidence = set(
            Evidence.objects.filter(event_id__in=[row[0] for row in window]).values_list(
                "event_id", flat=True
            )
        )
    keep = [
        pk
        for pk, kind, lat, lon, precision in window
        if pk in with_evidence
        or (kind == event.event_type and _maybe_near(event, lat, lon, precision))
    ]
    others = list(Event.objects.filter(pk__in=keep[:2000]).select_related("place"))
    ids = [event.pk] + [o.pk for o in others]
    families, quotes = _families(ids), _quotes(ids)
    actor_names = dict(Actor.objects.values_list("pk", "name"))
    mine_actors, mine_quotes = families.get(event.pk, set()), quotes.get(event.pk, [])

    found = []
    for other in others:
        reasons, score = [], 0.0
        statement = _same_statement(mine_quotes, quotes.get(other.pk, []))
        if statement:
            reasons.append(f"the same statement in “{statement}”")
            score += 0.5
        near = False
        if event.latitude is not None and other.latitude is not None:
            km = geodesic((event.latitude, event.longitude), (other.latitude, other.longitude)).km
            limit_km = NEAR_KM[max(event.location_precision, other.location_precision)]
            near = km <= limit_km
            if near:
                reasons.append("the same place" if km < 1 else f"{km:.0f} km apart")
                score += 0.3 * (1 - km / (limit_km + 1))
        overlap = other.date_start <= event.date_end and other.date_end >= event.date_start
        if overlap:
            reasons.append("dates overlap")
            score += 0.2
        same_type = other.event_type == event.event_type
        if same_type:
            kind = other.get_sub_event_type_display()
            reasons.append(f"same type ({kind})")
            score += 0.15 + (0.05 if other.sub_event_type == event.sub_event_type else 0)
        theirs = families.get(other.pk, set())
        shared = mine_actors & theirs
        if shared:
            names = sorted(actor_names[a] for a in shared)
            reasons.append(f"shared actors: {', '.join(names)}")
            score += 0.2
        actors_agree = bool(shared) or not mine_actors or not theirs
        if other.dataset != event.dataset and other.dataset not in OWN_DATASETS:
            reasons.append(f"another dataset's record ({other.dataset.upper()} {other.import_ref})")
        if statement or (near and same_type and actors_agree):
            found.append(Duplicate(other, round(min(score, 1.0), 2), reasons))
    found.sort(key=lambda d: (-d.score, d.event.pk))
    return found[:limit]
