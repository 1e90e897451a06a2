"""Database helpers shared by the long-running writers (imports, ingest)."""

from __future__ import annotations

import time

from django.db import connection

# SQLite's busy handler polls for the lock every 100 ms at most. A writer that commits and
# begins again at once can keep the lock for minutes while a login or an editor's save waits
# (seen: 31 s during a 3,000-row import). Pausing a little longer than one poll, about once a
# second, lets every waiting writer in; PostgreSQL locks rows and needs no pause.
PAUSE_EVERY = 1.0  # seconds of work
PAUSE_FOR = 0.12  # seconds


class WriterPause:
    """Call `tick()` between transactions of a long write: on SQLite, about once a second of
    work it sleeps long enough for waiting writers to take their turn."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def tick(self) -> None:
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return
        now = time.monotonic()
        if now - self.last >= PAUSE_EVERY:
            time.sleep(PAUSE_FOR)
            self.last = time.monotonic()
