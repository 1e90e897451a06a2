"""Write a report's candidate events: extracted, linked to the report by their evidence.

Candidates are keyed by the report and what makes them one event (type, place, dates), so
extracting again updates them instead of adding copies. An event an editor has touched
(saved in the admin, or moved on from "extracted") is never overwritten or removed; a
candidate the rules no longer propose is removed only while no one has touched it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from events.gazetteer.online import online_enabled, place_lookup_online
from events.models import EXTRACTION_DATASET, Event, EventActor, Evidence, Report
from events.pipeline.candidates import Candidate, report_candidates
from events.pipeline.dates import Reference, reference_infer

DATASET = EXTRACTION_DATASET


@dataclass
class ExtractResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # touched by an editor, left alone
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.kept} kept as edited, {self.removed} removed"
        )


def report_reference(report: Report) -> Reference:
    """The day relative dates are read against: the publication date, else the one the text
    or its URL gives (dates.reference_infer), else none (relative dates stay unresolved)."""
    if report.published:
        return Reference(report.published, "the publication date")
    return reference_infer(report.text, report.url, today=report_retrieved(report))


def report_retrieved(report: Report) -> date:
    """The day the report was retrieved (or stored): nothing it reports happened later."""
    moment = report.retrieved_at or report.created_at or timezone.now()
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _touched(event: Event) -> bool:
    return event.edited_at is not None or event.status != Event.Status.EXTRACTED


def _description(c: Candidate) -> str:
    lines = [s.text for s in c.sentences]
    if c.unresolved_places:
        lines.append("Place not in the gazetteer: " + ", ".join(c.unresolved_places) + ".")
    if c.injured:
        lines.append(f"Injured: {c.injured}.")
    return "\n\n".join(lines)


def _fill(event: Event, c: Candidate) -> None:
    event.title = c.title
    event.description = _description(c)
    event.event_type = c.event_type
    event.sub_event_type = c.sub_event_type
    event.date_start, event.date_end = c.date_start, c.date_end
    event.date_precision = c.date_precision
    event.place_id = c.place.pk if c.place else None
    event.location_precision = c.location_precision
    event.own_coordinates = False
    if c.place is None:
        event.latitude = event.longitude = None
    event.fatalities_low = c.fatalities_low
    event.fatalities_best = c.fatalities_best
    event.fatalities_high = c.fatalities_high
    event.confidence = c.confidence
    event.status = Event.Status.EXTRACTED


def report_extract(report: Report, *, precomputed=None) -> ExtractResult:
    """Run the pipeline on a saved report and write its candidates, all or nothing.
    `precomputed` (ingest.Precomputed): candidates found ahead in another process, used when
    they were read against the same reference day as this report's."""
    result = ExtractResult()
    reference = report_reference(report).day
    if precomputed is not None and precomputed.reference == reference:
        candidates = precomputed.candidates
    else:
        candidates = report_candidates(
            report.text,
            published=report.published,
            reference=reference,
            retrieved=report_retrieved(report),
        )
    if online_enabled():
        _resolve_online(candidates)
    prefix = f"{report.content_hash[:16]}-"
    with transaction.atomic():
        existing = {
            e.import_ref: e
            for e in Event.objects.filter(dataset=DATASET, import_ref__startswith=prefix)
        }
        for c in candidates:
            ref = prefix + c.ref
            event = existing.pop(ref, None)
            if event is not None and _touched(event):
                result.kept += 1
                continue
            new = event is None
            event = event or Event(dataset=DATASET, import_ref=ref)
            before = _snapshot(event)
            _fill(event, c)
            if not new and before == _snapshot(event) and _roles_of(event) == _candidate_roles(c):
                result.unchanged += 1
                continue
            if new:
                result.created += 1
            else:
                result.updated += 1
            event.save()
            _write_roles(event, c)
            first = c.sentences[0]
            Evidence.objects.update_or_create(
                event=event,
                report=report,
                defaults={
                    "quote": report.text[first.start : first.end],
                    "start": first.start,
                    "end": first.end,
                    "rules": c.rules,
                },
            )
        for event in existing.values():
            if _touched(event):
                result.kept += 1
            else:
                event.delete()
                result.removed += 1
    return result


SNAPSHOT = [
    "title",
    "description",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place_id",
    "location_precision",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "confidence",
]


def _snapshot(event: Event) -> tuple:
    return tuple(getattr(event, f) for f in SNAPSHOT)


def _roles_of(event: Event) -> set[tuple[int, str]]:
    return set(EventActor.objects.filter(event=event).values_list("actor_id", "role"))


def _candidate_roles(c: Candidate) -> set[tuple[int, str]]:
    return {(actor.pk, role) for actor, role in _roles(c)}


def _roles(c: Candidate) -> list[tuple[object, str]]:
    """The candidate's roles with at most one actor 1 and one actor 2."""
    roles, taken = [], set()
    for actor, role in c.actors:
        if role in ("actor1", "actor2") and role in taken:
            role = "assoc1" if role == "actor1" else "assoc2"
        taken.add(role)
        roles.append((actor, role))
    return roles


def _resolve_online(candidates: list[Candidate]) -> None:
    """Opt-in: ask Nominatim for names the gazetteer lacks (settings.ATLAS_GEOCODER_ONLINE)."""
    from events.gazetteer.geocoder import place_index

    for c in candidates:
        if c.place is None and c.unresolved_places:
            found = place_lookup_online(c.unresolved_places[0])
            if found is not None:
                c.place = next(e for e in place_index().entries if e.pk == found.pk)
                c.unresolved_places = []
                c.rules.append("place:nominatim")


def _write_roles(event: Event, c: Candidate) -> None:
    """Replace the event's actors with the candidate's: one actor 1 and one actor 2 at most."""
    EventActor.objects.filter(event=event).delete()
    EventActor.objects.bulk_create(
        EventActor(event=event, actor_id=actor.pk, role=role) for actor, role in _roles(c)
    )
