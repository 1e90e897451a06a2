"""The admin's place picker: the latitude input plus a small Leaflet map (no GDAL needed).

django-leaflet's own form widget is built on GeoDjango and needs GDAL (DESIGN.md decision 2),
so this one only borrows its Leaflet assets. The marker and the two coordinate inputs follow
each other; the gazetteer's places are drawn as small labelled dots so the map reads without
any tile layer.
"""

from django import forms
from django.conf import settings

from events.models import Place


def gazetteer_points() -> list[list]:
    """[lat, lon, name, id] of every place but the governorates: the admin maps' reference
    dots (about 900 places, a few dozen KB). One query."""
    return [
        [round(lat, 4), round(lon, 4), name, pk]
        for pk, lat, lon, name in Place.objects.exclude(kind="governorate").values_list(
            "pk", "latitude", "longitude", "name"
        )
    ]


class PlaceMapWidget(forms.NumberInput):
    template_name = "events/widgets/place_map.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "events/place_map.css"]}
        js = ["leaflet/leaflet.js", "events/place_map.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["places"] = gazetteer_points()
        input_id = context["widget"]["attrs"].get("id", name)
        context["widget"]["places_id"] = f"{input_id}-places"
        context["widget"]["config_id"] = f"{input_id}-config"
        context["widget"]["map_config"] = {
            "center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
            "tiles": settings.ATLAS_TILES_URL,
            "attribution": settings.ATLAS_TILES_ATTRIBUTION,
        }
        return context
