import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DataError, IntegrityError
from tqdm import tqdm

from events.db import WriterPause
from events.pipeline.extract import ExtractResult
from events.pipeline.ingest import InputError, inputs_read, report_ingest


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

    def handle(self, *args, paths: list[str], source: str, **options):
        items = list(inputs_read(paths, stdin=sys.stdin))
        counts = dict.fromkeys(["created", "updated", "skipped", "failed"], 0)
        events = ExtractResult()
        failures: list[str] = []
        bar = tqdm(items, unit="report", disable=None, file=sys.stderr, leave=False)
        pause = WriterPause()
        for item in bar:
            pause.tick()
            if isinstance(item, InputError):
                counts["failed"] += 1
                failures.append(str(item))
                continue
            try:
                result = report_ingest(item, source_name=source)
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
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        style = self.style.SUCCESS if not counts["failed"] else self.style.WARNING
        self.stdout.write(style(f"Reports: {summary}."))
        self.stdout.write(f"Candidate events: {events}.")
        for failure in failures:
            self.stdout.write(self.style.ERROR(f"  failed: {failure}"))
