"""The admin's place picker: the latitude input plus a small Leaflet map (no GDAL needed).

django-leaflet's own form widget is built on GeoDjango and needs GDAL (DESIGN.md decision 2),
so this one only borrows its Leaflet assets. The map draws the researchers' offline basemap
and place names (static/atlas/js/basemap.js); the marker and the two coordinate inputs follow
each other.
"""

import orjson
from django import forms
from django.db.models import F

from events.mapconfig import map_config
from events.models import UNIT_KINDS, Place

NEAR_DEGREES = 0.6  # the places offered around an event's point: about 60 km either way


def places_near(point: list[float] | None, limit: int = 1500) -> list[list]:
    """[lat, lon, name, id, own] of the places an editor may click on the event map: those
    around the event's point (or the default view), and the editors' own (own_places).
    Two queries."""
    lat, lon = point or (35.0, 40.0)
    around = (
        Place.objects.exclude(kind__in=UNIT_KINDS)
        .filter(
            latitude__range=(lat - NEAR_DEGREES, lat + NEAR_DEGREES),
            longitude__range=(lon - NEAR_DEGREES * 1.2, lon + NEAR_DEGREES * 1.2),
        )
        .order_by(F("population").desc(nulls_last=True), "pk")[:limit]
    )
    rows = {
        pk: [round(y, 5), round(x, 5), name, pk, False]
        for pk, y, x, name in around.values_list("pk", "latitude", "longitude", "name")
    }
    rows |= {row[3]: row for row in own_places(limit)}
    return list(rows.values())


def own_places(limit: int = 1500) -> list[list]:
    """[lat, lon, name, id, True] of the places not from the open gazetteer (an editor's or
    the extraction's, wherever they are), which the public API does not list until a
    published event uses them: the editors' maps name them all the same. One query."""
    own = Place.objects.exclude(kind__in=UNIT_KINDS).exclude(
        pk__in=Place.objects.gazetteer().values("pk")
    )
    return [
        [round(y, 5), round(x, 5), name, pk, True]
        for pk, y, x, name in own.order_by("pk")[:limit].values_list(
            "pk", "latitude", "longitude", "name"
        )
    ]


class PlaceMapWidget(forms.NumberInput):
    template_name = "events/widgets/place_map.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "events/place_map.css"]}
        js = [
            "leaflet/leaflet.js",
            "vendor/topojson-client/topojson-client.min.js",
            forms.Script("events/place_map.js", type="module"),
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        input_id = context["widget"]["attrs"].get("id", name)
        context["widget"]["config_id"] = f"{input_id}-config"
        context["widget"]["places_json"] = orjson.dumps(own_places()).decode()
        context["widget"]["map_config"] = map_config()
        return context
