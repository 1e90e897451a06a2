from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from events.importers.backup import database_backup


class Command(BaseCommand):
    help = (
        "Write every row Atlas keeps (events, reports, actors, places, users and groups, the "
        "history) to a compressed JSON dump that `restore` loads into any new database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The file (default: var/backups/atlas-YYYYMMDD-HHMMSS.json.gz).",
        )

    def handle(self, *args, output: Path | None, **options):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = output or Path(settings.BASE_DIR) / "var" / "backups" / f"atlas-{stamp}.json.gz"
        database_backup(path)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
        )
