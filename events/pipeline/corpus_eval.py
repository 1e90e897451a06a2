"""Extraction (or a second annotator) scored on the rebuilt corpus against its annotations,
split by split (events/pipeline/corpus.py, scoring.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from events.models import Actor, Place
from events.pipeline.corpus import annotation_problems, annotations_load, corpus_reports
from events.pipeline.dates import reference_infer
from events.pipeline.scoring import (
    EventScores,
    family_of,
    record_from_annotation,
    record_from_candidate,
    score_report,
)


class CorpusMismatch(ValueError):
    """Texts that are not the ones annotated (or annotations that do not parse)."""


def corpus_evaluate(
    folder: Path, gold_path: Path, split: str | None, against: Path | None = None
) -> EventScores:
    """Scores over the reports of `split` that `gold_path` annotates. Predictions are Atlas's
    candidates, or with `against` another annotation file (agreement). A text whose hash
    differs from its annotation's stops the evaluation, naming it."""
    from events.pipeline.candidates import report_candidates

    gold = annotations_load(gold_path)
    other = annotations_load(against) if against else None
    reports = [r for r in corpus_reports(folder, split) if r.file in gold]
    problems = [p for r in reports for p in annotation_problems(gold[r.file], r)]
    if other is not None:
        reports = [r for r in reports if r.file in other]
        problems += [p for r in reports for p in annotation_problems(other[r.file], r)]
    if problems:
        raise CorpusMismatch("\n".join(problems))
    points = {
        slug: (lat, lon)
        for slug, lat, lon in Place.objects.values_list("slug", "latitude", "longitude")
    }
    family = family_of(dict(Actor.objects.values_list("slug", "parent__slug")))
    scores = EventScores()
    for report in reports:
        wanted = [
            record_from_annotation(named_actors(e), points, f"{report.file} #{n} {_what(e)}")
            for n, e in enumerate(gold[report.file]["events"], start=1)
        ]
        if other is not None:
            found = [
                record_from_annotation(
                    named_actors(e), points, f"{report.file} #{n} ({against.name})"
                )
                for n, e in enumerate(other[report.file]["events"], start=1)
            ]
        else:
            # An undated report is dated from its text, as ingest does (dates.reference_infer).
            reference = report.published or reference_infer(report.body, report.url).day
            candidates = report_candidates(
                report.body, published=report.published, reference=reference,
                retrieved=date.today(),
            )  # fmt: skip
            found = [
                record_from_candidate(c, f"{report.file} {_what_found(c)} “{c.sentence.text[:60]}”")
                for c in candidates
            ]
        score_report(scores, found, wanted, family)
    return scores


def _what(event: dict) -> str:
    """An annotated event in a few words, for error lists: sub-type, place, dates, actors."""
    actors = "/".join(",".join(v) for v in (event.get("actors") or {}).values())
    where = event.get("place") or event.get("place_text")
    return (
        f"{event['sub_event_type']} at {where} ({event.get('location_precision')}) "
        f"{event.get('date_start')}..{event.get('date_end')} {actors}"
    )


def _what_found(c) -> str:
    """A candidate in the same few words."""
    where = c.place.slug if c.place else "|".join(c.unresolved_places) or "-"
    actors = "/".join(f"{a.slug}" for a, _ in c.actors)
    return (
        f"{c.sub_event_type} at {where} ({c.location_precision}) "
        f"{c.date_start}..{c.date_end} {actors}"
    )


def named_actors(event: dict) -> dict:
    """The event with each actor an annotator named in words ("?Asayish") given the slug of
    the one actor of the lexicon that name finds, if exactly one does (the lexicon grows
    after the annotation was written)."""
    from events.pipeline.actors import actors_find

    actors = {}
    for role, names in (event.get("actors") or {}).items():
        resolved = []
        for name in names:
            if name.startswith("?"):
                found = {m.actor.slug for m in actors_find(name[1:])}
                name = found.pop() if len(found) == 1 else name
            resolved.append(name)
        actors[role] = resolved
    return {**event, "actors": actors}
