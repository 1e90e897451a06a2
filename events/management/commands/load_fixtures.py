from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from events.models import Event, Place
from events.serializers import database_analyze

# In dependency order. Every object has a natural key, so loading again updates, never doubles.
FIXTURES = ["places", "actors", "seed"]


class Command(BaseCommand):
    help = "Load the gazetteer, the actors and the curated seed reports and events."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds places or events (used by "
            "`make run`, so restarting never overwrites what editors changed).",
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and (Place.objects.exists() or Event.objects.exists()):
            self.stdout.write("Data already loaded; leaving it as it is.")
            return
        with transaction.atomic():
            call_command("loaddata", *FIXTURES, verbosity=0)
        database_analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {Place.objects.count()} places and "
                f"{Event.objects.published().count()} published events."
            )
        )
