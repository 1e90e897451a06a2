"""What the public may see besides the events themselves, and the version of it.

The public API shows published events, and of actors, places and reports only those that
published events use (a name typed for an unreviewed candidate stays private). Its ETags and
cached bodies follow that public data alone: editors working on unpublished events change
neither.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max

from events.models import Actor, Event, EventActor, Evidence, Place, Report, Source


def public_actor_ids() -> set[int]:
    """Actors of published events, with the forces and umbrellas they belong to (the map's
    actor tree needs them). Two queries."""
    used = set(
        EventActor.objects.filter(event__status=Event.Status.PUBLISHED)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    parents = dict(Actor.objects.values_list("pk", "parent_id"))
    ids = set()
    for actor in used:
        while actor is not None and actor not in ids:
            ids.add(actor)
            actor = parents.get(actor)
    return ids


def _public_ids(stamp: str) -> tuple[list[int], list[int]]:
    """(actor ids, report ids) the public sees, remembered for this version of the published
    events. Three queries when the events changed, none otherwise. (Places are one per event
    in a large dataset: public_version asks for theirs with a subquery instead of a list.)"""
    key = "public-ids:" + hashlib.sha256(stamp.encode()).hexdigest()[:32]
    ids = cache.get(key)
    if ids is None:
        public = Event.objects.public()
        reports = Evidence.objects.filter(event__in=public.values("pk"))
        ids = (
            sorted(public_actor_ids()),
            sorted(reports.values_list("report_id", flat=True).distinct()),
        )
        cache.set(key, ids, timeout=3600)
    return ids


def public_version() -> str:
    """A digest of everything public: the published (and merged) events, and the actors,
    places, reports and outlets they show. Five small queries."""
    events = Event.objects.public().aggregate(n=Count("pk"), t=Max("updated_at"))
    stamp = repr(events)
    actor_ids, report_ids = _public_ids(stamp)
    places = Event.objects.public().values("place_id")
    parts = [
        stamp,
        Actor.objects.filter(pk__in=actor_ids).aggregate(t=Max("updated_at")),
        Place.objects.filter(pk__in=places).aggregate(t=Max("updated_at")),
        Report.objects.filter(pk__in=report_ids).aggregate(t=Max("updated_at")),
        Source.objects.aggregate(t=Max("updated_at")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def hidden_place_ids() -> frozenset[int]:
    """Places the public may not see: neither in the open gazetteer nor used by a published
    event (a name typed for an unreviewed candidate). One query; usually a few ids."""
    used = Event.objects.public().exclude(place=None).values("place_id")
    hidden = Place.objects.exclude(pk__in=Place.objects.gazetteer().values("pk"))
    return frozenset(hidden.exclude(pk__in=used).values_list("pk", flat=True))


def public_survivor(pk: int) -> int | None:
    """The published event that the merged event `pk` finally merged into, or None (not a
    merged event, or its survivor is not published). One query, and one per merge it
    follows."""
    merged = Event.objects.filter(pk=pk, status=Event.Status.MERGED).only("merged_into").first()
    if merged is None:
        return None
    survivor = merged.merge_target()
    return survivor.pk if survivor.status == Event.Status.PUBLISHED else None
