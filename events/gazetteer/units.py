"""Administrative units at run time: which governorate, district and subdistrict a point lies
in, and which unit a dataset's spelling names.

The units are places (kind governorate, district, subdistrict) with their outlines, built from
OCHA's boundaries for Syria and Natural Earth's for Iraq's governorates (events/gazetteer/
build.py). Both indexes follow edits to the Place table (TableIndex).
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from events.gazetteer.keys import place_key
from events.models import UNIT_KINDS, Place
from events.table_index import TableIndex

# Words a dataset adds to a unit's name: "Hamah governorate", "Western Deir ez Zor governorate".
UNIT_WORDS = frozenset(
    "governorate province muhafazat muhafaza district mantiqah subdistrict nahiya nahiyah "
    "countryside rural western eastern northern southern central".split()
)


@dataclass(frozen=True)
class Unit:
    pk: int
    level: int
    name: str
    pcode: str
    country: str
    ids: tuple[int | None, int | None, int | None]  # governorate, district, subdistrict


class _Units(TableIndex):
    model = Place

    def __init__(self) -> None:
        super().__init__()
        self.by_key: dict[tuple[int, str], list[Unit]] = {}
        self.by_pk: dict[int, Unit] = {}
        self.finest: list[Unit] = []
        self.tree: STRtree | None = None
        self.shapes: list = []

    def watched(self):
        """Only the units: an import creating villages leaves the outlines as they are."""
        return Place.objects.filter(kind__in=UNIT_KINDS)

    def rebuild(self) -> None:
        rows = self.watched().values(
            "pk", "kind", "name", "name_ar", "aliases", "pcode", "country", "outline",
            "admin1_id", "admin2_id",
        )  # fmt: skip
        by_key: dict[tuple[int, str], list[Unit]] = {}
        by_pk, finest, shapes = {}, [], []
        rows = list(rows)
        iraq_has_districts = any(r["country"] == "IQ" and r["kind"] != "governorate" for r in rows)
        for row in rows:
            level = UNIT_KINDS.index(row["kind"]) + 1
            ids = [row["admin1_id"], row["admin2_id"], None][: level - 1]
            ids = (*ids, row["pk"], *([None] * (3 - level)))
            unit = Unit(row["pk"], level, row["name"], row["pcode"], row["country"], ids)
            by_pk[unit.pk] = unit
            for name in [row["name"], row["name_ar"], row["pcode"], *row["aliases"]]:
                key = unit_key(name)
                if key:
                    by_key.setdefault((level, key), []).append(unit)
            # The finest units tile the land: Syria's subdistricts, Iraq's governorates.
            finest_level = 3 if row["country"] == "SY" or iraq_has_districts else 1
            if level == finest_level and row["outline"]:
                finest.append(unit)
                shapes.append(shape(row["outline"]))
        self.by_key, self.by_pk, self.finest, self.shapes = by_key, by_pk, finest, shapes
        self.tree = STRtree(shapes) if shapes else None


_units = _Units()


def unit_key(name: str) -> str:
    """A unit name's key without the words datasets add ("Ar Raqqah governorate" = "Raqqa")."""
    words = [w for w in (name or "").replace("-", " ").split() if w.lower() not in UNIT_WORDS]
    return place_key(" ".join(words) or name or "")


def units_at(latitude: float | None, longitude: float | None):
    """(governorate id, district id, subdistrict id) of the unit a point lies in, else the
    nearest within about 5 km (simplified borders leave slivers); Nones outside the region."""
    index = _units.current()
    if latitude is None or longitude is None or index.tree is None:
        return (None, None, None)
    point = Point(longitude, latitude)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        return index.finest[int(hits[0])].ids
    nearest = index.tree.nearest(point)
    if nearest is not None and index.shapes[int(nearest)].distance(point) < 0.05:
        return index.finest[int(nearest)].ids
    return (None, None, None)


def unit_find(name: str, level: int | None = None, country: str = "") -> Unit | None:
    """The unit a spelling names: 'Deir ez Zor', 'Dayr az Zawr', 'Deir-ez-Zor', 'SY09',
    'Hamah governorate', 'دير الزور'. None when no unit, or several equally, have that name."""
    index = _units.current()
    key = unit_key(name)
    if not key:
        return None
    levels = [level] if level else [1, 2, 3]
    for lvl in levels:
        found = [u for u in index.by_key.get((lvl, key), ()) if not country or u.country == country]
        if len({u.pk for u in found}) == 1:
            return found[0]
    return None


def unit_countries() -> frozenset[str]:
    """The countries whose governorates, districts and subdistricts the gazetteer holds."""
    return frozenset(u.country for u in _units.current().by_pk.values())


def unit_get(pk: int | None) -> Unit | None:
    return _units.current().by_pk.get(pk) if pk else None
