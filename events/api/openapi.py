"""The OpenAPI 3.1 description of the public API, served at /api/openapi.json."""

import re

from events.api.forms import FORMATS, INTERVALS, LAYOUTS
from events.api.public import public_actor_ids
from events.models import Actor, Event, EventType, Place, SubEventType


def _one_or_more(values: list[str]) -> str:
    """A pattern for a comma-separated list of these values."""
    choice = "|".join(re.escape(v) for v in values) or "(?!)"
    return f"^({choice})(,({choice}))*$"


def _filters() -> list[dict]:
    """The filters, with what each accepts as far as a schema can say it (an empty value is
    refused; which actors, types and governorates exist comes from the data)."""

    def param(name: str, description: str, schema: dict) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": {"minLength": 1, **schema},
        }

    actors = sorted(Actor.objects.filter(pk__in=public_actor_ids()).values_list("slug", flat=True))
    examples = {
        level: list(Place.objects.units(level).filter(country="SY").order_by("pcode")
                    .values_list("name", flat=True)[:3])
        for level in (1, 2, 3)
    }  # fmt: skip
    number = NUMBER
    return [
        param(
            "start",
            "Earliest date (YYYY-MM-DD); events whose window overlaps are kept.",
            {"type": "string", "format": "date"},
        ),
        param(
            "end",
            "Latest date (YYYY-MM-DD), not before start.",
            {"type": "string", "format": "date"},
        ),
        param(
            "actor",
            "Comma-separated actor slugs (see /api/actors); an actor includes every "
            "unit or militia within it.",
            {"type": "string", "pattern": _one_or_more(actors)},
        ),
        param(
            "type",
            "Comma-separated ACLED event types.",
            {"type": "string", "pattern": _one_or_more(EventType.values)},
        ),
        param(
            "subtype",
            "Comma-separated ACLED sub-event types.",
            {"type": "string", "pattern": _one_or_more(SubEventType.values)},
        ),
        *(
            param(
                name,
                f"A {name}: its P-code or any spelling of its name (Deir ez-Zor, Dayr az "
                "Zawr, Deir-ez-Zor, SY09 and دير الزور are one governorate).",
                {"type": "string", "maxLength": 100, "examples": examples[level]},
            )
            for level, name in ((1, "governorate"), (2, "district"), (3, "subdistrict"))
        ),
        param(
            "bbox",
            "west,south,east,north in degrees, west < east and south < north.",
            {
                "type": "string",
                "pattern": f"^{number},{number},{number},{number}$",
                "examples": ["38,33,42,36"],
            },
        ),
        param(
            "q",
            "Words that must all appear in the title or description.",
            {"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"},
        ),
    ]


NUMBER = r"-?\d+(\.\d+)?"


def _published_ids() -> dict:
    """A few ids of published events, so clients (and schemathesis) can try a real one."""
    ids = Event.objects.published().order_by("pk").values_list("pk", flat=True)[:3]
    return {f"event{pk}": {"value": pk} for pk in ids}


def _json(schema: dict, description: str, content_type: str = "application/json") -> dict:
    return {"description": description, "content": {content_type: {"schema": schema}}}


ERROR = {"$ref": "#/components/schemas/Error"}
BAD_PARAMETERS = _json(
    ERROR, "A parameter is unknown, empty or does not parse; `parameters` names it."
)
NOT_MODIFIED = {"description": "Not modified since the ETag you sent (If-None-Match)"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


NULLABLE_INT = {"type": ["integer", "null"]}
EVENT_LIST = {
    "application/geo+json": {
        "schema": _object({"type": {"const": "FeatureCollection"}, "features": {"type": "array"}})
    },
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {
        "schema": {
            "oneOf": [
                _object({"ids": {"type": "array", "items": {"type": "integer"}}}),
                _object(
                    {
                        "count": {"type": "integer"},
                        "types": {"type": "array"},
                        "subtypes": {"type": "array"},
                        "places": {"type": "object"},
                        "columns": {"type": "object"},
                        "role_event": {"type": "array"},
                        "role_actor": {"type": "array"},
                        "role": {"type": "array"},
                    }
                ),
            ]
        }
    },
}
EVENT = _object(
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "event_type": {"type": "string"},
        "sub_event_type": {"type": "string"},
        "date_start": {"type": "string", "format": "date"},
        "date_end": {"type": "string", "format": "date"},
        "date_precision": {"type": "integer"},
        "location_precision": {"type": "integer"},
        "place": {"type": ["object", "null"]},
        "latitude": {"type": ["number", "null"]},
        "longitude": {"type": ["number", "null"]},
        "fatalities": _object({"best": NULLABLE_INT, "low": NULLABLE_INT, "high": NULLABLE_INT}),
        "actors": {"type": "array", "items": {"type": "object"}},
        "sources": {"type": "array", "items": {"type": "object"}},
        # An imported event: its dataset, id there, and the sources the dataset cites.
        "dataset": {"type": ["object", "null"]},
        "merged_records": {"type": "array", "items": {"type": "object"}},
    }
)
ACTORS = _object(
    {
        "actors": {
            "type": "array",
            "items": _object(
                {
                    "id": {"type": "integer"},
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"type": "integer"},
                    "parent": NULLABLE_INT,
                    # The actor's family (events/families.py) and its shade of the family's
                    # colour-blind-safe colour.
                    "family": {"type": "string"},
                    "colour": {"type": "string"},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "events": {"type": "integer"},
                },
            ),
        },
        "families": {
            "type": "array",
            "items": _object(
                {
                    "key": {"type": "string"},
                    "label": {"type": "string"},
                    "colour": {"type": "string"},
                }
            ),
        },
    }
)
PLACES = {
    "oneOf": [
        _object(
            {
                "places": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "kind": {"type": "string"},
                            "country": {"type": "string"},
                            "latitude": {"type": "number"},
                            "longitude": {"type": "number"},
                            "governorate": {"type": "string"},
                            "district": {"type": "string"},
                            "subdistrict": {"type": "string"},
                        }
                    ),
                }
            }
        ),
        _object(
            {
                "places": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "description": "[id, name, latitude, longitude, population, kind]",
                    },
                },
                "truncated": {"type": "boolean"},
            }
        ),
    ]
}
UNIT = _object(
    {
        "type": {"const": "Feature"},
        "id": {"type": "string"},
        "geometry": {"type": ["object", "null"]},
        "properties": {"type": "object"},
    }
)
TYPES = _object({"types": {"type": "array", "items": {"type": "object"}}})
TIMELINE = _object(
    {
        "interval": {"type": "string", "enum": list(INTERVALS)},
        "bins": {
            "type": "array",
            "items": _object(
                {
                    "start": {"type": "string", "format": "date"},
                    "count": {"type": "integer"},
                    "precise": {"type": "integer"},
                }
            ),
        },
    }
)


def openapi_document() -> dict:
    filters = _filters()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Atlas API",
            "version": "1",
            "description": "Published events of the conflict in eastern Syria, in ACLED's and "
            "UCDP's vocabulary. Only events reviewed by an editor are served. Responses carry "
            "an ETag; send If-None-Match to get 304 when nothing changed. Every endpoint "
            "answers GET (and HEAD); any other method is a 405 naming them. A parameter an "
            "endpoint does not take, an empty one or one that does not parse is a 400 whose "
            "JSON names it; an unknown id or path is a 404 in JSON.",
            "license": {"name": "Data: CC BY 4.0 (GeoNames, UCDP) and the cited reports"},
        },
        "paths": {
            "/api/events": {
                "get": {
                    "summary": "Published events matching the filters",
                    "parameters": [
                        *filters,
                        {
                            "name": "format",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "string",
                                "enum": list(FORMATS),
                                "default": "geojson",
                            },
                            "description": "geojson (RFC 7946), csv (ACLED column names), compact "
                            "(column arrays for the map) or ids.",
                        },
                        {
                            "name": "layout",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(LAYOUTS)},
                            "description": "With format=csv: atlas (Atlas's columns, the "
                            "default), acled or ucdp (the dataset's own layout: its events give "
                            "back their rows as the file wrote them).",
                        },
                    ],
                    "responses": {
                        "200": {"description": "The events", "content": EVENT_LIST},
                        "304": NOT_MODIFIED,
                        "400": BAD_PARAMETERS,
                    },
                }
            },
            "/api/events/{id}": {
                "get": {
                    "summary": "One published event with its actors, sources and evidence",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                            "examples": _published_ids(),
                        }
                    ],
                    "responses": {
                        "200": _json(EVENT, "The event"),
                        "304": NOT_MODIFIED,
                        "400": BAD_PARAMETERS,
                        "404": _json(
                            ERROR,
                            "No published event with this id (under review, rejected, removed "
                            "or unknown alike); a merged event's answer names the published "
                            "event it was merged into (`merged_into`)",
                        ),
                    },
                }
            },
            "/api/actors": {
                "get": {
                    "summary": "The actors of published events, with kind, parent, family, colour "
                    "and published event counts; the families with their colours",
                    "responses": {
                        "200": _json(ACTORS, "The actors"),
                        "304": NOT_MODIFIED,
                        "400": BAD_PARAMETERS,
                    },
                }
            },
            "/api/event-types": {
                "get": {
                    "summary": "ACLED event types and sub-types",
                    "responses": {
                        "200": _json(TYPES, "The taxonomy"),
                        "400": BAD_PARAMETERS,
                    },
                }
            },
            "/api/places": {
                "get": {
                    "summary": "Places of the gazetteer: found by any spelling (q), listed in "
                    "a box (bbox, the most important first), both (a search within the box), or "
                    "neither (the most important places)",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "A name in any transliteration or in Arabic "
                            "(Mayadin, al-Mayadeen, الميادين); a beginning is enough.",
                            "schema": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 200,
                                "pattern": "^[^\\x00]*$",
                                "examples": ["al-Mayadeen"],
                            },
                        },
                        {
                            "name": "bbox",
                            "in": "query",
                            "required": False,
                            "description": "west,south,east,north in degrees.",
                            "schema": {
                                "type": "string",
                                "pattern": f"^{NUMBER},{NUMBER},{NUMBER},{NUMBER}$",
                                "examples": ["40.3,34.8,40.7,35.1"],
                            },
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2000},
                        },
                    ],
                    "responses": {
                        "200": _json(PLACES, "The places"),
                        "400": BAD_PARAMETERS,
                    },
                }
            },
            "/api/units/{pcode}": {
                "get": {
                    "summary": "A governorate, district or subdistrict with its outline",
                    "parameters": [
                        {
                            "name": "pcode",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "examples": ["SY09", "SY0903"]},
                        }
                    ],
                    "responses": {
                        "200": _json(UNIT, "The unit", "application/geo+json"),
                        "400": BAD_PARAMETERS,
                        "404": _json(ERROR, "No unit with this P-code"),
                    },
                }
            },
            "/api/timeline": {
                "get": {
                    "summary": "Event counts per day, week or month of the earliest date",
                    "parameters": [
                        *filters,
                        {
                            "name": "interval",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "string",
                                "enum": list(INTERVALS),
                                "default": "month",
                            },
                        },
                    ],
                    "responses": {
                        "200": _json(TIMELINE, "The bins"),
                        "304": NOT_MODIFIED,
                        "400": BAD_PARAMETERS,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "parameters": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                        "merged_into": {
                            "type": "integer",
                            "description": "A merged event's 404: the published event it was "
                            "merged into.",
                        },
                    },
                    "required": ["error"],
                }
            }
        },
    }
