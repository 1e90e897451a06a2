"""The public side: the map page, the JSON/GeoJSON/CSV API, its OpenAPI document, and what of
the data is public (published events and what they show)."""
