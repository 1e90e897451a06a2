"""An offline geopy geocoder over the Place table (DESIGN.md decision 4).

geopy's own geocoders all call a web service; Atlas must work with no internet, so this one
answers from the gazetteer: `geocode()` by transliteration key (every spelling of a name folds
to one key, see keys.py), `reverse()` by geodesic distance. Both return geopy `Location`s whose
`raw` carries the Place's id, slug, kind and governorate.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from math import cos, hypot, radians

from django.conf import settings
from geopy.distance import geodesic
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from events.gazetteer.keys import loose_key, place_key
from events.gazetteer.units import unit_find
from events.models import Place
from events.table_index import TableIndex

# Where ranking starts when a name fits several places: the middle Euphrates valley.
REGION_CENTRE = (34.9, 40.2)
NEAR_KM = 150  # a namesake farther than this from the context is a last resort
FAMOUS = 500_000  # a city this large is what its bare name means, however far (Baghdad)


@dataclass(frozen=True)
class Entry:
    pk: int
    slug: str
    name: str
    kind: str
    country: str
    latitude: float
    longitude: float
    population: int
    admin1_id: int | None = None
    admin2_id: int | None = None
    admin3_id: int | None = None
    governorate: str = ""  # the name of its governorate (for people, never for matching)
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

    def unit_ids(self) -> tuple[int | None, int | None, int | None]:
        """Its governorate, district and subdistrict (a unit is its own), like Place's."""
        own = UNIT_LEVEL.get(self.kind, 0)
        ids = [self.admin1_id, self.admin2_id, self.admin3_id]
        if own:
            ids[own - 1] = self.pk
            ids[own:] = [None] * (3 - own)
        return tuple(ids)

    @property
    def tier(self) -> int:
        """What a reader would think a bare name means first: a town or a landmark (Homs the
        city, not the governorate or the subdistrict named after it; the Badia, not a hamlet
        called Badia); a governorate (Anbar, not the hamlet near Afrin); a village; the other
        units and city neighbourhoods."""
        unit = UNIT_LEVEL.get(self.kind, 0)
        if unit:
            return 1 if unit == 1 else 3
        if self.kind == "neighbourhood":  # it has its city's point, not one of its own
            return 3
        town = self.kind in LANDMARKS or self.population >= 10_000
        return 0 if town else 2

    def rank(self) -> tuple:
        """With no context to go by: the tier, Syria first, the larger, the nearer to the
        middle Euphrates. A place that bears the name itself comes before one that has it only
        as another name (_Index.rebuild). Extraction ranks namesakes by the report's context
        before all this."""
        distance = abs(self.latitude - REGION_CENTRE[0]) + abs(self.longitude - REGION_CENTRE[1])
        return (self.tier, self.country != "SY", -self.population, distance)


LANDMARKS = frozenset(
    "city base airport oil_gas_field facility camp border_crossing area river".split()
)
UNIT_LEVEL = {"governorate": 1, "district": 2, "subdistrict": 3}


class _Index(TableIndex):
    """Key -> places, rebuilt when the Place table changes (so new aliases count at once)."""

    model = Place

    def __init__(self) -> None:
        super().__init__()
        self.by_key: dict[str, list[Entry]] = {}
        self.by_loose: dict[str, list[Entry]] = {}  # loose_key -> places, for a second look
        self.entries: list[Entry] = []
        self.by_pk: dict[int, Entry] = {}
        self.keys: list[str] = []
        self.names: list[tuple[str, int]] = []  # (folded name, place id), sorted

    def rebuild(self) -> None:
        by_key: dict[str, list[Entry]] = {}
        by_loose: dict[str, list[Entry]] = {}
        entries = []
        fields = ("pk", "slug", "name", "kind", "country", "latitude", "longitude")
        units = dict(Place.objects.filter(kind="governorate").values_list("pk", "name"))
        rows = Place.objects.values(
            *fields, "population", "aliases", "name_ar", "admin1_id", "admin2_id", "admin3_id"
        )
        for row in rows:
            names = [row["name"], row["name_ar"], *row["aliases"]]
            entry = Entry(
                **{f: row[f] for f in fields},
                population=row["population"] or 0,
                admin1_id=row["admin1_id"],
                admin2_id=row["admin2_id"],
                admin3_id=row["admin3_id"],
                governorate=units.get(row["admin1_id"] or row["pk"], ""),
                names=frozenset(n.casefold() for n in names if n),
            )
            entries.append(entry)
            own = {place_key(row["name"]), place_key(row["name_ar"] or "")}
            for key in {place_key(n) for n in names if n} - {""}:
                by_key.setdefault(key, []).append((key not in own, entry))
            for key in {loose_key(n) for n in names if n} - {""}:
                by_loose.setdefault(key, []).append(entry)
        for key, candidates in by_key.items():
            # The tier first (Palmyra the town, called Tadmor too, before the village of
            # Tadmuriyah); within it a place bearing the name itself before one that has it
            # only as another name (the Deir ez-Zor village before a town once called so).
            candidates.sort(key=lambda c: (c[1].tier, c[0], c[1].rank()))
            by_key[key] = [entry for _, entry in candidates]
        self.by_key, self.by_loose, self.entries = by_key, by_loose, entries
        self.by_pk = {e.pk: e for e in entries}
        self.keys = sorted(by_key)  # for prefix search (places_search)
        self.names = sorted((n, e.pk) for e in entries for n in e.names)


_index = _Index()


def place_index() -> _Index:
    """The current key -> places index (one query to check it is up to date)."""
    return _index.current()


class Gazetteer(Geocoder):
    """`Gazetteer().geocode("Al-Bokamal")` -> Location of Abu Kamal, with no network."""

    def __init__(self) -> None:
        super().__init__(user_agent="atlas-offline-gazetteer")

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        kinds: set[str] | None = None,
        near: tuple[float, float] | None = None,
        within: str = "",
    ):
        """Places whose name or alias has the query's key (Latin or Arabic script), best first;
        None when none does. `near` (lat, lon) prefers the namesakes around that point, 50 km
        by 50 km (thousands of villages share a name: a report's region tells them apart)."""
        index = _index.current()
        matches = index.by_key.get(place_key(query), [])
        if kinds is not None:
            matches = [m for m in matches if m.kind in kinds]
        if within or near:
            matches = _in_context(index, query, matches, within, near)
        if near is not None:

            def nearness(m: Entry, near=near) -> tuple:
                km = flat_km(near, (m.latitude, m.longitude))
                return (km > NEAR_KM and m.population < FAMOUS, m.tier, km)

            matches = sorted(matches, key=nearness)
        if not matches:
            return None
        return matches[0].location() if exactly_one else [m.location() for m in matches]

    def reverse(self, query, *, exactly_one: bool = True, limit: int = 5):
        """The nearest places to a (lat, lon) point by geodesic distance (units skipped)."""
        point = Point(query)
        entries = [e for e in _index.current().entries if e.kind not in UNIT_LEVEL]
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


def places_search(query: str, *, limit: int = 10, hidden: frozenset[int] = frozenset()):
    """Places for a search box, best first: those bearing the query's spelling (any script,
    any transliteration), or else those whose consonants match it; then those whose names
    begin with it, as one types. Among each, a name that begins with what was typed first,
    then the usual rank (towns, Syria, population). `hidden` ids are left out. Entries."""
    index = _index.current()
    key = place_key(query)
    typed = " ".join(query.casefold().split())
    if not key or not typed:
        return []
    starts = (typed, f"al-{typed}", f"al {typed}", f"el-{typed}", f"ad-{typed}", f"ar-{typed}")

    def begins(entry: Entry) -> tuple:
        return (not any(n.startswith(starts) for n in entry.names), *entry.rank())

    exact = list(index.by_key.get(key, [])) or list(index.by_loose.get(loose_key(query), []))
    prefixed = []
    if len(key.removeprefix("ar:")) >= 2:
        start = bisect_left(index.keys, key)
        for other in index.keys[start : start + 400]:
            if not other.startswith(key):
                break
            prefixed.extend(index.by_key[other])
    # A short beginning: what it begins is what was meant, more than what it spells.
    groups = [exact + prefixed] if len(typed) < 4 else [exact, prefixed]
    found: dict[int, Entry] = {}
    for group in groups:
        for entry in sorted(group, key=begins):
            if entry.pk not in hidden and len(found) < limit:
                found.setdefault(entry.pk, entry)
    if len(found) < limit:  # the name as typed, where folding the ending lost the prefix
        named = {}
        for start in starts:
            at = bisect_left(index.names, (start, 0))
            for name, pk in index.names[at : at + 200]:
                if not name.startswith(start):
                    break
                named[pk] = index.by_pk[pk]
        named = named.values()
        for entry in sorted(named, key=Entry.rank):
            if entry.pk not in hidden and len(found) < limit:
                found.setdefault(entry.pk, entry)
    return list(found.values())


def _in_context(index: _Index, query: str, matches: list[Entry], within: str, near):
    """The places in the named unit (or within 150 km of `near`) first, and the great cities
    wherever they are (a report about Deir ez-Zor that names Baghdad means the capital, not
    the hamlet of al-Baghdadi). When none of them
    bears the spelling, a second look: the one place there whose consonants match
    (keys.loose_key); if several places do, none."""
    unit = unit_find(within) if within else None

    def inside(e: Entry, radius: float) -> bool:
        if e.population >= FAMOUS and radius == NEAR_KM:
            return True
        in_unit = unit is None or unit.pk in (e.pk, *e.unit_ids())
        return in_unit and (near is None or flat_km(near, (e.latitude, e.longitude)) <= radius)

    local = [m for m in matches if inside(m, NEAR_KM)]
    if local:
        return local + [m for m in matches if m not in local]
    found = [
        e
        for e in index.by_loose.get(loose_key(query), [])
        if inside(e, 40) and e.kind not in UNIT_LEVEL
    ]
    return found[:1] if one_place(found) else matches


def one_place(entries: list[Entry]) -> bool:
    """Whether these are one place: a single entry, or entries within 8 km of each other (a
    village both sources hold under two spellings)."""
    return bool(entries) and all(
        flat_km((a.latitude, a.longitude), (b.latitude, b.longitude)) <= 8
        for a in entries
        for b in entries
    )


def flat_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km on a flat earth: enough to rank namesakes, far cheaper than geodesic."""
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * cos(radians((a[0] + b[0]) / 2))
    return 111.2 * hypot(dlat, dlon)


def in_region(latitude: float, longitude: float) -> bool:
    """Whether a point lies in the region Atlas covers (settings.ATLAS_REGION)."""
    region = settings.ATLAS_REGION
    return (
        region["south"] <= latitude <= region["north"]
        and region["west"] <= longitude <= region["east"]
    )
