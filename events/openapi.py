"""The OpenAPI 3.1 description of the public API, served at /api/openapi.json."""

from events.forms import FORMATS, INTERVALS
from events.models import EventType, SubEventType


def _filters() -> list[dict]:
    def param(name: str, description: str, schema: dict) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }

    return [
        param(
            "start",
            "Earliest date (YYYY-MM-DD); events whose window overlaps are kept.",
            {"type": "string", "format": "date"},
        ),
        param("end", "Latest date (YYYY-MM-DD).", {"type": "string", "format": "date"}),
        param(
            "actor",
            "Comma-separated actor slugs (see /api/actors); an actor includes every "
            "unit or militia within it.",
            {"type": "string"},
        ),
        param(
            "type",
            "Comma-separated ACLED event types.",
            {"type": "string", "examples": [",".join(EventType.values[:2])]},
        ),
        param(
            "subtype",
            "Comma-separated ACLED sub-event types.",
            {"type": "string", "examples": [SubEventType.values[0]]},
        ),
        param("governorate", "Governorate name, e.g. Deir ez-Zor.", {"type": "string"}),
        param(
            "bbox",
            "west,south,east,north in degrees.",
            {"type": "string", "examples": ["38,33,42,36"]},
        ),
        param("q", "Words that must all appear in the title or description.", {"type": "string"}),
    ]


def _error() -> dict:
    return {
        "description": "A parameter did not parse; `parameters` names it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document() -> dict:
    filters = _filters()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Atlas API",
            "version": "1",
            "description": "Published events of the conflict in eastern Syria, in ACLED's and "
            "UCDP's vocabulary. Only events reviewed by an editor are served. Responses carry "
            "an ETag; send If-None-Match to get 304 when nothing changed.",
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
                    ],
                    "responses": {
                        "200": {
                            "description": "The events",
                            "content": {
                                "application/geo+json": {"schema": {"type": "object"}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/json": {"schema": {"type": "object"}},
                            },
                        },
                        "304": {"description": "Not modified since the ETag you sent"},
                        "400": _error(),
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
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "The event"},
                        "404": {"description": "No published event with this id"},
                    },
                }
            },
            "/api/actors": {
                "get": {
                    "summary": "Actors with kind, parent, colour and published event counts",
                    "responses": {"200": {"description": "The actors"}},
                }
            },
            "/api/event-types": {
                "get": {
                    "summary": "ACLED event types and sub-types",
                    "responses": {"200": {"description": "The taxonomy"}},
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
                    "responses": {"200": {"description": "The bins"}, "400": _error()},
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
                    },
                    "required": ["error"],
                }
            }
        },
    }
