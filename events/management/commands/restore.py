from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.importers.backup import BackupError, database_restore
from events.models import Event


class Command(BaseCommand):
    help = (
        "Load a dump written by `backup` into this database: a new, migrated one (or, with "
        "--replace, this one after erasing it). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Erase everything in this database first.",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            database_restore(file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {file}: {Event.objects.count()} events."))
