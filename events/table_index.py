"""In-memory indexes over a table that follow edits made anywhere (admin, imports, shell).

The gazetteer and the actor lexicon are read on every extraction and geocode; rebuilding them
each time would cost a full table read, and caching them forever would ignore an alias an
editor has just added. So each index checks count and max(updated_at) and rebuilds only when
that changed.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.db.models import Max


class TableIndex:
    """Subclasses name their `model` (which has `updated_at`) and fill themselves in `rebuild`."""

    model: ClassVar[type[models.Model]]

    def __init__(self) -> None:
        self.version: tuple | None = None

    def current(self) -> Self:
        """Two small queries to see whether the table changed, rebuilding if it did. Apart, not
        in one aggregate: each then reads an index (under a millisecond for the 16,500
        places, where together they read the table)."""
        rows = self.watched()
        version = (rows.count(), rows.aggregate(latest=Max("updated_at"))["latest"])
        if version != self.version:
            self.rebuild()
            self.version = version
        return self

    def watched(self) -> models.QuerySet:
        """The rows whose change calls for a rebuild (all of them unless a subclass says)."""
        return self.model.objects.all()

    def rebuild(self) -> None:
        raise NotImplementedError
