import multiprocessing
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DataError, IntegrityError, connections
from tqdm import tqdm

from events.db import WriterPause
from events.gazetteer.geocoder import place_index
from events.pipeline.actors import actor_lexicon
from events.pipeline.extract import ExtractResult
from events.pipeline.ingest import InputError, inputs_read, item_candidates, report_ingest


class Command(BaseCommand):
    help = (
        "Read reports and propose their events for editors. PATH is a text file (optional "
        "URL:, TITLE:, SOURCE:, PUBLISHED: header lines, a blank line, then the body), a "
        "folder of them, a JSON Lines file (url, title, source, published, text) or - for "
        "standard input. The same text twice is one report; ingesting again re-runs "
        "extraction without duplicating candidates or touching what editors changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--source", default="", help="The outlet, for reports that do not name one."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Processes that find candidates side by side (0: one per core); this one "
            "saves them in order.",
        )

    def handle(self, *args, paths: list[str], source: str, jobs: int, **options):
        items = list(inputs_read(paths, stdin=sys.stdin))
        jobs = jobs if jobs > 0 else os.cpu_count() or 1
        ahead = candidates_ahead(items, jobs) if jobs > 1 and len(items) > 1 else None
        counts = dict.fromkeys(["created", "updated", "skipped", "failed"], 0)
        events = ExtractResult()
        failures: list[str] = []
        bar = tqdm(items, unit="report", disable=None, file=sys.stderr, leave=False)
        pause = WriterPause()
        for item in bar:
            precomputed = next(ahead) if ahead is not None else None
            pause.tick()
            if isinstance(item, InputError):
                counts["failed"] += 1
                failures.append(str(item))
                continue
            try:
                result = report_ingest(item, source_name=source, precomputed=precomputed)
            except InputError as error:
                counts["failed"] += 1
                failures.append(str(error))
                continue
            except ValidationError as error:
                counts["failed"] += 1
                failures.append(f"{item.origin}: {'; '.join(error.messages)}")
                continue
            except (DataError, IntegrityError) as error:  # rolled back; the rest goes on
                counts["failed"] += 1
                failures.append(f"{item.origin}: the database refused it ({error})")
                continue
            counts[result.status] += 1
            for name in ("created", "updated", "unchanged", "kept", "removed"):
                setattr(events, name, getattr(events, name) + getattr(result.extraction, name))
        if ahead is not None:
            ahead.close()  # the worker processes end here
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        style = self.style.SUCCESS if not counts["failed"] else self.style.WARNING
        self.stdout.write(style(f"Reports: {summary}."))
        self.stdout.write(f"Candidate events: {events}.")
        for failure in failures:
            self.stdout.write(self.style.ERROR(f"  failed: {failure}"))


_inherited = []  # the parent's database connections, never used nor closed in a child


def _child_start() -> None:
    """In a forked process: forget the parent's connections (closing them would end the
    parent's sessions); a query opens the child's own."""
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None


def _ahead(item):
    return None if isinstance(item, InputError) else item_candidates(item)


def candidates_ahead(items: list, jobs: int):
    """Each item's candidates, found by `jobs` forked processes, in the items' order. The
    indexes are built first so every process starts with them (copy on write)."""
    place_index()
    actor_lexicon()
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_child_start)
    try:
        yield from pool.imap(_ahead, items, chunksize=4)
    finally:
        pool.terminate()
