"""In-memory indexes over a table that follow edits made anywhere (admin, imports, shell).

The gazetteer and the actor lexicon are read on every extraction and geocode; rebuilding them
each time would cost a full table read, and caching them forever would ignore an alias an
editor has just added. So each index checks one count + max(updated_at) query and rebuilds
only when that changed.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.db.models import Count, Max


class TableIndex:
    """Subclasses name their `model` (which has `updated_at`) and fill themselves in `rebuild`."""

    model: ClassVar[type[models.Model]]

    def __init__(self) -> None:
        self.version: tuple | None = None

    def current(self) -> Self:
        """Hits the database once to see whether the table changed, rebuilding if it did."""
        stats = self.model.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
        version = (stats["n"], stats["latest"])
        if version != self.version:
            self.rebuild()
            self.version = version
        return self

    def rebuild(self) -> None:
        raise NotImplementedError
