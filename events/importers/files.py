"""A dataset file imported whole: what `import_acled` / `import_ucdp` and an upload in the
admin (events/importers/jobs.py) share: the file's checks, its rows, the import, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

from events.importers.datasets import (
    EventRow,
    FileError,
    ImportResult,
    acled_row,
    csv_rows,
    events_import,
    ucdp_row,
)

# The dataset -> how its rows are read, and the columns a file of it must have.
LAYOUTS: dict[str, tuple[Callable[[dict], EventRow], list[str]]] = {
    "acled": (
        acled_row,
        ["event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude"],
    ),
    "ucdp": (
        ucdp_row,
        ["type_of_violence", "side_a", "date_start", "date_end", "latitude", "longitude"],
    ),
}


def file_lines(path: Path) -> int:
    """How many rows the file has at most (its lines but the header): the progress's total."""
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 1)


def file_import(
    path: Path,
    layout: str,
    *,
    dataset: str | None = None,
    status: str,
    comment: str,
    user=None,
    refuse_outside: bool = False,
    progress: Callable[[Iterator], Iterator] = lambda rows: rows,
) -> ImportResult:
    """Import a dataset's CSV file. Raises FileError (before anything is written) when it has
    no rows, no header or not the dataset's columns. `progress` wraps the rows as they are
    read (a progress bar, a job's counter)."""
    convert, required = LAYOUTS[layout]
    rows = csv_rows(path)
    first = next(rows, None)  # FileError, OSError: the header
    if first is None:
        raise FileError("no rows")
    missing = [c for c in required if c not in first[1]]
    if missing:
        raise FileError(f"not a {layout.upper()} file: missing column(s) {', '.join(missing)}")
    return events_import(
        progress(chain([first], rows)),
        convert,
        dataset or layout,
        status,
        user=user,
        comment=comment,
        refuse_outside=refuse_outside,
    )
