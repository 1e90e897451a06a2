"""Aliases that would name something else are refused, with a message naming the conflict.

An alias teaches extraction and the geocoder a spelling (events/pipeline/actors.py,
events/gazetteer/geocoder.py), so "Daesh" added to al-Mayadin would put every ISIS attack in
al-Mayadin. The cheap rules (stop words, no letters) are the model's own validator
(events/models.py, `name_problem`); this module compares a new alias with the other actors and
places, by transliteration key (events/gazetteer/keys.py: every spelling of a name folds to one
key, so "Da'esh" conflicts with "Daesh" as the geocoder would confuse them).

The rules, for an alias that is not a spelling of the object's own names (the same key as its
name, Arabic name or an alias it already has, which is always fine):

- an actor's alias may not be a name of another actor, of a governorate, district or
  subdistrict, or of a town (a city, a landmark or a place of 10,000 people or more). Villages
  are allowed: tribes and villages share names (al-Shaitat, al-Baggara).
- a place's alias may not be a name of an actor, of a unit (governorate, district,
  subdistrict) other than itself, of another place within NEAR_KM, or of a town in the same
  governorate (the geocoder reads a town's name in its governorate as the town). Namesakes
  farther away are allowed, even in the same governorate: the gazetteer has 21,040 pairs of
  places sharing a key, 4,770 of them in one governorate, so refusing every namesake would
  block real spellings of real villages.

Only the aliases an edit adds are checked: names the gazetteer's sources gave are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from geopy.distance import geodesic

from events.gazetteer.geocoder import LANDMARKS
from events.gazetteer.keys import place_key
from events.models import UNIT_KINDS, Actor, Place, name_problem

NEAR_KM = 25  # UCDP's "near" (where_prec 2): two places this close cannot share a name
TOWN_POPULATION = 10_000  # the geocoder's towns (geocoder.Entry.tier)
LEADING = frozenset(["the", "a", "an"])  # "the Islamic State" is "Islamic State"


def alias_key(name: str) -> str:
    """The transliteration key a name is compared by, leading English articles dropped."""
    words = name.split()
    while len(words) > 1 and words[0].casefold() in LEADING:
        words = words[1:]
    return place_key(" ".join(words))


def _is_town(place: Place) -> bool:
    if place.kind in UNIT_KINDS or place.kind == Place.Kind.NEIGHBOURHOOD:
        return False
    return place.kind in LANDMARKS or (place.population or 0) >= TOWN_POPULATION


def _place_label(place: Place) -> str:
    if place.kind in UNIT_KINDS:
        return f"the {place.kind} {place.name}"
    town = place.kind == Place.Kind.CITY or (place.population or 0) >= TOWN_POPULATION
    kind = "town" if town else place.get_kind_display().split(" (")[0].lower()
    where = f" ({place.admin1.name})" if place.admin1_id else ""
    return f"the {kind} {place.name}{where}"


def _actor_conflicts(key: str, exclude: int | None) -> list[str]:
    """Names of the actors (other than `exclude`) that fold to `key`. One query."""
    rows = Actor.objects.exclude(pk=exclude).only("name", "aliases")
    return [a.name for a in rows if key in {alias_key(n) for n in a.all_names()}]


def _places_named(key: str, exclude: int | None) -> list[Place]:
    """The places (other than `exclude`) with a name that folds to `key`: one query on the
    stored keys of every name (Place.search_keys), checked word for word."""
    word = (
        Q(search_keys=key)
        | Q(search_keys__startswith=f"{key} ")
        | Q(search_keys__endswith=f" {key}")
        | Q(search_keys__contains=f" {key} ")
    )
    rows = Place.objects.filter(word).exclude(pk=exclude).select_related("admin1")
    fields = ["name", "kind", "latitude", "longitude", "population", "search_keys", "admin1"]
    rows = rows.only(*fields, "admin1__name")
    return [p for p in rows if key in p.search_keys.split()]


def alias_conflicts(
    obj: Actor | Place,
    names: Iterable[str],
    *,
    own: Iterable[str] = (),
    point: tuple[float, float] | None = None,
    admin1_id: int | None = None,
) -> list[str]:
    """Why each of `names` cannot be an alias of `obj`, as messages (none: all are fine).

    `own` adds names the object is being given in the same edit (a new name); `point` and
    `admin1_id` are a place's coordinates and governorate as the edit leaves them (default:
    as saved). A few queries per alias."""
    is_place = isinstance(obj, Place)
    own_names = [*obj.all_names(), *own, *([obj.name_ar] if is_place else [])]
    own_keys = {alias_key(n) for n in own_names if n} - {""}
    if is_place:
        point = point or (obj.latitude, obj.longitude)
        admin1_id = admin1_id if admin1_id is not None else obj.admin1_id
    messages = []
    for name in names:
        key = alias_key(name)
        if name_problem(name) or not key or key in own_keys:
            continue  # the model's validator speaks for the first; the others name it
        actors = _actor_conflicts(key, None if is_place else obj.pk)
        if actors:
            messages.append(f"“{name}” is a name of the actor {actors[0]}.")
            continue
        places = _places_named(key, obj.pk if is_place else None)
        conflict = _place_conflict(places, point, admin1_id) if is_place else _actor_place(places)
        if conflict:
            messages.append(f"“{name}” is a name of {conflict}.")
    return messages


def _actor_place(places: list[Place]) -> str | None:
    """The unit or town among `places` an actor's alias may not name, described."""
    for place in sorted(places, key=lambda p: p.kind in UNIT_KINDS):
        if place.kind in UNIT_KINDS or _is_town(place):
            return _place_label(place)
    return None


def _place_conflict(
    places: list[Place], point: tuple[float, float] | None, admin1_id: int | None
) -> str | None:
    """The place among `places` another place's alias may not name (nearby, a town of its
    governorate, or a unit), described; the nearest place first, units last."""
    found = []
    for place in places:
        km = None
        if point and None not in point:
            km = geodesic(point, (place.latitude, place.longitude)).km
        if place.kind in UNIT_KINDS:
            found.append((2, 0.0, _place_label(place)))
        elif km is not None and km <= NEAR_KM:
            found.append((0, km, f"{_place_label(place)}, {km:.0f} km away"))
        elif _is_town(place) and admin1_id and place.admin1_id == admin1_id:
            found.append((1, km or 0.0, f"{_place_label(place)}, in the same governorate"))
    return min(found)[2] if found else None


def aliases_check(obj: Actor | Place, names: Iterable[str], **context) -> None:
    """Raise a ValidationError listing every problem of `names` as aliases of `obj`: the
    model's cheap rules, then the conflicts with other actors and places."""
    names = list(names)
    problems = [p for p in map(name_problem, names) if p]
    problems += alias_conflicts(obj, names, **context)
    if problems:
        raise ValidationError(problems)


def added(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """The names of `after` that `before` does not have (case and spacing aside)."""
    have = {" ".join(n.split()).casefold() for n in before}
    return [n for n in after if " ".join(n.split()).casefold() not in have]
