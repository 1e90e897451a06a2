"""Export file names that say what they hold: the filters that made them and the day.

`atlas-events_2020-01-01_2020-06-30_actor-isis_type-battles_governorate-SY09_2026-12-03.csv`:
a file saved months ago still tells what it is and when it was taken, so it can be cited. The
map names its download links with the same rule (static/atlas/js/cite.js, `exportName`); both
work on the query string's own text, so the link and the server's answer agree to the letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

# The filters a name carries, in this order (the window first, then who, what, where, words).
LIST_PARAMETERS = ("actor", "type", "subtype")
UNIT_PARAMETERS = ("governorate", "district", "subdistrict")
PART_MAX = 40  # characters of one filter's values
FILTERS_MAX = 160  # characters of all the filters together

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
_DECIMALS = re.compile(r"(-?[0-9]*)(?:\.([0-9]{0,2})[0-9]*)?")


def safe(text: str) -> str:
    """Letters and digits, every other run of characters one hyphen, none at either end."""
    return _UNSAFE.sub("-", text).strip("-")


def _bounded(text: str, limit: int) -> str:
    return text[:limit].rstrip("-+_.")


def _coordinate(text: str) -> str:
    """A bbox number with at most two decimals, cut (not rounded) from its text."""
    match = _DECIMALS.fullmatch(text.strip())
    if not match:
        return safe(text)
    whole, decimals = match.groups()
    return f"{whole}.{decimals}" if decimals else whole


def export_filename(
    params: Mapping[str, str], *, fmt: str, layout: str = "atlas", day: date
) -> str:
    """The name of an export of the events these query parameters (their text, as sent)
    select, taken on `day`. Unknown or empty parameters are left out."""
    get = lambda name: (params.get(name) or "").strip()  # noqa: E731
    parts = []
    start, end = get("start"), get("end")
    if start and end:
        parts += [safe(start), safe(end)]
    elif start:
        parts.append(f"from-{safe(start)}")
    elif end:
        parts.append(f"to-{safe(end)}")
    for name in LIST_PARAMETERS:
        values = [safe(v) for v in get(name).split(",")]
        if values := [v for v in values if v]:
            parts.append(f"{name}-{_bounded('+'.join(values), PART_MAX)}")
    for name in UNIT_PARAMETERS:
        if value := safe(get(name)):
            parts.append(f"{name}-{_bounded(value, PART_MAX)}")
    if bbox := get("bbox"):
        corners = "+".join(_coordinate(v) for v in bbox.split(","))
        parts.append(f"bbox-{_bounded(corners, PART_MAX)}")
    if get("q"):
        parts.append(_bounded(f"q-{safe(get('q')).lower()}", PART_MAX))
    filters = _bounded("_".join(parts), FILTERS_MAX)
    name = "atlas-events" if layout == "atlas" else f"atlas-events-{safe(layout)}"
    return "_".join(p for p in (name, filters, day.isoformat()) if p) + f".{fmt}"


def form_export_filename(form, *, fmt: str, layout: str = "atlas") -> str:
    """The name of the export a valid EventListForm asks for, taken today (UTC, as the map
    names its links): a unit given by any spelling is named by its P-code, as the map sends it."""
    params = form.data.dict()
    for name in UNIT_PARAMETERS:
        if unit := form.cleaned_data.get(name):
            params[name] = unit.pcode or unit.slug
    return export_filename(params, fmt=fmt, layout=layout, day=datetime.now(UTC).date())
