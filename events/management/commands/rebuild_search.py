from django.core.management.base import BaseCommand

from events.search import search_rebuild


class Command(BaseCommand):
    help = (
        "Write every event's search document again and rebuild the full-text index "
        "(events/search.py). Safe to stop and run again."
    )

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        written = search_rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Search documents written: {written}."))
