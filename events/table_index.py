"""In-memory indexes over a table that follow edits made anywhere (admin, imports, shell).

The gazetteer, its units and the actor lexicon are read on every extraction and geocode;
rebuilding them each time would cost a full table read, and caching them forever would ignore
an alias an editor has just added. So each index checks the table's count and max(updated_at)
and rebuilds only when that changed. It checks:

- at once after a save or a delete in this process (signals), and after a bulk load that says
  so (`indexes_invalidate`);
- otherwise at most once every ATLAS_INDEX_RECHECK_SECONDS (1 s): a change another process
  made (another gunicorn worker's admin save, an import command) is seen within a second, and
  a lookup costs no query at all (on PostgreSQL the check alone took 5 ms, ten lookups' worth).
"""

from __future__ import annotations

import time
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

_indexes: list[TableIndex] = []


class TableIndex:
    """Subclasses name their `model` (which has `updated_at`) and fill themselves in `rebuild`."""

    model: ClassVar[type[models.Model]]

    def __init__(self) -> None:
        self.version: tuple | None = None
        self.checked_at = float("-inf")
        _indexes.append(self)
        for signal in (post_save, post_delete):
            signal.connect(self._changed, sender=self.model, weak=False)

    def current(self) -> Self:
        """This index, rebuilt first if the table changed since it was built."""
        if time.monotonic() - self.checked_at < settings.ATLAS_INDEX_RECHECK_SECONDS:
            return self
        # Two small queries, apart: each reads an index, where one aggregate reads the table.
        rows = self.watched()
        version = (rows.count(), rows.aggregate(latest=Max("updated_at"))["latest"])
        if version != self.version:
            self.rebuild()
            self.version = version
        self.checked_at = time.monotonic()  # after a rebuild, which may take seconds
        return self

    def invalidate(self) -> None:
        """Check the table at the next use (not a rebuild unless it changed)."""
        self.checked_at = float("-inf")

    def _changed(self, **kwargs) -> None:
        self.invalidate()

    def watched(self) -> models.QuerySet:
        """The rows whose change calls for a rebuild (all of them unless a subclass says)."""
        return self.model.objects.all()

    def rebuild(self) -> None:
        raise NotImplementedError


def indexes_invalidate() -> None:
    """After a write that sends no signals (bulk_create, update, a rolled-back transaction):
    every index checks its table at its next use."""
    for index in _indexes:
        index.invalidate()
