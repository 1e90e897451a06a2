"""What import_ucdp and import_acled share: arguments, progress, the report at the end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.importers.datasets import FileError
from events.importers.files import file_import, file_lines
from events.models import Event

ERRORS_SHOWN = 50


class ImportCommand(BaseCommand):
    layout: str  # "acled" or "ucdp": events/importers/files.py

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
            default=self.layout,
            help=f"The dataset name events are filed under (default: {self.layout}).",
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
        started = time.perf_counter()

        def progress(rows):
            quiet = not sys.stderr.isatty() or options["verbosity"] == 0
            return tqdm(rows, total=file_lines(file), unit="row", disable=quiet)

        try:
            result = file_import(
                file,
                self.layout,
                dataset=dataset,
                status=status,
                comment=f"import_{self.layout} {file.name}",
                refuse_outside=refuse_outside,
                progress=progress,
            )
        except (FileError, OSError) as error:
            raise CommandError(f"{file}: {error}") from None
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
