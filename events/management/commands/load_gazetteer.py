from django.core.management.base import BaseCommand

from events.gazetteer.load import gazetteer_load


class Command(BaseCommand):
    help = (
        "Load the built gazetteer (fixtures/places.json.gz): add new places, complete existing "
        "ones without overwriting editors' changes, and link every place and event to its "
        "governorate, district and subdistrict. Safe to run again."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"Gazetteer: {gazetteer_load()}."))
