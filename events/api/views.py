"""The researchers' map page and the public API. Views parse, query, serialise, in that order.

Anonymous or not, the API shows published events only. A parameter that does not parse is a
400 with a JSON body naming it; an unknown id or path is a 404 in JSON.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import wraps

import orjson
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

from events.api import about, serializers
from events.api.filenames import form_export_filename
from events.api.forms import EventListForm, PlaceListForm, TimelineForm
from events.api.openapi import openapi_document
from events.api.public import hidden_place_ids, public_survivor, public_version
from events.gazetteer.geocoder import places_search
from events.mapconfig import map_config
from events.models import Event, Place

JSON = "application/json"
MAX_ID = 2**63 - 1
GEOJSON = "application/geo+json"


def json_response(data, *, status: int = 200, content_type: str = JSON) -> HttpResponse:
    """Every JSON body leaves through here (orjson: dates, fast)."""
    return HttpResponse(orjson.dumps(data), status=status, content_type=content_type)


def json_error(status: int, message: str, **extra) -> HttpResponse:
    return json_response({"error": message, **extra}, status=status)


def invalid_parameters(form) -> HttpResponse:
    """The 400 for a query string that does not parse, naming each bad parameter."""
    return json_error(400, "invalid parameters", parameters=form.errors_by_parameter())


def api_endpoint(view):
    """A public API view: GET and HEAD only (any other method is a 405 in JSON naming the
    allowed ones), gzipped for clients that accept it, and no CSRF check: nothing changes
    through it, so a foreign method gets its 405 instead of the CSRF layer's HTML 403."""

    @csrf_exempt
    @wraps(view)
    def endpoint(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = json_error(405, f"{request.method} is not allowed here: use GET")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return endpoint


def unknown_parameters(request: HttpRequest, allowed: tuple[str, ...] = ()) -> HttpResponse | None:
    """The 400 for parameters an endpoint does not take, or None."""
    unknown = sorted(set(request.GET) - set(allowed))
    if not unknown:
        return None
    errors = [f"unknown parameter '{name}'" for name in unknown]
    return json_error(400, "invalid parameters", parameters={"parameters": errors})


def data_version(request: HttpRequest, *args, **kwargs) -> str:
    """An ETag: what the public data looks like now (events/public.py), and what was asked.
    Computed once per request."""
    if hasattr(request, "atlas_etag"):
        return request.atlas_etag
    key = repr((public_version(), request.path, sorted(request.GET.lists()), args, kwargs))
    request.atlas_etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    return request.atlas_etag


def accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def compressed_json(request: HttpRequest, etag: str, build) -> HttpResponse:
    """A large JSON body (bytes from `build`), gzipped at level 1 and cached per data version
    (NOTES.md: level 6 costs ~300 ms on the 100k-event body, level 1 ~40 ms)."""
    body = cache.get(f"body:{etag}")
    if body is None:
        body = gzip.compress(build(), compresslevel=1, mtime=0)
        cache.set(f"body:{etag}", body, timeout=3600)
    if accepts_gzip(request):
        response = HttpResponse(body, content_type=JSON)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type=JSON)
    response["Vary"] = "Accept-Encoding"
    return response


# --------------------------------------------------------------------------- the page


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    config = map_config()
    config["api"] |= {
        "events": reverse("api-events"),
        "event": reverse("api-event", args=[0]).rstrip("0"),
        "actors": reverse("api-actors"),
        "types": reverse("api-event-types"),
    }
    return render(request, "map.html", {"config": config})


@require_safe
def about_page(request: HttpRequest) -> HttpResponse:
    """What the data is, where it comes from, its coverage (computed, events/api/about.py),
    how it is curated and what the precision codes mean."""
    return render(request, "about.html", {"coverage": about.coverage()})


# --------------------------------------------------------------------------- the API


@api_endpoint
@gzip_page
@condition(etag_func=data_version)
def api_events(request: HttpRequest) -> HttpResponse:
    form = EventListForm(request.GET)
    if not form.is_valid():
        return invalid_parameters(form)
    events = form.events()
    fmt = form.cleaned_data["format"] or "geojson"
    if fmt == "compact":
        build = lambda: serializers.events_compact(events)  # noqa: E731
        return compressed_json(request, data_version(request), build)
    if fmt == "ids":
        return json_response(serializers.event_ids(events))
    if fmt == "csv":
        layout = form.cleaned_data["layout"] or "atlas"
        rows = serializers.events_csv(events, layout)
        response = StreamingHttpResponse(rows, content_type="text/csv")
        name = form_export_filename(form, fmt="csv", layout=layout)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    response = json_response(serializers.events_geojson(events), content_type=GEOJSON)
    if form.cleaned_data["format"] == "geojson":  # asked for by name: an export
        name = form_export_filename(form, fmt="geojson")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@api_endpoint
@gzip_page
@condition(etag_func=data_version)
def api_event(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := unknown_parameters(request):
        return refused
    if pk > MAX_ID:  # no such row, and PostgreSQL's bigint would refuse the number
        return json_error(404, f"no published event with id {pk}")
    event = (
        Event.objects.published()
        .select_related("place", "admin1", "admin2", "admin3")
        .filter(pk=pk)
        .first()
    )
    if event is None:  # unknown, unpublished and rejected alike: nothing about it leaks
        if survivor := public_survivor(pk):
            message = f"event {pk} was merged into event {survivor}"
            return json_error(404, message, merged_into=survivor)
        return json_error(404, f"no published event with id {pk}")
    return json_response(serializers.event_detail(event))


@api_endpoint
@gzip_page
@condition(etag_func=data_version)
def api_actors(request: HttpRequest) -> HttpResponse:
    if refused := unknown_parameters(request):
        return refused
    # Counting every actor's published events takes ~1 s at 100,000 events: the body is
    # cached per data version like the map's events.
    return compressed_json(
        request,
        data_version(request),
        lambda: orjson.dumps(
            {"actors": serializers.actors_list(), "families": serializers.families_list()}
        ),
    )


@api_endpoint
@gzip_page
def api_event_types(request: HttpRequest) -> HttpResponse:
    if refused := unknown_parameters(request):
        return refused
    return json_response({"types": serializers.event_types()})


@api_endpoint
@gzip_page
@condition(etag_func=data_version)
def api_timeline(request: HttpRequest) -> HttpResponse:
    form = TimelineForm(request.GET)
    if not form.is_valid():
        return invalid_parameters(form)
    interval = form.cleaned_data["interval"] or "month"
    bins = serializers.timeline(form.events(), interval)
    return json_response({"interval": interval, "bins": bins})


@api_endpoint
@gzip_page
def api_places(request: HttpRequest) -> HttpResponse:
    """Places of the gazetteer: found by any spelling (`q`), listed in a box (`bbox`), both,
    or the most important of all."""
    form = PlaceListForm(request.GET)
    if not form.is_valid():
        return invalid_parameters(form)
    hidden = hidden_place_ids()
    box = form.cleaned_data["bbox"]
    if query := form.cleaned_data["q"]:
        limit = min(form.cleaned_data["limit"] or 10, 50)
        found = places_search(query, limit=200 if box else limit, hidden=hidden)
        if box:
            west, south, east, north = box
            found = [
                e for e in found if south <= e.latitude <= north and west <= e.longitude <= east
            ]
        return json_response({"places": serializers.places_found(found[:limit])})
    limit = form.cleaned_data["limit"] or 500
    places = Place.objects.exclude(pk__in=hidden)
    if box:
        west, south, east, north = box
        places = places.filter(latitude__range=(south, north), longitude__range=(west, east))
    rows = serializers.places_in_box(places, limit + 1)
    response = json_response({"places": rows[:limit], "truncated": len(rows) > limit})
    response["Cache-Control"] = "public, max-age=300"
    return response


@api_endpoint
@gzip_page
def api_unit(request: HttpRequest, pcode: str) -> HttpResponse:
    """A governorate, district or subdistrict with its outline, by P-code."""
    if refused := unknown_parameters(request):
        return refused
    unit = (
        Place.objects.units()
        .select_related("admin1", "admin2")
        .filter(pcode=pcode)
        .exclude(pcode="")
        .first()
    )
    if unit is None:
        return json_error(404, f"no governorate, district or subdistrict with P-code {pcode}")
    response = json_response(serializers.unit_feature(unit), content_type=GEOJSON)
    response["Cache-Control"] = "public, max-age=300"
    return response


@api_endpoint
@gzip_page
def api_openapi(request: HttpRequest) -> HttpResponse:
    if refused := unknown_parameters(request):
        return refused
    return json_response(openapi_document())


@csrf_exempt
def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    return json_error(404, f"no such API endpoint: /api/{path}")
