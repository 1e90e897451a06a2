"""Every shape Atlas sends: one function per shape, all reading rows with `values_list()`.

Model instances are not built for lists: at 100,000 events that alone costs seconds
(NOTES.md). Each function says how many queries it runs.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import chain

import orjson
from django.db import connection
from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from events.api.public import public_actor_ids
from events.families import FAMILIES, actor_colours
from events.models import (
    OWN_DATASETS,
    UNIT_KINDS,
    Actor,
    ActorKind,
    DatePrecision,
    Event,
    EventActor,
    EventType,
    Evidence,
    LocationPrecision,
    Place,
    SubEventType,
)
from events.search import ranked_order

TYPES = list(EventType.values)
SUBTYPES = list(SubEventType.values)
COUNTRIES = {"SY": "Syria", "IQ": "Iraq", "JO": "Jordan", "LB": "Lebanon", "TR": "Turkey"}
ROLE_ORDER = {"actor1": 0, "actor2": 1, "assoc1": 2, "assoc2": 3}


def _roles(events: QuerySet, ids: list[int] | None = None) -> dict[int, list[tuple[int, str]]]:
    """event id -> [(actor id, role)], primary actors first. One query; given the events'
    ids (a few thousand at most) it looks them up directly instead of re-running the filter."""
    roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ids is not None and len(ids) <= 5000:
        rows = EventActor.objects.filter(event_id__in=ids)
    else:
        rows = EventActor.objects.filter(event__in=events.order_by().values("pk"))
    rows = rows.order_by("event_id", "role", "actor_id")  # the same data, the same bytes
    for event_id, actor_id, role in rows.values_list("event_id", "actor_id", "role"):
        roles[event_id].append((actor_id, role))
    for actor_roles in roles.values():
        actor_roles.sort(key=lambda ar: ROLE_ORDER[ar[1]])
    return roles


def _places(place_ids) -> dict[int, tuple[str, str]]:
    """place id -> (name, country). One query."""
    rows = Place.objects.filter(pk__in=set(place_ids) - {None})
    return {pk: (n, c) for pk, n, c in rows.values_list("pk", "name", "country")}


def _units(rows: list[dict]) -> dict[int, tuple[str, str]]:
    """unit id -> (name, P-code) for the governorates, districts and subdistricts of the
    rows. One query."""
    ids = {r[f"admin{i}_id"] for r in rows for i in (1, 2, 3)} - {None}
    return {
        pk: (n, c)
        for pk, n, c in Place.objects.filter(pk__in=ids).values_list("pk", "name", "pcode")
    }


# --------------------------------------------------------------------------- the map's format


class EpochDays(Func):
    """A date as whole days since 1970-01-01, computed by the database (no date objects)."""

    output_field = IntegerField()
    template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')")


def _index_of(field: str, values: list[str]) -> Case:
    """SQL that maps a text column to its position in `values`."""
    whens = [When(**{field: value}, then=Value(i)) for i, value in enumerate(values)]
    return Case(*whens, output_field=IntegerField())


def _json_columns(queryset: QuerySet) -> list[str]:
    """Each selected column as one JSON array text, built by the database itself.

    Python never sees the 100,000 rows: SQLite's json_group_array and PostgreSQL's json_agg
    return one string per column, which is pasted into the response as it is.
    """
    sql, params = queryset.query.sql_with_params()
    names = list(queryset.query.annotation_select)
    # Both aggregate in the order the (sorted) subquery yields its rows. PostgreSQL's own
    # json_agg(... ORDER BY ...) would sort once per column: 11 sorts of 100k rows.
    if connection.vendor == "postgresql":
        aggregate = "COALESCE(json_agg({}), '[]')::text"
    else:
        aggregate = "json_group_array({})"
    columns = ", ".join(aggregate.format(f'ev."{n}"') for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM ({sql}) AS ev", params)
        return list(cursor.fetchone())


def events_compact(events: QuerySet) -> bytes:
    """Column arrays for the map page, as JSON bytes: a few bytes per event.

    Events are sorted by id. Dates are days since 1970-01-01; `type`/`subtype` index
    `types`/`subtypes`; `place` is a key of `places` (its name); `admin1`..`admin3` are keys
    of `units` ([name, level, P-code, the unit it lies in]). Actor roles come
    as parallel arrays sorted by event id (`role`: 0 actor 1, 1 actor 2, 2-3 associated),
    actor ids from /api/actors. Four queries; the database writes the arrays. Run ANALYZE
    after bulk loads (`database_analyze`) so SQLite scans the table instead of the status
    index for this query (120 ms instead of 360 ms at 100k events).
    """
    columns = {
        "id": F("id"),
        "lat": F("latitude"),
        "lon": F("longitude"),
        "start": EpochDays("date_start"),
        "end": EpochDays("date_end"),
        "type": _index_of("event_type", TYPES),
        "subtype": _index_of("sub_event_type", SUBTYPES),
        "date_prec": F("date_precision"),
        "loc_prec": F("location_precision"),
        "place": F("place_id"),
        "admin1": F("admin1_id"),
        "admin2": F("admin2_id"),
        "admin3": F("admin3_id"),
        "fatalities": F("fatalities_best"),
    }
    aliased = {f"c_{name}": expression for name, expression in columns.items()}
    arrays = _json_columns(events.order_by("id").values(**aliased))
    # Ordered to the last column: the same data gives the same bytes, whatever the rows'
    # physical order (a restored database, a vacuumed table).
    roles = EventActor.objects.filter(event__in=events.order_by().values("pk")).order_by(
        "event_id", "role", "actor_id"
    )
    role_arrays = _json_columns(
        roles.values(
            r_event=F("event_id"),
            r_actor=F("actor_id"),
            r_role=_index_of("role", ["actor1", "actor2", "assoc1", "assoc2"]),
        ),
    )
    # The places and units these events use (and no other: a place named only by an
    # unreviewed candidate stays private).
    used = events.order_by().exclude(place=None).values("place_id")
    places = Place.objects.filter(pk__in=used).order_by("pk").values_list("pk", "name")
    unit_ids = Q()
    for level in (1, 2, 3):
        unit_ids |= Q(pk__in=events.order_by().values(f"admin{level}_id"))
    units = Place.objects.filter(unit_ids).order_by("pk")
    units = units.values_list("pk", "name", "kind", "pcode", "admin1_id", "admin2_id")
    head = {
        "count": events.count(),
        "types": TYPES,
        "subtypes": SUBTYPES,
        "places": {str(pk): name for pk, name in places},
        "units": {
            str(pk): [name, UNIT_KINDS.index(kind) + 1, pcode, parent2 or parent1]
            for pk, name, kind, pcode, parent1, parent2 in units
        },
    }
    parts = [orjson.dumps(head)[:-1], b',"columns":{']
    parts.append(
        b",".join(
            b'"%s":%s' % (n.encode(), a.encode()) for n, a in zip(columns, arrays, strict=True)
        )
    )
    parts.append(
        b'},"role_event":%s,"role_actor":%s,"role":%s}' % tuple(a.encode() for a in role_arrays)
    )
    return b"".join(parts)


def event_ids(events: QuerySet) -> dict:
    """Only the ids (the map's free-text search), the best match first. One query."""
    return {"ids": list(ranked_order(events).values_list("id", flat=True))}


# --------------------------------------------------------------------------- GeoJSON and CSV

LIST_FIELDS = (
    "id",
    "title",
    "description",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place_id",
    "location_precision",
    "latitude",
    "longitude",
    "admin1_id",
    "admin2_id",
    "admin3_id",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "source_text",
)


# What an export reads beyond the list's fields: the dataset's id and row, and whether an
# editor changed the event since.
EXPORT_FIELDS = (*LIST_FIELDS, "import_ref", "dataset_row", "edited_at")


def _actors_by_pk() -> dict[int, tuple[str, str, int]]:
    """actor id -> (name, slug, ACLED kind). One query."""
    return {
        pk: (n, s, k) for pk, n, s, k in Actor.objects.values_list("pk", "name", "slug", "kind")
    }


def _rows(events: QuerySet, fields=LIST_FIELDS):
    """(row dicts, actors per event, places, units, actor names): five queries."""
    rows = list(ranked_order(events, "date_start", "id").values(*fields))
    roles = _roles(events, [r["id"] for r in rows])
    places = _places(r["place_id"] for r in rows)
    return rows, roles, places, _units(rows), _actors_by_pk()


def _unit_names(row: dict, units: dict) -> list[tuple[str, str]]:
    """[(name, P-code)] of the event's governorate, district and subdistrict ('' if none)."""
    return [units.get(row[f"admin{i}_id"], ("", "")) for i in (1, 2, 3)]


def events_geojson(events: QuerySet) -> dict:
    """An RFC 7946 FeatureCollection ([lon, lat] order). Four queries."""
    rows, roles, places, units, actors = _rows(events)
    features = []
    for row in rows:
        name, country = places.get(row["place_id"], ("", ""))
        (admin1, pcode1), (admin2, pcode2), (admin3, pcode3) = _unit_names(row, units)
        properties = {
            "id": row["id"],
            "title": row["title"],
            "description": row["description"],
            "event_type": row["event_type"],
            "event_type_label": EventType(row["event_type"]).label,
            "sub_event_type": row["sub_event_type"],
            "sub_event_type_label": SubEventType(row["sub_event_type"]).label,
            "date_start": row["date_start"].isoformat(),
            "date_end": row["date_end"].isoformat(),
            "date_precision": row["date_precision"],
            "place": name,
            "governorate": admin1,
            "district": admin2,
            "subdistrict": admin3,
            "admin_pcodes": [c for c in (pcode1, pcode2, pcode3) if c],
            "country": country,
            "location_precision": row["location_precision"],
            "fatalities_best": row["fatalities_best"],
            "fatalities_low": row["fatalities_low"],
            "fatalities_high": row["fatalities_high"],
            "source_text": row["source_text"],
            "actors": [
                {"name": actors[a][0], "slug": actors[a][1], "role": role}
                for a, role in roles.get(row["id"], ())
            ],
        }
        has_point = row["latitude"] is not None
        geometry = (
            {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
            if has_point
            else None
        )
        features.append(
            {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


# ACLED's column names where ACLED has the field; Atlas's own after them.
CSV_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "atlas_id",
    "title",
    "date_start",
    "date_end",
    "date_prec",
    "where_prec",
    "fatalities_low",
    "fatalities_high",
]


def _merged_sources() -> Iterator[tuple[int, str]]:
    """(survivor id, outlet) for the evidence of every merged event. Two queries."""
    merged = dict(
        Event.objects.filter(status=Event.Status.MERGED).values_list("pk", "merged_into_id")
    )
    if not merged:
        return
    rows = Evidence.objects.filter(event_id__in=merged).values_list(
        "event_id", "report__source__name"
    )
    for event_id, source in rows:
        survivor, seen = event_id, set()
        while survivor in merged and survivor not in seen:
            seen.add(survivor)
            survivor = merged[survivor]
        yield survivor, source


def acled_time_precision(date_prec: int) -> int:
    """ACLED time_precision: 1 day, 2 week, 3 month or more."""
    return 1 if date_prec == 1 else 2 if date_prec <= 3 else 3


def acled_geo_precision(where_prec: int) -> int:
    """ACLED geo_precision: 1 the place, 2 near it, 3 a larger region."""
    return 1 if where_prec == 1 else 2 if where_prec <= 3 else 3


def _csv_stream(columns: list[str], records: Iterator[list]) -> Iterator[str]:
    """A CSV file (header first), streamed a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in chain([columns], records):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


# The dataset's own layout (the `layout` of Event.dataset_row) -> the columns a file in that
# layout has when no event of the export came from one: ACLED's current export, UCDP GED's.
DATASET_COLUMNS = {
    "acled": (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
        "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
        "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
        "source,source_scale,notes,fatalities,tags,timestamp"
    ).split(","),
    "ucdp": (
        "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"
        "conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,"
        "side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,"
        "source_article,source_office,source_date,source_headline,source_original,where_prec,"
        "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,"
        "priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,"
        "deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
    ).split(","),
}
ISO_NUMERIC = {"SY": 760, "IQ": 368, "JO": 400, "LB": 422, "TR": 792}
DISORDER = {
    "battles": "Political violence",
    "explosions": "Political violence",
    "violence_against_civilians": "Political violence",
    "protests": "Demonstrations",
    "riots": "Demonstrations",
    "strategic_developments": "Strategic developments",
}
UCDP_VIOLENCE = {"state": 1, "non-state": 2, "one-sided": 3}


def _blank(value) -> object:
    return "" if value is None else value


def _atlas_records(events: QuerySet) -> Iterator[dict]:
    """Each event as a dict of Atlas's CSV columns (CSV_COLUMNS) and the ACLED and UCDP
    fields Atlas can give it, with the dataset's own row (`dataset_row`) and whether an
    editor changed it since (`edited`). Six queries, then streamed."""
    rows, roles, places, units, actors = _rows(events, EXPORT_FIELDS)
    sources: dict[int, set[str]] = defaultdict(set)
    evidence = Evidence.objects.filter(event__in=events.order_by().values("pk"))
    for event_id, source in evidence.values_list("event_id", "report__source__name"):
        sources[event_id].add(source)
    for event_id, source in _merged_sources():
        sources[event_id].add(source)
    for row in rows:
        by_role: dict[str, list[int]] = defaultdict(list)
        for actor_id, role in roles.get(row["id"], ()):
            by_role[role].append(actor_id)
        name, country = places.get(row["place_id"], ("", ""))
        (admin1, _), (admin2, _), (admin3, _) = _unit_names(row, units)

        def names(role: str, by_role=by_role) -> str:
            return "; ".join(actors[a][0] for a in by_role[role])

        def kind(role: str, by_role=by_role) -> int | None:
            return actors[by_role[role][0]][2] if by_role[role] else None

        own = row["dataset_row"] or {}
        # The dataset's id where the event has one (ACLED's event_id_cnty), else Atlas's.
        event_id = row["import_ref"] if own.get("layout") == "acled" else f"ATLAS{row['id']}"
        source = "; ".join(sorted(sources.get(row["id"], ()))) or row["source_text"]
        inter1, inter2 = kind("actor1"), kind("actor2")
        civilians = inter2 == ActorKind.CIVILIANS
        state = ActorKind.STATE_FORCES in (inter1, inter2)
        violence = "one-sided" if civilians else "state" if state else "non-state"
        record = {
            "event_id_cnty": event_id,
            "event_date": row["date_start"].isoformat(),
            "year": row["date_start"].year,
            "time_precision": acled_time_precision(row["date_precision"]),
            "event_type": EventType(row["event_type"]).label,
            "sub_event_type": SubEventType(row["sub_event_type"]).label,
            "actor1": names("actor1"),
            "assoc_actor_1": names("assoc1"),
            "inter1": _blank(inter1),
            "actor2": names("actor2"),
            "assoc_actor_2": names("assoc2"),
            "inter2": _blank(inter2),
            "country": COUNTRIES.get(country, country),
            "admin1": admin1,
            "admin2": admin2,
            "admin3": admin3,
            "location": name,
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "geo_precision": acled_geo_precision(row["location_precision"]),
            "source": source,
            "notes": row["description"],
            "fatalities": _blank(row["fatalities_best"]),
            "atlas_id": row["id"],
            "title": row["title"],
            "date_start": row["date_start"].isoformat(),
            "date_end": row["date_end"].isoformat(),
            "date_prec": row["date_precision"],
            "where_prec": row["location_precision"],
            "fatalities_low": _blank(row["fatalities_low"]),
            "fatalities_high": _blank(row["fatalities_high"]),
            # ACLED's fields Atlas derives
            "disorder_type": DISORDER.get(row["event_type"], ""),
            "interaction": "".join(str(k) for k in sorted(k for k in (inter1, inter2) if k)),
            "civilian_targeting": "Civilian targeting" if civilians else "",
            "iso": ISO_NUMERIC.get(country, ""),
            "region": "Middle East" if country else "",
            # UCDP's
            "id": f"ATLAS{row['id']}",
            "type_of_violence": UCDP_VIOLENCE[violence],
            "side_a": names("actor1"),
            "side_b": names("actor2"),
            "source_article": source,
            "where_coordinates": name,
            "adm_1": admin1,
            "adm_2": admin2,
            "best": _blank(row["fatalities_best"]),
            "low": _blank(row["fatalities_low"]),
            "high": _blank(row["fatalities_high"]),
        }
        yield record | {"dataset_row": own, "edited": row["edited_at"] is not None}


def events_csv(events: QuerySet, layout: str = "atlas") -> Iterator[str]:
    """Atlas's CSV: ACLED's column names where ACLED has the field, Atlas's own after them
    (an ACLED event keeps its event_id_cnty; others are ATLAS<id>); or, with `layout` "acled"
    or "ucdp", that dataset's own layout (events_dataset_csv)."""
    if layout != "atlas":
        return events_dataset_csv(events, layout)
    records = _atlas_records(events)
    return _csv_stream(CSV_COLUMNS, ([r[c] for c in CSV_COLUMNS] for r in records))


def events_dataset_csv(events: QuerySet, layout: str) -> Iterator[str]:
    """The events in a dataset's own layout ("acled" or "ucdp"): an event imported from that
    dataset gives back its row as the file wrote it, every column and value, in the columns
    of the first such event's file (upper-case ACLED stays upper-case); an editor's later
    correction replaces the values of the columns Atlas keeps. Other events fill the same
    columns from Atlas's fields (blank where Atlas has nothing)."""
    records = _atlas_records(events)
    # The header: the columns of the first event from that dataset, else the dataset's own.
    columns, buffered = None, []
    for record in records:
        buffered.append(record)
        if record["dataset_row"].get("layout") == layout:
            columns = [c for c, _ in record["dataset_row"]["cells"]]
            break
    columns = columns or DATASET_COLUMNS[layout]
    keys = [c.lower() for c in columns]

    def values(record: dict) -> list:
        own = record["dataset_row"]
        if own.get("layout") == layout:
            written = {c.lower(): v for c, v in own["cells"]}
            if not record["edited"]:
                return [written.get(k, "") for k in keys]
            # Corrected in Atlas: Atlas's values where it keeps the field, the file's elsewhere.
            return [
                record[k] if k in EDITABLE_COLUMNS[layout] else written.get(k, "") for k in keys
            ]
        return [record.get(k, "") for k in keys]

    return _csv_stream(columns, (values(r) for r in chain(buffered, records)))


# The columns of a dataset's layout that an editor's correction of the event changes.
EDITABLE_COLUMNS = {
    "acled": frozenset(
        "event_type sub_event_type actor1 assoc_actor_1 actor2 assoc_actor_2 location latitude "
        "longitude notes fatalities".split()
    ),
    "ucdp": frozenset("side_a side_b where_coordinates latitude longitude best low high".split()),
}


# --------------------------------------------------------------------------- one event


# UCDP's sides are sides: it names no initiator (ACLED's actor 1 is the one that acted).
UCDP_ROLE_LABELS = {
    "actor1": "Side A",
    "assoc1": "Side A (with)",
    "actor2": "Side B",
    "assoc2": "Side B (with)",
}


def _quoted_list(text: str) -> list[str]:
    """'"SOHR,2020-02-02,Headline; more";"Airwars,2020-02-02,R4152"' -> its two entries;
    a list with no quotes splits on semicolons."""
    text = (text or "").strip()
    if not text:
        return []
    if text.startswith('"'):
        rows = csv.reader(io.StringIO(text.replace('";"', '"\n"')))
        return [row[0].strip() for row in rows if row and row[0].strip()]
    return [part.strip() for part in text.split(";") if part.strip()]


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # UCDP's "outlet,2020-02-02,headline"


def dataset_sources(event: Event) -> dict | None:
    """What an imported event's dataset says of its sources: UCDP's articles (outlet, date,
    headline) and number_of_sources, ACLED's source and source_scale. None for Atlas's own."""
    if event.dataset in OWN_DATASETS:
        return None
    own = event.dataset_row or {}
    if not own and not event.source_text:
        return None
    cells = {c.lower(): v for c, v in own.get("cells") or ()}
    layout = own.get("layout") or event.dataset
    sources = []
    if layout == "ucdp":
        articles = _quoted_list(cells.get("source_article", event.source_text))
        for article in articles:
            outlet, day, headline = [*article.split(",", 2), "", ""][:3]
            if not DAY.fullmatch(day.strip()):  # not "outlet,date,headline": the whole text
                outlet, day, headline = "", "", article
            sources.append({"outlet": outlet.strip(), "date": day.strip(), "headline": headline})
        if not articles:
            offices = _quoted_list(cells.get("source_office", ""))
            days = _quoted_list(cells.get("source_date", ""))
            for n, headline in enumerate(_quoted_list(cells.get("source_headline", ""))):
                outlet = offices[n] if n < len(offices) else ""
                day = days[n] if n < len(days) else ""
                sources.append({"outlet": outlet, "date": day, "headline": headline})
    else:
        for outlet in _quoted_list(cells.get("source", event.source_text)):
            sources.append({"outlet": outlet, "date": "", "headline": ""})
    return {
        "dataset": event.dataset,
        "id": event.import_ref,
        "layout": layout,
        "number_of_sources": cells.get("number_of_sources") or None,
        "source_scale": cells.get("source_scale") or None,
        "sources": sources,
    }


def event_detail(event: Event) -> dict:
    """Everything the details panel shows. Three queries (place and units are select_related)."""
    place = event.place
    units = [getattr(event, f"admin{i}") for i in (1, 2, 3)]
    roles = event.event_actors.select_related("actor").order_by("role", "actor__name")
    # A merged duplicate's evidence is the survivor's too: every source stays listed.
    family = event.merged_family()
    evidence = (
        Evidence.objects.filter(event_id__in=family)
        .select_related("report__source")
        .order_by("report__published", "start", "pk")
    )
    imported = dataset_sources(event)
    ucdp = imported is not None and imported["layout"] == "ucdp"
    colours = actor_colours()
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "event_type": event.event_type,
        "event_type_label": event.get_event_type_display(),
        "sub_event_type": event.sub_event_type,
        "sub_event_type_label": event.get_sub_event_type_display(),
        "date_start": event.date_start.isoformat(),
        "date_end": event.date_end.isoformat(),
        "date_precision": event.date_precision,
        "date_precision_label": DatePrecision(event.date_precision).label,
        "location_precision": event.location_precision,
        "location_precision_label": LocationPrecision(event.location_precision).label,
        "place": place
        and {
            "name": place.name,
            "name_ar": place.name_ar,
            "kind": place.kind,
            "governorate": units[0].name if units[0] else "",
            "country": place.country,
        },
        "units": [
            {"level": level, "name": unit.name, "name_ar": unit.name_ar, "pcode": unit.pcode}
            for level, unit in enumerate(units, start=1)
            if unit is not None
        ],
        "latitude": event.latitude,
        "longitude": event.longitude,
        "fatalities": {
            "best": event.fatalities_best,
            "low": event.fatalities_low,
            "high": event.fatalities_high,
        },
        "actors": [
            {
                "id": ea.actor_id,
                "name": ea.actor.name,
                "slug": ea.actor.slug,
                "family": colours.get(ea.actor_id, ("other", ""))[0],
                "colour": colours.get(ea.actor_id, ("", "#8c8c8c"))[1],
                "role": ea.role,
                "role_label": UCDP_ROLE_LABELS[ea.role] if ucdp else ea.get_role_display(),
            }
            for ea in roles
        ],
        "dataset": imported,
        # The records merged into it (an ACLED and a UCDP record of one incident): each
        # dataset's id and sources, kept.
        "merged_records": [
            found
            for merged in Event.objects.filter(pk__in=family[1:]).order_by("pk")
            if (found := dataset_sources(merged)) is not None
        ],
        "sources": [
            {
                "outlet": ev.report.source.name,
                "outlet_url": ev.report.source.url,
                "title": ev.report.title,
                "url": ev.report.url,
                "published": ev.report.published and ev.report.published.isoformat(),
                "published_note": ev.report.published_note,
                "quote": ev.quote,
                "start": ev.start,
                "end": ev.end,
            }
            for ev in evidence
        ],
    }


# --------------------------------------------------------------------------- vocabularies


def families_list() -> list[dict]:
    """The actor families in legend order, with their colours."""
    return [{"key": f.key, "label": f.label, "colour": f.colour} for f in FAMILIES]


def actors_list() -> list[dict]:
    """The actors of published events (and the forces they belong to) with their place in
    the hierarchy, family and colour, and how many published events involve each. Four
    queries."""
    counts = dict(
        EventActor.objects.filter(event__status=Event.Status.PUBLISHED)
        .values("actor_id")
        .annotate(n=Count("event_id", distinct=True))
        .values_list("actor_id", "n")
    )
    colours = actor_colours()
    return [
        {
            "id": a.pk,
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "kind_label": a.get_kind_display(),
            "parent": a.parent_id,
            "country": a.country,
            "family": colours[a.pk][0],
            "colour": colours[a.pk][1],
            "aliases": a.aliases,
            "events": counts.get(a.pk, 0),
        }
        for a in Actor.objects.filter(pk__in=public_actor_ids()).order_by("name")
    ]


def event_types() -> list[dict]:
    """ACLED's types with their sub-types (the order the map's shapes follow)."""
    from events.models import SUB_EVENT_PARENT

    return [
        {
            "value": t.value,
            "label": t.label,
            "subtypes": [
                {"value": s.value, "label": s.label}
                for s in SubEventType
                if SUB_EVENT_PARENT[s.value] == t.value
            ],
        }
        for t in EventType
    ]


TRUNCATE = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def timeline(events: QuerySet, interval: str) -> list[dict]:
    """Counts per day, week or month of the earliest date. `precise` counts the events whose
    whole window falls in the bin; the rest are known only to a longer span. One query."""
    trunc = TRUNCATE[interval]
    rows = (
        events.order_by()
        .annotate(bin=trunc("date_start"), bin_end=trunc("date_end"))
        .values("bin")
        .annotate(count=Count("pk"), precise=Count("pk", filter=Q(bin_end=F("bin"))))
        .order_by("bin")
    )
    return [
        {"start": _day(r["bin"]).isoformat(), "count": r["count"], "precise": r["precise"]}
        for r in rows
    ]


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def database_analyze() -> None:
    """Refresh the query planner's statistics (after bulk loads and imports)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def place_found(entry, units: dict[int, tuple[str, str]]) -> dict:
    """A place for the map's search box: where it is and the units it lies in."""
    names = [units.get(pk, ("", ""))[0] for pk in entry.unit_ids()]
    return {
        "id": entry.pk,
        "name": entry.name,
        "kind": entry.kind,
        "country": entry.country,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "governorate": names[0],
        "district": names[1],
        "subdistrict": names[2],
    }


def places_found(entries) -> list[dict]:
    ids = {pk for e in entries for pk in e.unit_ids()} - {None}
    rows = Place.objects.filter(pk__in=ids).values_list("pk", "name", "pcode")
    units = {pk: (name, pcode) for pk, name, pcode in rows}
    return [place_found(e, units) for e in entries]


def places_in_box(places, limit: int) -> list[list]:
    """[id, name, latitude, longitude, population, kind] for the map's labels, the most
    important first (the map places labels in this order and drops those that would overlap)."""
    rows = places.exclude(kind__in=UNIT_KINDS).order_by(
        F("population").desc(nulls_last=True), "pk"
    )[:limit]
    return [
        [pk, name, round(lat, 5), round(lon, 5), pop, kind]
        for pk, name, lat, lon, pop, kind in rows.values_list(
            "pk", "name", "latitude", "longitude", "population", "kind"
        )
    ]


def unit_feature(unit: Place) -> dict:
    """An administrative unit as a GeoJSON Feature with its outline."""
    return {
        "type": "Feature",
        "id": unit.pcode,
        "geometry": unit.outline,
        "properties": {
            "id": unit.pk,
            "pcode": unit.pcode,
            "name": unit.name,
            "name_ar": unit.name_ar,
            "level": UNIT_KINDS.index(unit.kind) + 1,
            "governorate": unit.admin1.name if unit.admin1_id else "",
            "district": unit.admin2.name if unit.admin2_id else "",
            "latitude": unit.latitude,
            "longitude": unit.longitude,
        },
    }
