"""Bulk imports from UCDP GED and ACLED CSV files (and Atlas's own CSV export).

Each row becomes one event with its provenance: the dataset, the row's id (or, for files
without one, a key derived from the columns that identify the event) and the sources the row
cites. Actors are matched by name or alias, else created; places are matched to the gazetteer
by name near the row's coordinates, else created at them. Precision codes map to UCDP's.

Imports are idempotent: a second run updates the events whose row changed, leaves the others
(and the events an editor has edited) alone, and never duplicates; a row that differs only in
formatting (34.97 or 34.9700, a date with a time, spacing, case) is unchanged. A bad row (a
cell that does not parse, too few or too many cells, a NUL character, a huge cell, bytes that
are not UTF-8) is reported with its line number and the rest goes on, the same on SQLite and
PostgreSQL; each row is written whole or not at all. Rows are committed in batches, each batch
one recorded revision (events/history.py), so readers and editors never wait long and a run
that was killed can simply be run again.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pycountry
import reversion
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from events.api.serializers import database_analyze
from events.db import WriterPause
from events.gazetteer.geocoder import flat_km, place_index
from events.gazetteer.keys import place_key, slugify_name
from events.gazetteer.units import unit_countries, unit_find, unit_get, units_at
from events.models import (
    SUB_EVENT_PARENT,
    Actor,
    ActorKind,
    DatePrecision,
    Event,
    EventActor,
    EventType,
    LocationPrecision,
    Place,
    PlaceKind,
    SubEventType,
)
from events.pipeline.actors import fold
from events.pipeline.dates import precision_for

COUNTRY_CODES = {
    "syria": "SY",
    "iraq": "IQ",
    "jordan": "JO",
    "lebanon": "LB",
    "turkey": "TR",
    "turkiye": "TR",
    "israel": "IL",
}


@lru_cache(maxsize=4096)  # asked for each row's country and each actor name's parentheses
def country_code(name: str, numeric: str = "") -> str:
    """ISO 3166 alpha-2 of a dataset's country: its name in any of ISO's forms ('Syria',
    'Syrian Arab Republic', 'Türkiye') or ACLED's numeric `iso` (760); '' if neither says."""
    name, numeric = (name or "").strip(), (numeric or "").strip()
    if name.casefold() in COUNTRY_CODES:
        return COUNTRY_CODES[name.casefold()]
    for query in (name, numeric.zfill(3) if numeric.isdigit() else ""):
        if query:
            try:
                return pycountry.countries.lookup(query).alpha_2
            except LookupError:
                continue
    return ""


NEAR_KM = 25  # a gazetteer place of the row's name within this distance is the row's place
OWN_COORDINATES_KM = 1  # farther than this from its place, an event keeps its own coordinates


class RowError(ValueError):
    """A row that cannot be imported; the message names the column."""


@dataclass
class EventRow:
    """What a row says, in Atlas's terms, before anything is looked up."""

    ref: str
    title: str
    description: str
    event_type: str
    sub_event_type: str
    date_start: date
    date_end: date
    date_precision: int
    location: str
    location_kind: str
    location_precision: int
    latitude: float
    longitude: float
    country: str
    governorate: str
    # (name, role, ACLED kind the row gives it, or None)
    actors: list[tuple[str, str, int | None]]
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    source_text: str
    warnings: list[str] = field(default_factory=list)
    layout: str = ""  # "acled" or "ucdp": whose columns the row has
    cells: list[list[str]] | None = None  # the row as written: [[column, value], ...]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # edited by an editor since: left as the editor made it
    failed: int = 0
    actors_created: list[str] = field(default_factory=list)
    places_created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Rows: {self.rows} read, {self.failed} failed. Events: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.kept} kept as edited. "
            f"Actors created: {len(self.actors_created)}. "
            f"Places created: {len(self.places_created)}. Rows with a warning: "
            f"{len(self.warnings)}."
        )


# --------------------------------------------------------------------------- reading cells


# The key under which csv_rows passes the row's columns and values exactly as the file wrote
# them (each event keeps them: Event.dataset_row).
AS_WRITTEN = "__as_written__"


def _cells(row: dict[str, str | None]) -> dict[str, str]:
    """Lower-case, stripped headers and values (ACLED's older exports are upper-case)."""
    return {
        (key or "").strip().lower().lstrip("\ufeff"): (value or "").strip()
        for key, value in row.items()
        if key is not None
    }


def _text(cells: dict, name: str, required: bool = True) -> str:
    value = cells.get(name, "")
    if required and not value:
        raise RowError(f"{name}: missing")
    return value


def _number(cells: dict, name: str, kind=float, required: bool = True):
    value = cells.get(name, "")
    if not value:
        if required:
            raise RowError(f"{name}: missing")
        return None
    try:
        number = kind(float(value)) if kind is int else kind(value)
    except ValueError:
        raise RowError(f"{name}: '{value}' is not a number") from None
    if kind is int and (number < 0 or float(value) != number):
        raise RowError(f"{name}: '{value}' is not a whole number of 0 or more")
    return number


DATE_FORMATS = ["%Y-%m-%d", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d"]


def _date(cells: dict, name: str, required: bool = True) -> date | None:
    """ISO dates (2022-01-15, also with a time) and ACLED's 15-Jan-22 and 15 January 2022."""
    value = cells.get(name, "")
    if not value:
        if required:
            raise RowError(f"{name}: missing")
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value, fmt).date()
        except ValueError:
            continue
    raise RowError(f"{name}: '{value}' is not a date (2022-01-15 or 15-Jan-22)")


def _coordinates(cells: dict) -> tuple[float, float]:
    latitude, longitude = _number(cells, "latitude"), _number(cells, "longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RowError(f"latitude/longitude: {latitude}, {longitude} is not a point on Earth")
    return latitude, longitude


def _fatalities(best, low, high) -> tuple[int | None, int | None, int | None]:
    if low is not None and high is not None and low > high:
        raise RowError(f"low: {low} is more than high {high}")
    if best is not None and (
        (low is not None and best < low) or (high is not None and best > high)
    ):
        raise RowError(f"best: {best} lies outside low {low} - high {high}")
    return best, low, high


def normalised(value: object) -> str:
    """A value as a key compares it: numbers as numbers (34.97 = 34.9700), dates as dates,
    text with its spacing and case folded."""
    if isinstance(value, float):
        return f"{value:.5f}"
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value if value is not None else "").split()).casefold()


def _derived_ref(prefix: str, values: Iterable[object]) -> str:
    """A stable row key for files without an id column: a hash of the parsed values that
    identify the event (not of the counts, which a later release may correct), so the same
    row written differently gets the same key."""
    key = "\x1f".join(normalised(v) for v in values)
    return f"{prefix}{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _location_kind(where: str) -> tuple[str, str, int]:
    """(name, place kind, UCDP where_prec) from UCDP's where_coordinates: 'Hajin town',
    'Western Deir ez Zor governorate', 'Mayadin district', 'Badia/Syrian Desert'."""
    where = where.split("(")[0].strip() or where  # 'Jabal Bishri (Raqqa governorate)'
    words = where.split()
    last = words[-1].lower() if words else ""
    kinds = {
        "town": (PlaceKind.CITY, 1),
        "city": (PlaceKind.CITY, 1),
        "village": (PlaceKind.VILLAGE, 1),
        "camp": (PlaceKind.CAMP, 1),
        "base": (PlaceKind.BASE, 1),
        "airbase": (PlaceKind.AIRPORT, 1),
        "airport": (PlaceKind.AIRPORT, 1),
        "field": (PlaceKind.OIL_GAS_FIELD, 1),
        "fields": (PlaceKind.OIL_GAS_FIELD, 1),
        "prison": (PlaceKind.FACILITY, 1),
        "silos": (PlaceKind.FACILITY, 1),
        "suburb": (PlaceKind.NEIGHBOURHOOD, 1),
        "area": (PlaceKind.AREA, 2),
        "plain": (PlaceKind.AREA, 2),
        "mountain": (PlaceKind.AREA, 2),
        "sector": (PlaceKind.AREA, 2),
        "district": (PlaceKind.DISTRICT, 3),
        "subdistrict": (PlaceKind.SUBDISTRICT, 2),
        "governorate": (PlaceKind.GOVERNORATE, 4),
        "desert": (PlaceKind.AREA, 5),
        "border": (PlaceKind.AREA, 5),
    }
    if where.strip().casefold() in COUNTRY_CODES:  # UCDP's "Syria": the country only
        return where.strip(), "", LocationPrecision.COUNTRY
    kind, precision = kinds.get(last, (PlaceKind.VILLAGE, 1))
    name = where
    if last in kinds and len(words) > 1 and last not in ("field", "fields", "prison"):
        name = " ".join(words[:-1])
    if kind == PlaceKind.GOVERNORATE:
        name = " ".join(w for w in name.split() if w.lower() not in DIRECTIONS)
    return name.strip(" ,"), kind, precision


DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "rural"}


# --------------------------------------------------------------------------- UCDP GED

UCDP_TYPES = {
    "1": "state",
    "state": "state",
    "state-based": "state",
    "state-based conflict": "state",
    "2": "non-state",
    "non-state": "non-state",
    "non-state conflict": "non-state",
    "3": "one-sided",
    "one-sided": "one-sided",
    "one-sided violence": "one-sided",
}
UCDP_TYPE_LABELS = {
    "state": "state-based conflict",
    "non-state": "non-state conflict",
    "one-sided": "one-sided violence",
}


def _ucdp_kind(name: str) -> int | None:
    """The ACLED type UCDP's name says for certain; None for the rest (UCDP gives no type:
    a new actor is then a rebel group until a file says otherwise)."""
    if name.lower().startswith("government of"):
        return ActorKind.STATE_FORCES
    if name.lower().startswith("civilians"):
        return ActorKind.CIVILIANS
    return None


# Explosions and remote violence are what UCDP's headlines most often name and its types do
# not say (air strikes, landmines and IEDs, shelling, car bombs): the extraction's triggers
# read them.
INFERRED_TYPES = (
    SubEventType.SUICIDE_BOMB,
    SubEventType.REMOTE_EXPLOSIVE,
    SubEventType.AIR_DRONE_STRIKE,
    SubEventType.SHELLING,
    SubEventType.GRENADE,
)


def _weapon_of(headlines: str) -> tuple[str, str] | None:
    """(ACLED sub-type, the words that say it) of the weapon UCDP's source headlines name
    most often ("Landmine kills truffle hunters near Hajin" -> remote explosive), or None."""
    from events.pipeline.types import triggers_find

    found = [t for t in triggers_find(headlines) if t.sub_event_type in INFERRED_TYPES]
    if not found:
        return None
    counts = Counter(t.sub_event_type for t in found)
    sub = max(INFERRED_TYPES, key=lambda s: (counts[s], -INFERRED_TYPES.index(s)))
    words = ", ".join(dict.fromkeys(f"'{t.surface}'" for t in found if t.sub_event_type == sub))
    return sub, words


def side_members(side: str) -> list[str]:
    """The parties of a UCDP side: 'Government of Syria, Government of Russia (Soviet
    Union)' -> both; commas inside parentheses do not split."""
    members, depth, current = [], 0, ""
    for char in side:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            members.append(current)
            current = ""
        else:
            current += char
    members.append(current)
    return [m.strip() for m in members if m.strip()]


def ucdp_row(cells: dict) -> EventRow:
    """One UCDP GED row: the full column set, or a file with some columns missing (no id,
    where_prec, date_prec, adm_1, ...). type_of_violence as a number or in words."""
    violence = UCDP_TYPES.get(_text(cells, "type_of_violence").lower())
    if violence is None:
        raise RowError(
            f"type_of_violence: '{cells['type_of_violence']}' is not 1, 2, 3 or "
            "state/non-state/one-sided"
        )
    side_a, side_b = _text(cells, "side_a"), _text(cells, "side_b", required=False)
    start, end = _date(cells, "date_start"), _date(cells, "date_end")
    if start > end:
        raise RowError(f"date_end: {end} comes before date_start {start}")
    latitude, longitude = _coordinates(cells)
    where = cells.get("where_coordinates") or cells.get("where_description") or ""
    name, kind, where_prec = _location_kind(where) if where else ("", PlaceKind.VILLAGE, 1)
    if cells.get("where_prec"):
        where_prec = _number(cells, "where_prec", int)
        if where_prec not in LocationPrecision.values:
            raise RowError(f"where_prec: {where_prec} is not 1-7")
    date_prec = precision_for(start, end)
    if cells.get("date_prec"):
        date_prec = _number(cells, "date_prec", int)
        if date_prec not in DatePrecision.values:
            raise RowError(f"date_prec: {date_prec} is not 1-5")
    best, low, high = (_number(cells, c, int, required=False) for c in ("best", "low", "high"))
    warnings = []
    try:
        _fatalities(best, low, high)
    except RowError as error:
        # GED has rows whose low/high disagree with best: keep UCDP's best estimate, say so.
        warnings.append(f"fatalities: {error}; kept best {best}, left out low and high")
        low = high = None
    # A multi-party side is its parties: the first the side's actor, the rest its associates.
    actors = []
    for side, primary, associate in ((side_a, "actor1", "assoc1"), (side_b, "actor2", "assoc2")):
        for n, member in enumerate(side_members(side)):
            actors.append((member, associate if n else primary, _ucdp_kind(member)))
    one_sided = violence == "one-sided"
    deaths = [
        f"{label} {_number(cells, column, int)}"
        for column, label in (
            ("deaths_a", side_a),
            ("deaths_b", side_b or "side B"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        )
        if cells.get(column)
    ]
    sub_event_type = SubEventType.ATTACK if one_sided else SubEventType.ARMED_CLASH
    # GED's source_headline, or the shipped extract's source_article ("outlet,date,headline").
    inferred = _weapon_of(cells.get("source_headline") or cells.get("source_article", ""))
    description = f"UCDP GED: {UCDP_TYPE_LABELS[violence]}, {side_a} against {side_b or '?'}"
    description += f" at {where}." if where else "."
    if deaths:
        description += f" Deaths: {', '.join(deaths)}."
    if cells.get("dyad_name"):
        description += f" Dyad: {cells['dyad_name']}."
    if warnings:
        description += f" UCDP's low and high ({cells['low']}, {cells['high']}) disagree with "
        description += "its best estimate and were left out."
    if inferred is not None:
        sub_event_type, words = inferred
        description += (
            f" ACLED type inferred from UCDP's source headlines ({words}), not given by UCDP."
        )
    ref = cells.get("id") or _derived_ref(
        "ucdp-",
        [
            *[cells.get("year", start.year), violence, side_a, side_b, start, end],
            *[where, latitude, longitude, cells.get("source_article", "")],
        ],
    )
    source = cells.get("source_article", "").strip().strip('"').strip()
    if cells.get("source_office") and cells["source_office"] not in source:
        source = f"{source} ({cells['source_office']})".strip()
    country = country_code(cells.get("country", "")) if cells.get("country") else "SY"
    return EventRow(
        ref=ref,
        title=f"{side_a} vs {side_b or '?'}: {UCDP_TYPE_LABELS[violence]}"
        + (f" at {name}" if name else ""),
        description=description,
        event_type=SUB_EVENT_PARENT[sub_event_type],
        sub_event_type=sub_event_type,
        date_start=start,
        date_end=end,
        date_precision=date_prec,
        location=name,
        location_kind=kind,
        location_precision=where_prec,
        latitude=latitude,
        longitude=longitude,
        country=country,
        governorate=cells.get("adm_1", ""),
        actors=actors,
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        source_text=source,
        warnings=warnings,
        layout="ucdp",
    )


# --------------------------------------------------------------------------- ACLED

TYPE_BY_LABEL = {t.label.lower(): t.value for t in EventType} | {
    t.value: t.value for t in EventType
}
SUBTYPE_BY_LABEL = {s.label.lower(): s.value for s in SubEventType} | {
    s.value: s.value for s in SubEventType
}
KIND_BY_LABEL = {k.label.lower(): k.value for k in ActorKind}


def _acled_kind(cells: dict, column: str) -> int | None:
    """The row's type of its actor (`inter1`: a code or words); None when it gives none."""
    value = cells.get(column, "").strip().lower()
    if value.isdigit() and int(value) in ActorKind.values:
        return int(value)
    return KIND_BY_LABEL.get(value)


def acled_row(cells: dict) -> EventRow:
    """One ACLED row (upper- or lower-case headers, with or without notes and admin columns,
    dates as ISO or 15-Jan-22), or a row of Atlas's own CSV export, whose extra columns
    (title, date_start, date_end, date_prec, where_prec, fatalities_low/high) win."""
    event_type = TYPE_BY_LABEL.get(_text(cells, "event_type").lower())
    if event_type is None:
        raise RowError(f"event_type: '{cells['event_type']}' is not one of ACLED's types")
    sub_event_type = SUBTYPE_BY_LABEL.get(_text(cells, "sub_event_type").lower())
    if sub_event_type is None:
        raise RowError(f"sub_event_type: '{cells['sub_event_type']}' is not one of ACLED's")
    if SUB_EVENT_PARENT[sub_event_type] != event_type:
        raise RowError(f"sub_event_type: '{cells['sub_event_type']}' is not a kind of {event_type}")
    day = _date(cells, "event_date")
    start, end = _date(cells, "date_start", False), _date(cells, "date_end", False)
    if start is None or end is None:
        # ACLED's time_precision: 1 the day, 2 the week around it, 3 its month.
        precision = _number(cells, "time_precision", int, required=False) or 1
        if precision == 2:
            start, end = day - timedelta(days=3), day + timedelta(days=3)
        elif precision >= 3:
            start = day.replace(day=1)
            end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        else:
            start = end = day
    if start > end:
        raise RowError(f"date_end: {end} comes before date_start {start}")
    date_prec = _number(cells, "date_prec", int, required=False) or precision_for(start, end)
    if date_prec not in DatePrecision.values:
        raise RowError(f"date_prec: {date_prec} is not 1-5")
    where_prec = _number(cells, "where_prec", int, required=False)
    if where_prec is None:
        geo = _number(cells, "geo_precision", int, required=False) or 1
        where_prec = {1: 1, 2: 2}.get(geo, LocationPrecision.GOVERNORATE)
    if where_prec not in LocationPrecision.values:
        raise RowError(f"where_prec: {where_prec} is not 1-7")
    latitude, longitude = _coordinates(cells)
    actors = []
    for column, role, kind_column in (
        ("actor1", "actor1", "inter1"),
        ("assoc_actor_1", "assoc1", "inter1"),
        ("actor2", "actor2", "inter2"),
        ("assoc_actor_2", "assoc2", "inter2"),
    ):
        names = [n.strip() for n in cells.get(column, "").split(";") if n.strip()]
        # inter1 is actor1's type; an associate's is not given.
        kind = _acled_kind(cells, kind_column) if role.startswith("actor") else None
        actors += [(n, role, kind) for n in (names[:1] if role.startswith("actor") else names)]
    if not actors or actors[0][1] != "actor1":
        raise RowError("actor1: missing")
    best, low, high = _fatalities(
        _number(cells, "fatalities", int, required=False),
        _number(cells, "fatalities_low", int, required=False),
        _number(cells, "fatalities_high", int, required=False),
    )
    location = _text(cells, "location", required=False)
    ref = (
        cells.get("event_id_cnty")
        or cells.get("data_id")
        or _derived_ref(
            "acled-",
            [
                *[day, event_type, sub_event_type, cells.get("actor1"), cells.get("actor2")],
                *[location, latitude, longitude, cells.get("notes", "")],
            ],
        )
    )
    sub_label = SubEventType(sub_event_type).label
    title = cells.get("title") or f"{sub_label}: {actors[0][0]}" + (
        f" in {location}" if location else ""
    )
    kind = (
        PlaceKind.GOVERNORATE if where_prec == LocationPrecision.GOVERNORATE else PlaceKind.VILLAGE
    )
    return EventRow(
        ref=ref,
        title=title[:300],
        description=cells.get("notes", ""),
        event_type=event_type,
        sub_event_type=sub_event_type,
        date_start=start,
        date_end=end,
        date_precision=date_prec,
        location=location,
        location_kind=kind,
        location_precision=where_prec,
        latitude=latitude,
        longitude=longitude,
        country=country_code(cells.get("country", ""), cells.get("iso", "")),
        governorate=cells.get("admin1", ""),
        actors=actors,
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        source_text=cells.get("source", ""),
        layout="atlas" if "atlas_id" in cells else "acled",
    )


# --------------------------------------------------------------------------- lookups


def _name_forms(name: str) -> list[str]:
    """The forms of a dataset's actor name worth looking up, most specific first:
    'Military Forces of Syria (2000-)' -> that, 'Military Forces of Syria';
    'SDF: Syrian Democratic Forces' -> that, 'SDF', 'Syrian Democratic Forces';
    'Islamic State (Syria)' -> that, 'Islamic State'. A country other than Syria in the
    parentheses is part of the name: 'Civilians (Iraq)' are not Syria's civilians."""
    forms = [name]
    if "(" in name:
        head, _, rest = name.partition("(")
        inside, _, tail = rest.partition(")")
        if not _foreign(inside):
            forms += [f"{head.strip()} {tail.strip()}".strip(), tail.strip(), head.strip()]
    if ":" in name:
        forms += [part.strip() for part in name.split(":", 1)]
    forms.append(name[: Actor._meta.get_field("name").max_length])  # as a first run kept it
    return [f for f in dict.fromkeys(forms) if f]


def _foreign(words: str) -> bool:
    """Whether a parenthesised part of a name is a country other than Syria."""
    code = country_code(words) if not any(c.isdigit() for c in words) else ""
    return bool(code) and code != "SY"


def _folded(name: str) -> str:
    return " ".join(fold(word) for word in name.replace("-", " ").split())


KIND_NOT_GIVEN = " Its type was not given: the first file that gives one sets it."


class Actors:
    """Dataset names -> actors: by name or alias (case, accents and plurals folded), else a
    new actor of the row's ACLED kind. One query to start, one insert per new actor."""

    def __init__(self, dataset: str, result: ImportResult) -> None:
        self.dataset, self.result = dataset, result
        self.by_name: dict[str, Actor] = {}
        for actor in Actor.objects.all():
            for name in actor.all_names():
                self.by_name.setdefault(_folded(name), actor)
        self.slugs = set(Actor.objects.values_list("slug", flat=True))
        self.pending: list[tuple[str, Actor]] = []  # created in the current row

    def forget_pending(self) -> None:
        """The row failed and its savepoint rolled back: its new actors do not exist."""
        for name, actor in self.pending:
            self.by_name.pop(_folded(name), None)
            self.slugs.discard(actor.slug)
            self.result.actors_created.remove(name)
        self.pending = []

    def get(self, name: str, kind: int | None, default: int = ActorKind.EXTERNAL_OTHER) -> Actor:
        """The actor a dataset's name finds, else a new one of the row's type (`default` when
        the row gives none: marked so, and corrected by the first row that gives one)."""
        for form in _name_forms(name):
            actor = self.by_name.get(_folded(form))
            if actor is not None:
                if kind is not None and actor.description.endswith(KIND_NOT_GIVEN):
                    actor.kind = kind
                    actor.description = actor.description.removesuffix(KIND_NOT_GIVEN)
                    actor.save(update_fields=["kind", "description"])
                    reversion.add_to_revision(actor)
                return actor
        slug = base = slugify_name(name)[:90] or "actor"
        n = 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        actor = Actor.objects.create(
            name=name[:200],
            slug=slug,
            kind=kind if kind is not None else default,
            description=f"Created by the {self.dataset} import from the name it uses."
            + (KIND_NOT_GIVEN if kind is None else ""),
        )
        reversion.add_to_revision(actor)
        self.slugs.add(slug)
        self.by_name[_folded(name)] = actor
        self.result.actors_created.append(name)
        self.pending.append((name, actor))
        return actor


class Places:
    """A row's location -> a gazetteer place of that name near the row's coordinates; for a
    row known only to its governorate (or district), that unit, found by any spelling of its
    name or by the point; else a new place at the row's coordinates, in the units its point
    lies in. A row is never made into a village named after a country or a governorate."""

    def __init__(self, dataset: str, result: ImportResult) -> None:
        self.dataset, self.result = dataset, result
        self.slugs = set(Place.objects.values_list("slug", flat=True))
        self.created: dict[tuple[str, str], Place] = {}
        # The gazetteer index as the import starts, plus the places it creates (rebuilding the
        # index after each new place would cost more than the whole import).
        index = place_index()
        self.index, self.by_pk = index.by_key, index.by_pk
        self.new_by_key: dict[str, list[Place]] = {}
        self.pending: list[tuple[tuple[str, str], str, Place]] = []  # created in this row
        self.countries = unit_countries()

    def outside(self, country: str) -> bool:
        """Whether a row's country is one the gazetteer holds no units of (a gazetteer with no
        units at all, as in a bare test database, holds every country)."""
        return bool(country) and bool(self.countries) and country not in self.countries

    def forget_pending(self) -> None:
        """The row failed and its savepoint rolled back: its new places do not exist."""
        for key, name, place in self.pending:
            self.created.pop(key, None)
            self.new_by_key[place_key(name)].remove(place)
            self.slugs.discard(place.slug)
            self.result.places_created.remove(name)
        self.pending = []

    def get(self, row: EventRow, keep: int | None = None) -> Place | None:
        """`keep`: the place the row's event has now; still a match, it stays (a second run
        must not move events between namesakes the first run created). None for a row known
        only to its country (or waters): no place of the gazetteer is that vague."""
        if row.location_precision >= LocationPrecision.COUNTRY:
            return None
        # Outside the gazetteer's countries (Nangarhar is no Iraqi governorate): a place of its
        # own country, in no unit.
        outside = self.outside(row.country)
        level = UNIT_LEVELS.get(row.location_kind)
        if level and not outside:
            unit = self._unit(row, level)
            if unit is not None:
                return unit
        point = (row.latitude, row.longitude)
        names = [n.strip() for n in row.location.replace("/", "|").split("|") if n.strip()]
        best, best_km = None, None
        for name in [row.location, *names]:
            key = place_key(name)
            for entry in [*self.index.get(key, []), *self.new_by_key.get(key, [])]:
                if entry.kind in UNIT_LEVELS:
                    continue
                km = flat_km(point, (entry.latitude, entry.longitude))  # ranks; geodesic is slow
                if km > NEAR_KM:
                    continue
                if entry.pk == keep:
                    best, best_km = entry, -1.0
                elif best_km is None or km < best_km:
                    best, best_km = entry, km
        if best is not None:
            return self._partial(best)
        if outside:
            return self._create(row, row.location or row.governorate, units=False)
        if row.location_precision >= LocationPrecision.DISTRICT or _names_a_country(row.location):
            unit = self._unit(row, 2 if row.location_precision == LocationPrecision.DISTRICT else 1)
            if unit is not None:
                return unit
        return self._create(row, names[0] if names else "")

    def _unit(self, row: EventRow, level: int) -> Place | None:
        """The governorate (or district) the row names, in any spelling, else the one its
        point lies in."""
        for name in (row.location, row.governorate):
            unit = unit_find(name, level, country=row.country) if name else None
            if unit is not None:
                return self._partial(self.by_pk[unit.pk])
        ids = units_at(row.latitude, row.longitude)
        pk = ids[level - 1] or ids[0]
        return self._partial(self.by_pk[pk]) if pk else None

    @staticmethod
    def _partial(entry) -> Place:
        """The place as far as events need it (no query to read it back)."""
        return Place(
            pk=entry.pk,
            kind=entry.kind,
            latitude=entry.latitude,
            longitude=entry.longitude,
            admin1_id=entry.admin1_id,
            admin2_id=entry.admin2_id,
            admin3_id=entry.admin3_id,
        )

    def _create(self, row: EventRow, name: str, units: bool = True) -> Place:
        name = name or f"{row.latitude:.3f}, {row.longitude:.3f}"
        key = (place_key(name), f"{row.latitude:.3f},{row.longitude:.3f}")
        if key in self.created:
            return self.created[key]
        admin1, admin2, admin3 = units_at(row.latitude, row.longitude) if units else (None,) * 3
        unit = unit_get(admin1)
        slug = base = slugify_name(name)[:100] or "place"
        n = 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        kind = row.location_kind if row.location_kind not in UNIT_LEVELS else PlaceKind.VILLAGE
        place = Place(
            slug=slug,
            name=name[:200],
            kind=kind,
            latitude=row.latitude,
            longitude=row.longitude,
            country=unit.country if unit else (row.country or "SY"),
            admin1_id=admin1,
            admin2_id=admin2,
            admin3_id=admin3,
            source=f"{self.dataset} import: the row's location and coordinates",
        )
        # Checked here, not by the database: PostgreSQL refuses an over-long value that SQLite
        # would keep, and both must refuse the row the same way.
        place.full_clean(validate_unique=False, validate_constraints=False)
        place.save()
        reversion.add_to_revision(place)
        self.slugs.add(slug)
        self.created[key] = place
        self.new_by_key.setdefault(place_key(name), []).append(place)
        self.result.places_created.append(name)
        self.pending.append((key, name, place))
        return place


UNIT_LEVELS = {PlaceKind.GOVERNORATE: 1, PlaceKind.DISTRICT: 2, PlaceKind.SUBDISTRICT: 3}


def _names_a_country(name: str) -> bool:
    return name.strip().casefold() in COUNTRY_CODES


# --------------------------------------------------------------------------- the import


def _values(row: EventRow, place: Place | None) -> dict:
    """The event's fields; with no place (a row known only to its country) the row's point is
    the event's own."""
    if place is None:
        own = True
    else:
        own = flat_km((row.latitude, row.longitude), (place.latitude, place.longitude))
        own = own > OWN_COORDINATES_KM  # flat: metres off at 1 km, and six times faster
    return {
        "title": row.title[:300],
        "description": row.description,
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "date_start": row.date_start,
        "date_end": row.date_end,
        "date_precision": row.date_precision,
        "place_id": place.pk if place is not None else None,
        "location_precision": row.location_precision,
        "own_coordinates": own,
        "latitude": row.latitude if own else place.latitude,
        "longitude": row.longitude if own else place.longitude,
        "fatalities_best": row.fatalities_best,
        "fatalities_low": row.fatalities_low,
        "fatalities_high": row.fatalities_high,
        "source_text": row.source_text,
    } | _dataset_row(row)


def _dataset_row(row: EventRow) -> dict:
    """The row as written, for the event to keep; nothing from Atlas's own export (its columns
    are Atlas's values, not a dataset's: the event keeps the row it was imported from)."""
    if not row.cells or row.layout == "atlas":
        return {}
    return {"dataset_row": {"layout": row.layout, "cells": row.cells}}


MAX_CELL = 100_000  # characters; a longer cell is that row's error
BATCH_ROWS = 100  # rows a transaction: a batch holds the write lock for about a second
csv.field_size_limit(64 * 1024 * 1024)  # the reader never stops on a cell: rows report them


class FileError(ValueError):
    """A file that cannot be imported at all (no header, not a dataset's columns)."""


def _decoded_lines(handle) -> Iterator[str]:
    """The file's lines as text. A line that is not UTF-8 is passed on with its bad bytes
    marked by U+FFFD and the `_NOT_UTF8` sentinel, so that its row, and only its row, fails."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            body = raw.rstrip(b"\r\n")
            marker = f"{_NOT_UTF8}{number}:{error.start + 1}"
            yield body.decode("utf-8", "replace") + marker + raw[len(body) :].decode()


_NOT_UTF8 = "\x00not-utf8:"


def _row_problem(cells: list[str], header: list[str]) -> str:
    """Why a row cannot be read as it stands, or ''."""
    joined = "\x1f".join(cells)
    if _NOT_UTF8 in joined:
        line, column = joined.split(_NOT_UTF8, 1)[1].split("\x1f")[0].split(":")[:2]
        return (
            f"line {line}, column {column.strip()}: the bytes there are not UTF-8 text; "
            "re-save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"
        )
    if len(cells) != len(header):
        fewer = "fewer" if len(cells) < len(header) else "more"
        return f"{len(cells)} cells, {fewer} than the {len(header)} columns of the header"
    for name, value in zip(header, cells, strict=True):
        if "\x00" in value:
            return f"{name or 'a column'}: holds a NUL character (\\0), which is not text"
        if len(value) > MAX_CELL:
            return f"{name or 'a column'}: {len(value):,} characters, more than a cell may hold"
    return ""


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number where the row starts, its cells) for each row of a CSV file; a row that
    cannot be read comes as {'__error__': why}. Raises FileError if the header is unusable."""
    with path.open("rb") as handle:
        reader = csv.reader(_decoded_lines(handle))
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileError(f"line 1: the header is not CSV ({error})") from None
        written = [name.strip().lstrip("\ufeff") for name in header]
        header = [name.lower() for name in written]
        if any(_NOT_UTF8 in name or "\x00" in name for name in header):
            raise FileError(
                "line 1: the header is not UTF-8 text; re-save the file as UTF-8 "
                "(in a spreadsheet: CSV UTF-8)"
            )
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # e.g. a stray carriage return: this row only
                cells, problem = [], f"not CSV: {error}"
            else:
                problem = _row_problem(cells, header) if cells else ""
            if problem:  # the header's columns stay visible for the file's checks
                yield line, dict.fromkeys(header, "") | {"__error__": problem}
            elif cells:  # a blank line is no row, a row keeps its cells as written
                row = _cells(dict(zip(header, cells, strict=True)))
                row[AS_WRITTEN] = [list(pair) for pair in zip(written, cells, strict=True)]
                yield line, row
            line = reader.line_num + 1


def events_import(
    rows: Iterable[tuple[int, dict[str, str]]],
    convert: Callable[[dict], EventRow],
    dataset: str,
    status: str = Event.Status.PUBLISHED,
    user=None,
    comment: str = "",
    batch_rows: int = BATCH_ROWS,
    refuse_outside: bool = False,
) -> ImportResult:
    """Import (line, cells) rows as events of `dataset`. Bad rows are collected with their
    line; the others are written, each whole or not at all, `batch_rows` a transaction and a
    recorded revision."""
    run = DatasetImport(convert, dataset, status, refuse_outside)
    rows, pause = iter(rows), WriterPause()
    while batch := list(islice(rows, batch_rows)):
        pause.tick()
        read = [(line, run.prepare(line, cells)) for line, cells in batch]
        read = [(line, row) for line, row in read if row is not None]
        # One transaction and one revision a batch; each row in a savepoint of its own and each
        # event its own version in the revision (events/history.py reverts one object at a
        # time, so one revision for many events is safe).
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            reversion.set_comment(comment or f"Imported from {dataset}")
            if user is not None:
                reversion.set_user(user)
            run.prefetch([row.ref for _, row in read])
            for line, row in read:
                run.write(line, row)
    run.result.errors.sort(key=lambda error: error[0])  # read and write errors, in file order
    if run.result.created or run.result.updated:
        database_analyze()
    return run.result


ATLAS_ID = re.compile(r"ATLAS(\d{1,18})")


def _atlas_event(row: EventRow) -> bool:
    """Whether the row is Atlas's export of an event this database holds: its id is
    ATLAS<id> (what an export writes for an event no dataset gave an id), and that event is
    at the row's point in an overlapping window (a file of another Atlas is not this one's;
    the type is not compared: UCDP's layout has three types for ACLED's six)."""
    match = ATLAS_ID.fullmatch(row.ref)
    return (
        bool(match)
        and Event.objects.filter(
            pk=int(match[1]),
            latitude__range=(row.latitude - 0.001, row.latitude + 0.001),
            longitude__range=(row.longitude - 0.001, row.longitude + 0.001),
            date_start__lte=row.date_end,
            date_end__gte=row.date_start,
        ).exists()
    )


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _same(old: object, new: object) -> bool:
    """Equal, or text that differs only in spacing and case (the file was re-saved)."""
    if isinstance(old, str) and isinstance(new, str):
        return normalised(old) == normalised(new)
    if isinstance(old, dict) and isinstance(new, dict):  # a dataset row: cell by cell
        return old.get("layout") == new.get("layout") and _cells_key(old) == _cells_key(new)
    return old == new


NUMBER_CELL = re.compile(r"[-+]?\d+(?:\.\d*)?")
MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?")


def _cells_key(dataset_row: dict) -> list[tuple[str, str]]:
    """A row's cells as a re-saved file keeps them: 34.97 = 34.9700, 5 = 5.0, a date at
    midnight is the date, spacing and case folded."""
    key = []
    for column, value in dataset_row.get("cells") or ():
        value = normalised(value)
        if NUMBER_CELL.fullmatch(value):
            value = normalised(float(value))
        elif match := MIDNIGHT.fullmatch(value):
            value = match[1]
        key.append((normalised(column), value))
    return key


class DatasetImport:
    """One run of an import: what the dataset holds already, the actors and places found or
    made so far, and the counts."""

    def __init__(
        self,
        convert: Callable[[dict], EventRow],
        dataset: str,
        status: str,
        refuse_outside: bool = False,
    ) -> None:
        self.convert, self.dataset, self.status = convert, dataset, status
        self.refuse_outside = refuse_outside
        self.result = ImportResult()
        self.actors, self.places = Actors(dataset, self.result), Places(dataset, self.result)
        # The events of the batch's rows that the dataset holds already, and their roles (read
        # a batch at a time: memory stays flat however large the file or the dataset).
        self.existing: dict[str, Event] = {}
        self.roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.seen: Counter[str] = Counter()

    def prepare(self, line: int, cells: dict[str, str]) -> EventRow | None:
        """The row read, or None when it cannot be (counted with its line)."""
        result = self.result
        result.rows += 1
        try:
            if "__error__" in cells:
                raise RowError(cells["__error__"])
            row = self.convert(cells)
            row.cells = cells.get(AS_WRITTEN)
            if self.refuse_outside and self.places.outside(row.country or "?"):
                covered = ", ".join(sorted(self.places.countries))
                raise RowError(
                    f"country: {row.country or 'unknown'} is outside the gazetteer's countries "
                    f"({covered}); without --refuse-outside it is imported in its own country"
                )
        except (RowError, ValidationError) as error:
            result.failed += 1
            result.errors.append((line, _message(error)))
            return None
        self.seen[row.ref] += 1
        if self.seen[row.ref] > 1:  # the same derived key twice in one file: number them
            row.ref = f"{row.ref}-{self.seen[row.ref]}"
        result.warnings += [(line, warning) for warning in row.warnings]
        return row

    def prefetch(self, refs: list[str]) -> None:
        """Read the events these rows have already and their roles: two queries a batch, so
        that an unchanged row costs no query of its own."""
        events = Event.objects.filter(dataset=self.dataset, import_ref__in=refs)
        self.existing = {e.import_ref: e for e in events}
        self.roles = defaultdict(list)
        ids = [e.pk for e in self.existing.values()]
        roles = EventActor.objects.filter(event_id__in=ids)
        for event_id, actor_id, role in roles.values_list("event_id", "actor_id", "role"):
            self.roles[event_id].append((actor_id, role))

    def write(self, line: int, row: EventRow) -> None:
        """Write one read row in a savepoint of its own; a row the database refuses is
        counted with its line."""
        result = self.result
        self.actors.pending, self.places.pending = [], []
        try:
            with transaction.atomic():
                outcome = self.one(row)
        except (RowError, IntegrityError, DataError, ValidationError) as error:
            self.actors.forget_pending()
            self.places.forget_pending()
            result.failed += 1
            result.errors.append((line, _message(error)))
            return
        setattr(result, outcome, getattr(result, outcome) + 1)

    def one(self, row: EventRow) -> str:
        """Create or update the row's event; 'created', 'updated', 'unchanged' or 'kept'."""
        found = self.existing.get(row.ref)
        if found is None and _atlas_event(row):
            return "unchanged"  # Atlas's own export of an event it holds: that event, not a copy
        place = self.places.get(row, keep=found.place_id if found is not None else None)
        values = _values(row, place)
        by_role = {}  # every role the row gives, whoever holds it (actor1 = actor2 is data)
        default = ActorKind.REBEL_GROUP if row.layout == "ucdp" else ActorKind.EXTERNAL_OTHER
        for name, role, kind in row.actors:
            actor = self.actors.get(name, kind, default)
            by_role[actor.pk, role] = (actor, role)
        roles = sorted(by_role)
        if found is not None:
            if found.edited_at is not None:
                return "kept"
            same = all(_same(getattr(found, f), v) for f, v in values.items())
            if same and sorted(self.roles[found.pk]) == roles:
                return "unchanged"
            # A fresh, locked copy: an editor may have saved it since the import began.
            event = Event.objects.select_for_update().get(pk=found.pk)
            if event.edited_at is not None:
                self.existing[row.ref] = event
                return "kept"
        else:
            event = Event(dataset=self.dataset, import_ref=row.ref, status=self.status)
        for name, value in values.items():
            setattr(event, name, value)
        event.place = place  # the partial place from the lookup: no query to read it back
        # The database checks the constraints (a violation is an IntegrityError for the row).
        event.full_clean(
            exclude=["place", "merged_into"], validate_unique=False, validate_constraints=False
        )
        event.save()
        evidence = []
        if found is not None:
            event.event_actors.all().delete()
            evidence = list(event.evidence.all())
        event_actors = EventActor.objects.bulk_create(
            EventActor(event=event, actor=actor, role=role) for actor, role in by_role.values()
        )
        # Its version, with its roles: reversion follows the related managers, which read this
        # cache instead of querying the rows just written (three queries less a row).
        event._prefetched_objects_cache = {"event_actors": event_actors, "evidence": evidence}
        reversion.add_to_revision(event)
        self.existing[row.ref] = event
        self.roles[event.pk] = roles
        return "updated" if found is not None else "created"
