"""Load the built gazetteer (fixtures/places.json.gz) into the Place table, fast and again.

Django's loaddata saves 16,000 places one by one (a minute on SQLite); this inserts them in
bulk, then links every place and every event to its governorate, district and subdistrict.
Run again, it adds the places that are new, fills what existing places lack (P-code, GeoNames
id, population, outline, spellings) without touching what editors changed, and links places
made by imports or editors by where their point lies.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.conf import settings
from django.db import transaction

from events.gazetteer.units import units_at
from events.models import UNIT_KINDS, Event, Place, name_problem
from events.table_index import indexes_invalidate

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "places.json.gz"
BATCH = 2000


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    linked: int = 0  # places outside the fixture given their units by their point
    events: int = 0  # events whose units changed

    def __str__(self) -> str:
        return (
            f"{self.created} places created, {self.updated} completed, {self.linked} linked by "
            f"their point; {self.events} events given their units"
        )


def gazetteer_load(path: Path = FIXTURE) -> LoadResult:
    """Insert or complete the fixture's places, then link places and events to their units.
    One transaction. Units go in first, level by level, so every new row is inserted with its
    units' ids already set (no second pass over 16,000 rows)."""
    rows = [o["fields"] for o in json.loads(gzip.decompress(path.read_bytes()))]
    level = {kind: i for i, kind in enumerate(UNIT_KINDS)}
    rows.sort(key=lambda r: level.get(r["kind"], len(UNIT_KINDS)))
    result = LoadResult()
    with transaction.atomic():
        existing = {p.slug: p for p in Place.objects.all()}
        ids = {slug: place.pk for slug, place in existing.items()}
        taken_ids = {p.geonames_id for p in existing.values() if p.geonames_id}
        taken_pcodes = {p.pcode for p in existing.values() if p.pcode}
        links = []
        for _, group in groupby(rows, key=lambda r: level.get(r["kind"], len(UNIT_KINDS))):
            new, changed = [], []
            for row in group:
                refs = tuple(
                    ids.get(row[f"admin{i}"][0]) if row[f"admin{i}"] else None for i in (1, 2, 3)
                )
                fields = {k: v for k, v in row.items() if k not in ("admin1", "admin2", "admin3")}
                # A source's alias that is only a common word ("East", "المحافظة") would make
                # the place fail validation at its next edit: it is left out.
                fields["aliases"] = [a for a in fields["aliases"] if name_problem(a) is None]
                place = existing.get(row["slug"])
                if place is None:
                    if row["geonames_id"] in taken_ids or row["pcode"] in taken_pcodes:
                        continue  # an editor's place already holds that id: theirs stays
                    new.append(
                        Place(**fields, admin1_id=refs[0], admin2_id=refs[1], admin3_id=refs[2])
                    )
                    continue
                if _complete(place, fields):
                    changed.append(place)
                if (place.admin1_id, place.admin2_id, place.admin3_id) != refs:
                    place.admin1_id, place.admin2_id, place.admin3_id = refs
                    links.append(place)
            Place.objects.bulk_create(new, batch_size=BATCH)
            fill = ["pcode", "geonames_id", "population", "outline", "name_ar", "aliases"]
            Place.objects.bulk_update(changed, [*fill, "search_keys"], batch_size=BATCH)
            result.created += len(new)
            result.updated += len(changed)
            ids |= {p.slug: p.pk for p in new}
        Place.objects.bulk_update(links, ["admin1", "admin2", "admin3"], batch_size=BATCH)
        slugs = {row["slug"] for row in rows}
        outside = [
            p for p in existing.values()
            if p.slug not in slugs and p.kind not in UNIT_KINDS and p.admin1_id is None
        ]  # fmt: skip
        for place in outside:
            place.admin1_id, place.admin2_id, place.admin3_id = units_at(
                place.latitude, place.longitude
            )
        Place.objects.bulk_update(outside, ["admin1", "admin2", "admin3"], batch_size=BATCH)
        result.linked = sum(1 for p in outside if p.admin1_id)
        result.events = events_relink()
    indexes_invalidate()  # bulk writes send no signals: the in-memory indexes look again
    return result


def _complete(place: Place, fields: dict) -> bool:
    """Fill what an existing place lacks; never overwrite a value it has."""
    changed = False
    for name in ("pcode", "geonames_id", "population", "outline", "name_ar"):
        if not getattr(place, name) and fields[name]:
            setattr(place, name, fields[name])
            changed = True
    have = {a.casefold() for a in [place.name, *place.aliases]}
    extra = [a for a in fields["aliases"] if a.casefold() not in have]
    if extra:
        place.aliases = [*place.aliases, *extra]
        keys = set(place.search_keys.split()) | set(fields["search_keys"].split())
        place.search_keys = " ".join(sorted(keys))
        changed = True
    return changed


def events_relink() -> int:
    """Give every event the units its place (or its own point) lies in, and an event placed
    at its place (not at its own coordinates) the place's point; the number changed."""
    changed = []
    for event in Event.objects.select_related("place").iterator(chunk_size=BATCH):
        units = event.units_find()
        point = (event.latitude, event.longitude)
        if event.place and not event.own_coordinates:
            point = (event.place.latitude, event.place.longitude)
        if (event.admin1_id, event.admin2_id, event.admin3_id, event.latitude, event.longitude) != (
            *units,
            *point,
        ):
            event.admin1_id, event.admin2_id, event.admin3_id = units
            event.latitude, event.longitude = point
            changed.append(event)
    fields = ["admin1", "admin2", "admin3", "latitude", "longitude"]
    Event.objects.bulk_update(changed, fields, batch_size=BATCH)
    return len(changed)
