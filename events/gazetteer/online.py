"""The opt-in online fallback: geopy's Nominatim for names the gazetteer lacks.

Off unless ATLAS_GEOCODER_ONLINE is true (and ATLAS_GEOCODER_USER_AGENT names the app and a
contact, as Nominatim's usage policy asks). At most one request a second. A hit outside the
region is refused (geopy parses malformed coordinates silently, NOTES.md). A place found
online is added to the gazetteer with its source, for an editor to check; tests never call it.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils import timezone

from events.gazetteer.geocoder import in_region
from events.gazetteer.keys import slugify_name
from events.models import Place


@cache
def _geocode():
    """geopy's Nominatim behind a one-request-a-second limiter (built once, on first use)."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent=settings.ATLAS_GEOCODER_USER_AGENT, timeout=10)
    return RateLimiter(nominatim.geocode, min_delay_seconds=1, max_retries=1)


def online_enabled() -> bool:
    return settings.ATLAS_GEOCODER_ONLINE


def place_lookup_online(name: str) -> Place | None:
    """A new Place for a name Nominatim finds in Syria or Iraq; None when off or not found."""
    if not online_enabled():
        return None
    location = _geocode()(name, country_codes=["sy", "iq"], exactly_one=True)
    if location is None or not in_region(location.latitude, location.longitude):
        return None
    slug = slugify_name(name)[:100] or "place"
    existing = Place.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return Place.objects.create(
        slug=slug,
        name=name,
        kind=Place.Kind.VILLAGE,
        latitude=location.latitude,
        longitude=location.longitude,
        country=(location.raw.get("address", {}).get("country_code") or "sy").upper()[:2],
        source=f"OpenStreetMap via Nominatim, looked up {timezone.localdate()}: "
        f"{location.address[:200]} (check before publishing)",
    )
