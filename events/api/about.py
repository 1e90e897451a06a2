"""What the About page says about the data, computed from the published events.

Coverage (events and deaths by year and governorate), where the events come from and how
precise they are: two grouped queries, remembered per version of the public data
(events/api/public.py), so the page costs the version's few small queries once computed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractYear

from events.api.public import public_version
from events.models import BORDER_GOVERNORATES, DatePrecision, Event, LocationPrecision, Place

# The governorates Atlas is about: Deir ez-Zor, Raqqa, Hasakah and Homs (its desert, the
# Badia), and the Iraqi governorates on the border, Anbar and Nineveh.
EASTERN_GOVERNORATES = ("SY09", "SY11", "SY08", "SY04", *BORDER_GOVERNORATES)

# What each precision code means for a researcher, and how the map shows it (map.js: a
# hollow marker from date code 4; a ring of RING_KM for location codes 2-5, dashed from 4).
DATE_MEANINGS = {
    DatePrecision.EXACT: "The event happened on the day given; the earliest and latest "
    "possible dates are the same.",
    DatePrecision.DAYS: "Known to a span of two to six days: the event lies somewhere between "
    "its earliest and latest possible dates.",
    DatePrecision.WEEK: "Known to about a week (for example a report of 'last week').",
    DatePrecision.MONTH: "Known only to the month. The map draws it hollow and the timeline "
    "spreads it over the month (pale), never on one day.",
    DatePrecision.LONGER: "Known only to a period longer than a month, up to a year or more. "
    "Hollow on the map, spread over its period on the timeline.",
}
LOCATION_MEANINGS = {
    LocationPrecision.EXACT: ("The event happened at the place given (a town, a village, a "
                              "base, a field).", "marker only"),
    LocationPrecision.NEAR: ("Near the place given, within about 25 km (outskirts, "
                             "countryside, 'east of' a town).", "25 km ring"),
    LocationPrecision.DISTRICT: ("Known to the district (second-order division) only: drawn "
                                 "at a point standing for it.", "50 km ring"),
    LocationPrecision.GOVERNORATE: ("Known to the governorate (first-order division) only; "
                                    "it is in no district.", "100 km dashed ring"),
    LocationPrecision.AREA: ("A larger area that is not a unit: a desert (the Badia), a "
                             "border, a river, a road.", "150 km dashed ring"),
    LocationPrecision.COUNTRY: ("Known to the country only: drawn at a point standing for it, "
                                "in no governorate.", "no ring"),
    LocationPrecision.WATERS: ("International waters or airspace.", "no ring"),
}  # fmt: skip
DATASET_LABELS = {
    "ucdp": "UCDP Georeferenced Event Dataset (imported)",
    "acled": "ACLED export (imported)",
}
OWN_LABEL = "Atlas editors, from the cited reports"


@dataclass
class Row:
    """Events and deaths (best estimates) of one year, governorate or group of them."""

    label: str
    events: int = 0
    deaths: int = 0
    pcode: str = ""
    eastern: bool = False
    per_year: dict[int, int] = field(default_factory=dict)
    share: str = ""  # of all published events
    year_cells: list[int] = field(default_factory=list)  # its events in each year shown

    def add(self, events: int, deaths: int, year: int | None = None) -> None:
        self.events += events
        self.deaths += deaths
        if year is not None:
            self.per_year[year] = self.per_year.get(year, 0) + events


def percent(part: int, whole: int) -> str:
    """A share as people read it: 97%, 3%, 0.4%, <0.1%, 0%."""
    if not whole or not part:
        return "0%"
    value = 100 * part / whole
    if value >= 1:
        return f"{value:.0f}%"
    return f"{value:.1f}%" if value >= 0.1 else "<0.1%"


def coverage_compute() -> dict:
    """Coverage of the published events. Two queries."""
    published = Event.objects.published().order_by()
    rows = (
        published.annotate(year=ExtractYear("date_start"))
        .values("year", "admin1__pcode", "admin1__name")
        .annotate(
            events=Count("pk"),
            deaths=Sum("fatalities_best"),
            no_count=Count("pk", filter=Q(fatalities_best__isnull=True)),
            first=Min("date_start"),
            last=Max("date_end"),
        )
    )
    total = Row("All published events")
    eastern = Row("Eastern Syria and the border", eastern=True)
    elsewhere = Row("Elsewhere")
    years: dict[int, Row] = {}
    units: dict[str, Row] = {}
    first: date | None = None
    last: date | None = None
    no_count = 0
    for row in rows:
        year, pcode, n = row["year"], row["admin1__pcode"] or "", row["events"]
        deaths = row["deaths"] or 0
        no_count += row["no_count"]
        first = min(first or row["first"], row["first"])
        last = max(last or row["last"], row["last"])
        total.add(n, deaths, year)
        years.setdefault(year, Row(str(year))).add(n, deaths)
        in_east = pcode in EASTERN_GOVERNORATES
        (eastern if in_east else elsewhere).add(n, deaths, year)
        label = row["admin1__name"] or "In no governorate (known to the country only)"
        unit = units.setdefault(pcode, Row(label, pcode=pcode, eastern=in_east))
        unit.add(n, deaths, year)
    year_list = sorted(years)
    for row in [*years.values(), *units.values(), eastern, elsewhere]:
        row.share = percent(row.events, total.events)
        row.year_cells = [row.per_year.get(y, 0) for y in year_list]
    order = sorted(units.values(), key=lambda r: (not r.pcode, -r.events, r.label))

    origins: dict[str, int] = defaultdict(int)
    dates: dict[int, int] = defaultdict(int)
    places: dict[int, int] = defaultdict(int)
    for row in published.values("dataset", "date_precision", "location_precision").annotate(
        events=Count("pk")
    ):
        origins[DATASET_LABELS.get(row["dataset"], OWN_LABEL)] += row["events"]
        dates[row["date_precision"]] += row["events"]
        places[row["location_precision"]] += row["events"]

    busiest = max((years[y] for y in year_list), key=lambda r: r.events, default=None)
    return {
        "total": total,
        "first": first,
        "last": last,
        "no_count": no_count,
        "years": year_list,
        "by_year": [years[y] for y in year_list],
        "busiest_year": busiest,
        "eastern": eastern,
        "elsewhere": elsewhere,
        # The governorates in and outside the area Atlas is about, each group with its total.
        "groups": [
            (eastern, [r for r in order if r.eastern]),
            (elsewhere, [r for r in order if not r.eastern]),
        ],
        "origins": [
            {"label": label, "events": n, "share": percent(n, total.events)}
            for label, n in sorted(origins.items(), key=lambda item: -item[1])
        ],
        "date_precision": [
            {"code": c.value, "label": c.label, "meaning": DATE_MEANINGS[c], "events": dates[c]}
            for c in DatePrecision
        ],
        "location_precision": [
            {
                "code": c.value,
                "label": c.label,
                "meaning": LOCATION_MEANINGS[c][0],
                "drawn": LOCATION_MEANINGS[c][1],
                "events": places[c],
            }
            for c in LocationPrecision
        ],
    }


def coverage() -> dict:
    """The coverage, computed once per version of the public data and of the governorates'
    names (six small queries, and the two of `coverage_compute` when either changed)."""
    units = Place.objects.units(1).aggregate(n=Count("pk"), t=Max("updated_at"))
    key = "about-coverage:" + hashlib.sha256(repr((public_version(), units)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = coverage_compute()
        cache.set(key, found, timeout=3600)
    return found
