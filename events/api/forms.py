"""Query parameters of the public API, parsed and validated before any query runs.

One form serves the map, the API, the timeline and the exports, so they always agree on what
a filter means. A parameter that does not parse is an error naming it (the views answer 400).
"""

from __future__ import annotations

from django import forms

from events.gazetteer.units import unit_find
from events.models import Actor, Event, EventQuerySet, EventType, Place, SubEventType

FORMATS = ("geojson", "csv", "compact", "ids")
# A CSV's columns: Atlas's own (ACLED's names where ACLED has the field), or a dataset's layout
# in which the events imported from it give back their rows as the file wrote them.
LAYOUTS = ("atlas", "acled", "ucdp")
INTERVALS = ("day", "week", "month")


class CommaListField(forms.CharField):
    """`a,b,c` -> ['a', 'b', 'c'] (blanks dropped)."""

    def to_python(self, value) -> list[str]:
        value = super().to_python(value)
        if "\x00" in (value or ""):
            raise forms.ValidationError("Null characters are not allowed.")
        return [item.strip() for item in (value or "").split(",") if item.strip()]


class ApiForm(forms.Form):
    """A query string: an unknown or empty parameter is an error naming it."""

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.unknown = sorted(set(data) - set(self.fields))
        self.empty = sorted(name for name in set(data) & set(self.fields) if data[name] == "")

    def clean(self):
        data = super().clean()
        for name in self.unknown:
            self.add_error(None, f"unknown parameter '{name}'")
        for name in self.empty:  # `start=` is a mistake, not "no date": say so
            self.add_error(name, "empty: give a value or leave the parameter out")
        return data

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        parts = self.cleaned_data["bbox"]
        if not parts:
            return None
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            raise forms.ValidationError("bbox is west,south,east,north in degrees") from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError("bbox must be west,south,east,north with west < east")
        return west, south, east, north

    def errors_by_parameter(self) -> dict[str, list[str]]:
        errors = {name: [str(e) for e in errs] for name, errs in self.errors.items()}
        if "__all__" in errors:
            errors["parameters"] = errors.pop("__all__")
        return errors


class EventFilterForm(ApiForm):
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    actor = CommaListField(required=False, max_length=2000)
    type = CommaListField(required=False, max_length=500)
    subtype = CommaListField(required=False, max_length=2000)
    governorate = forms.CharField(required=False, max_length=100)
    district = forms.CharField(required=False, max_length=100)
    subdistrict = forms.CharField(required=False, max_length=100)
    bbox = CommaListField(required=False, max_length=200)
    q = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "end must not come before start")
        return data

    def clean_actor(self) -> list[Actor]:
        slugs = self.cleaned_data["actor"]
        actors = list(Actor.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {a.slug for a in actors})
        if missing:
            raise forms.ValidationError(f"unknown actor: {', '.join(missing)}")
        return actors

    def clean_type(self) -> list[str]:
        return self._choices("type", EventType.values)

    def clean_subtype(self) -> list[str]:
        return self._choices("subtype", SubEventType.values)

    def _choices(self, name: str, allowed: list[str]) -> list[str]:
        values = self.cleaned_data[name]
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise forms.ValidationError(f"unknown {name}: {', '.join(wrong)}")
        return values

    def clean_governorate(self) -> Place | None:
        return self._unit("governorate", 1)

    def clean_district(self) -> Place | None:
        return self._unit("district", 2)

    def clean_subdistrict(self) -> Place | None:
        return self._unit("subdistrict", 3)

    def _unit(self, name: str, level: int) -> Place | None:
        """A unit by its P-code or any spelling of its name ('Deir ez-Zor', 'Dayr az Zawr',
        'Deir-ez-Zor', 'SY09', 'دير الزور')."""
        value = self.cleaned_data[name]
        if not value:
            return None
        if "\x00" in value:
            raise forms.ValidationError("Null characters are not allowed.")
        unit = unit_find(value, level)
        if unit is None:
            raise forms.ValidationError(f"unknown {name}: {value}")
        return Place.objects.get(pk=unit.pk)

    def events(self) -> EventQuerySet:
        """The published events these (valid) parameters select. Builds a query; runs none."""
        data = self.cleaned_data
        qs = Event.objects.published().between(data.get("start"), data.get("end"))
        if data.get("actor"):
            qs = qs.involving(*data["actor"])
        qs = qs.of_types(data.get("type") or [], data.get("subtype") or [])
        units = [data.get(name) for name in ("governorate", "district", "subdistrict")]
        for unit in units:
            if unit is not None:
                qs = qs.in_units(unit)
        if data.get("bbox"):
            qs = qs.in_bbox(*data["bbox"])
        if data.get("q"):
            qs = qs.search(data["q"])
        return qs


class EventListForm(EventFilterForm):
    """/api/events: the filters and the response format."""

    format = forms.ChoiceField(required=False, choices=[(f, f) for f in FORMATS])
    layout = forms.ChoiceField(required=False, choices=[(lay, lay) for lay in LAYOUTS])

    def clean(self):
        data = super().clean()
        if data.get("layout") and data.get("format") != "csv":
            self.add_error("layout", "A layout is a CSV's columns: use it with format=csv.")
        return data


class TimelineForm(EventFilterForm):
    """/api/timeline: the filters and the bin size."""

    interval = forms.ChoiceField(required=False, choices=[(i, i) for i in INTERVALS])


class PlaceListForm(ApiForm):
    """/api/places: a search (`q`, any spelling, Arabic included), the places in a box
    (`bbox`, for the map's names), both (a search within the box) or neither (the most
    important places)."""

    q = forms.CharField(required=False, max_length=200)
    bbox = CommaListField(required=False, max_length=200)
    limit = forms.IntegerField(required=False, min_value=1, max_value=2000)

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise forms.ValidationError("Null characters are not allowed.")
        return value.strip()
