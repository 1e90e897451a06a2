"""Score extraction against the hand-annotated gold file (fixtures/gold/extraction.json).

Per report, micro-averaged over all reports:
- places: gazetteer places named (a gold item lists the acceptable readings, e.g. the city or
  the governorate of Deir ez-Zor), plus names the gazetteer lacks, kept as unresolved;
- actors: actors named;
- dates: date phrases whose text overlaps the gold phrase and whose window overlaps its window;
- types: the ACLED sub-types of the report's events;
- events: a candidate matches a gold event (one to one) when it has the same ACLED type, the
  same place or one within 25 km (UCDP's "near"), a date window that overlaps, and an actor in
  common (a unit counts as its force: Quds Force is IRGC).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from geopy.distance import geodesic

from events.models import Actor, Place
from events.pipeline.actors import actors_find
from events.pipeline.candidates import Candidate, report_candidates
from events.pipeline.dates import dates_find
from events.pipeline.places import places_find
from events.pipeline.scoring import Score, family_of
from events.pipeline.text import sentences_split

GOLD_PATH = Path(settings.BASE_DIR) / "fixtures" / "gold" / "extraction.json"
SEED_PATH = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
NEAR_KM = 25


def gold_load(path: Path = GOLD_PATH) -> list[dict]:
    """The gold reports, each with its text (taken from the seed fixture by content hash)."""
    gold = json.loads(path.read_text())["reports"]
    texts = {
        obj["fields"]["content_hash"]: obj["fields"]["text"]
        for obj in json.loads(SEED_PATH.read_text())
        if obj["model"] == "events.report"
    }
    for report in gold:
        report["text"] = texts[report["content_hash"]]
    return gold


def _same_actors(predicted: set[str], gold: set[str], family: dict[str, set[str]]) -> bool:
    return any(p in family.get(g, {g}) or g in family.get(p, {p}) for p in predicted for g in gold)


def _event_matches(c: Candidate, g: dict, coordinates: dict, family) -> bool:
    if str(c.event_type) != g["event_type"] or c.place is None:
        return False
    if c.place.slug != g["place"] and not _seat_of(c.place.slug, g["place"]):
        gold_point = coordinates.get(g["place"])
        if gold_point is None:
            return False
        if geodesic((c.place.latitude, c.place.longitude), gold_point).km > NEAR_KM:
            return False
    start, end = date.fromisoformat(g["date_start"]), date.fromisoformat(g["date_end"])
    if c.date_end < start or c.date_start > end:
        return False
    gold_actors = {a for actors in g["actors"].values() for a in actors}
    return not gold_actors or _same_actors({a.slug for a, _ in c.actors}, gold_actors, family)


SEATS = [
    {"deir-ez-zor", "deir-ez-zor-governorate-sy"},
    {"homs", "homs-governorate-sy"},
    {"hasakah", "hasakah-governorate-sy"},
    {"raqqa", "raqqa-governorate-sy"},
]


def _seat_of(a: str, b: str) -> bool:
    """'In Deir Ezzor' names the city or the governorate: the gold says which, the text not."""
    return {a, b} in SEATS


def _set_score(score: Score, predicted: set, gold_items: list[list[str]], label: str) -> None:
    matched = set()
    for item in gold_items:
        hit = next((p for p in item if p in predicted and p not in matched), None)
        if hit is None:
            score.fn += 1
            score.misses.append(f"{label}: {item[0]}")
        else:
            matched.add(hit)
            score.tp += 1
    for p in sorted(predicted - matched):
        if not any(p in item for item in gold_items):
            score.fp += 1
            score.extras.append(f"{label}: {p}")


def extraction_evaluate(gold: list[dict] | None = None) -> dict[str, Score]:
    """Precision, recall and F1 of each step over the gold reports (reads the gazetteer and
    the actors from the database; writes nothing)."""
    gold = gold_load() if gold is None else gold
    scores = {k: Score() for k in ("places", "actors", "dates", "types", "events")}
    coordinates = {s: (lat, lon) for s, lat, lon in Place.objects.values_list(
        "slug", "latitude", "longitude")}  # fmt: skip
    family = family_of(dict(Actor.objects.values_list("slug", "parent__slug")))
    for report in gold:
        text, label = report["text"], report["file"][:3]
        reference = date.fromisoformat(report["reference"])
        sentences = sentences_split(text)
        actors = actors_find(text)
        places = places_find(text, sentences, skip=[(a.start, a.end) for a in actors])
        resolved = {m.place.slug for m in places if m.resolved}
        unresolved = {m.surface for m in places if not m.resolved}
        _set_score(
            scores["places"],
            resolved | unresolved,
            report["places"] + [[n] for n in report["unresolved_places"]],
            label,
        )
        _set_score(
            scores["actors"], {a.actor.slug for a in actors}, [[a] for a in report["actors"]], label
        )
        _dates_score(scores["dates"], dates_find(text, reference), report["dates"], label)
        candidates = report_candidates(text, published=reference, reference=reference)
        types = {c.sub_event_type for c in candidates}
        _set_score(scores["types"], types, [[t] for t in report["types"]], label)
        _events_score(scores["events"], candidates, report["events"], coordinates, family, label)
    return scores


def _overlap(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def _dates_score(score: Score, found, gold_dates: list[dict], label: str) -> None:
    used = set()
    for g in gold_dates:
        start, end = date.fromisoformat(g["start"]), date.fromisoformat(g["end"])
        hit = next(
            (
                i
                for i, d in enumerate(found)
                if i not in used
                and _overlap(g["text"], d.surface)
                and not (d.date_end < start or d.date_start > end)
            ),
            None,
        )  # fmt: skip
        if hit is None:
            score.fn += 1
            score.misses.append(f"{label}: {g['text']}")
        else:
            used.add(hit)
            score.tp += 1
    for i, d in enumerate(found):
        if i not in used:
            score.fp += 1
            score.extras.append(f"{label}: {d.surface}")


def _events_score(score: Score, candidates, gold_events, coordinates, family, label) -> None:
    """One-to-one matching: first candidates at the gold event's own place, then nearby ones."""
    used: set[int] = set()
    matched: dict[int, int] = {}
    for exact in (True, False):
        for gi, g in enumerate(gold_events):
            if gi in matched:
                continue
            for i, c in enumerate(candidates):
                if i in used or (exact and (c.place is None or c.place.slug != g["place"])):
                    continue
                if _event_matches(c, g, coordinates, family):
                    used.add(i)
                    matched[gi] = i
                    break
    for gi, g in enumerate(gold_events):
        if gi in matched:
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{label}: {g['seed_event']} {g['sub_event_type']} {g['place']}")
    for i, c in enumerate(candidates):
        if i not in used:
            score.fp += 1
            where = c.place.slug if c.place else "-"
            score.extras.append(f"{label}: {c.sub_event_type} {where} | {c.sentence.text[:60]}")
