from django.core.management.base import BaseCommand

from events.gazetteer.geocoder import places_search
from events.gazetteer.units import unit_find, unit_get


class Command(BaseCommand):
    help = (
        "Find places of the gazetteer by any spelling (Latin or Arabic), with their slug, kind, "
        "governorate, district, subdistrict and coordinates: for editors and annotators."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--in", dest="within", default="", help="A governorate or district.")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, name: str, within: str, limit: int, **options):
        unit = unit_find(within) if within else None
        if within and unit is None:
            self.stderr.write(f"No governorate, district or subdistrict called {within!r}.")
        found = places_search(name, limit=200 if unit else limit)
        if unit is not None:
            found = [e for e in found if unit.pk in (e.pk, *e.unit_ids())]
        if not found:
            self.stdout.write(f"No place called {name!r}.")
        for entry in found[:limit]:
            units = " / ".join(u.name for u in map(unit_get, entry.unit_ids()) if u)
            self.stdout.write(
                f"{entry.slug:40} {entry.kind:14} {entry.country}  {units:50} "
                f"{entry.latitude:.5f},{entry.longitude:.5f}  {entry.name}"
            )
