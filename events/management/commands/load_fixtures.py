from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from events.api.serializers import database_analyze
from events.gazetteer.load import events_relink, gazetteer_load
from events.models import Event, Place

# After the gazetteer, in dependency order. Every object has a natural key, so loading again
# updates, never doubles.
FIXTURES = ["actors", "seed"]
# A year of real events (UCDP GED, CC BY 4.0), imported like any UCDP file: idempotent.
UCDP_FILE = Path(settings.BASE_DIR) / "fixtures" / "ucdp" / "ucdp_ged_syria_2020.csv"


class Command(BaseCommand):
    help = (
        "Load the gazetteer (fixtures/places.json.gz), the actors, the curated seed reports and "
        "events, and the UCDP "
        "GED events of Syria in 2020."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds places or events (used by "
            "`make run`, so restarting never overwrites what editors changed).",
        )
        parser.add_argument(
            "--without-ucdp", action="store_true", help="Leave out the UCDP events."
        )

    def handle(self, *args, if_empty: bool, without_ucdp: bool, **options):
        if if_empty and (Place.objects.exists() or Event.objects.exists()):
            self.stdout.write("Data already loaded; leaving it as it is.")
            return
        self.stdout.write(f"Gazetteer: {gazetteer_load()}.")
        with transaction.atomic():
            call_command("loaddata", *FIXTURES, verbosity=0)
            events_relink()  # loaddata saves raw: the seed events get their units here
        if not without_ucdp:
            self.stdout.write(f"Importing {UCDP_FILE.name} (UCDP GED, CC BY 4.0) ...")
            # Its 15 known warnings (fixtures/ucdp/README.md) are not repeated on every setup.
            call_command(
                "import_ucdp", str(UCDP_FILE), stdout=self.stdout, stderr=self.stderr, verbosity=0
            )
        database_analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {Place.objects.count()} places and "
                f"{Event.objects.published().count()} published events."
            )
        )
