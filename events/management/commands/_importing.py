"""What import_ucdp and import_acled share: arguments, progress, the report at the end."""

from __future__ import annotations

import sys
import time
from itertools import chain
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.importers.datasets import EventRow, FileError, csv_rows, events_import
from events.models import Event

ERRORS_SHOWN = 50


class ImportCommand(BaseCommand):
    dataset: str
    required: list[str]

    @staticmethod
    def convert(cells: dict) -> EventRow:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--status",
            default=Event.Status.PUBLISHED,
            choices=[s for s in Event.Status.values if s != Event.Status.MERGED],
            help="The status of new events (default: published: the dataset is curated).",
        )
        parser.add_argument(
            "--dataset",
            default=self.dataset,
            help=f"The dataset name events are filed under (default: {self.dataset}).",
        )
        parser.add_argument(
            "--refuse-outside",
            action="store_true",
            help="Refuse, each with its line, rows of countries the gazetteer does not hold "
            "(by default they are imported in their own country, in no governorate).",
        )

    def handle(self, *args, file: Path, status: str, dataset: str, refuse_outside: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        rows = csv_rows(file)
        try:
            first = next(rows, None)
        except (FileError, OSError) as error:
            raise CommandError(f"{file}: {error}") from None
        if first is None:
            raise CommandError(f"{file}: no rows")
        missing = [c for c in self.required if c not in first[1]]
        if missing:
            raise CommandError(
                f"{file}: not a {self.dataset.upper()} file: missing column(s) {', '.join(missing)}"
            )
        with file.open("rb") as handle:
            total = max(sum(1 for _ in handle) - 1, 1)
        started = time.perf_counter()
        progress = tqdm(
            chain([first], rows),
            total=total,
            unit="row",
            disable=not sys.stderr.isatty() or options["verbosity"] == 0,
        )
        comment = f"import_{self.dataset} {file.name}"
        result = events_import(
            progress, self.convert, dataset, status, comment=comment, refuse_outside=refuse_outside
        )
        seconds = time.perf_counter() - started
        for line, message in result.errors[:ERRORS_SHOWN]:
            self.stderr.write(f"{file}, line {line}: {message}")
        if options["verbosity"] > 0:
            for line, message in result.warnings[:ERRORS_SHOWN]:
                self.stderr.write(f"{file}, line {line}: warning: {message}")
        if len(result.errors) > ERRORS_SHOWN:
            self.stderr.write(f"... and {len(result.errors) - ERRORS_SHOWN} more bad rows")
        rate = result.rows / seconds if seconds else 0
        self.stdout.write(f"{result.summary()} {seconds:.1f} s ({rate:.0f} rows/s).")
