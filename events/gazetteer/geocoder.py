"""An offline geopy geocoder over the Place table (DESIGN.md decision 4).

geopy's own geocoders all call a web service; Atlas must work with no internet, so this one
answers from the gazetteer: `geocode()` by transliteration key (every spelling of a name folds
to one key, see keys.py), `reverse()` by geodesic distance. Both return geopy `Location`s whose
`raw` carries the Place's id, slug, kind and governorate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from geopy.distance import geodesic
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from events.gazetteer.keys import name_key
from events.models import Place
from events.table_index import TableIndex

# Where ranking starts when a name fits several places: the middle Euphrates valley.
REGION_CENTRE = (34.9, 40.2)


@dataclass(frozen=True)
class Entry:
    pk: int
    slug: str
    name: str
    kind: str
    governorate: str
    country: str
    latitude: float
    longitude: float
    population: int
    names: frozenset[str] = frozenset()  # every name and alias, case-folded

    def location(self) -> Location:
        raw = {
            "id": self.pk,
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "governorate": self.governorate,
            "country": self.country,
        }
        address = ", ".join(p for p in (self.name, self.governorate, self.country) if p)
        return Location(address, Point(self.latitude, self.longitude), raw)

    def rank(self) -> tuple:
        """Prefer Syria, then points over governorates, then the larger and the nearer place."""
        distance = abs(self.latitude - REGION_CENTRE[0]) + abs(self.longitude - REGION_CENTRE[1])
        return (self.country != "SY", self.kind == "governorate", -self.population, distance)


class _Index(TableIndex):
    """Key -> places, rebuilt when the Place table changes (so new aliases count at once)."""

    model = Place

    def __init__(self) -> None:
        super().__init__()
        self.by_key: dict[str, list[Entry]] = {}
        self.entries: list[Entry] = []

    def rebuild(self) -> None:
        by_key: dict[str, list[Entry]] = {}
        entries = []
        fields = ("pk", "slug", "name", "kind", "governorate", "country", "latitude", "longitude")
        for row in Place.objects.values(*fields, "population", "aliases"):
            entry = Entry(
                **{f: row[f] for f in fields},
                population=row["population"] or 0,
                names=frozenset(n.casefold() for n in [row["name"], *row["aliases"]]),
            )
            entries.append(entry)
            for name in [row["name"], *row["aliases"]]:
                key = name_key(name)
                if key and entry not in by_key.setdefault(key, []):
                    by_key[key].append(entry)
        for candidates in by_key.values():
            candidates.sort(key=Entry.rank)
        self.by_key, self.entries = by_key, entries


_index = _Index()


def place_index() -> _Index:
    """The current key -> places index (one query to check it is up to date)."""
    return _index.current()


class Gazetteer(Geocoder):
    """`Gazetteer().geocode("Al-Bokamal")` -> Location of Abu Kamal, with no network."""

    def __init__(self) -> None:
        super().__init__(user_agent="atlas-offline-gazetteer")

    def geocode(self, query: str, *, exactly_one: bool = True, kinds: set[str] | None = None):
        """Places whose name or alias has the query's key, best first; None when none does."""
        matches = _index.current().by_key.get(name_key(query), [])
        if kinds is not None:
            matches = [m for m in matches if m.kind in kinds]
        if not matches:
            return None
        return matches[0].location() if exactly_one else [m.location() for m in matches]

    def reverse(self, query, *, exactly_one: bool = True, limit: int = 5):
        """The nearest places to a (lat, lon) point by geodesic distance (governorates skipped)."""
        point = Point(query)
        entries = [e for e in _index.current().entries if e.kind != "governorate"]
        # A cheap planar pre-filter keeps the geodesic computation to a few dozen candidates.
        entries.sort(
            key=lambda e: (e.latitude - point.latitude) ** 2 + (e.longitude - point.longitude) ** 2
        )
        nearest = sorted(
            entries[: max(limit, 1) * 10],
            key=lambda e: geodesic(point, (e.latitude, e.longitude)).km,
        )
        if not nearest:
            return None
        return nearest[0].location() if exactly_one else [e.location() for e in nearest[:limit]]


def in_region(latitude: float, longitude: float) -> bool:
    """Whether a point lies in the region Atlas covers (settings.ATLAS_REGION)."""
    region = settings.ATLAS_REGION
    return (
        region["south"] <= latitude <= region["north"]
        and region["west"] <= longitude <= region["east"]
    )
