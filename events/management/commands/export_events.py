import sys
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError

from events.api import serializers
from events.api.forms import LAYOUTS, EventFilterForm

# The map's filters, as the API names them (events/forms.py).
FILTERS = {
    "start": "Earliest date, YYYY-MM-DD.",
    "end": "Latest date, YYYY-MM-DD.",
    "actor": "Actor slugs, comma-separated (a force includes its units).",
    "type": "ACLED event types, comma-separated (battles, explosions, ...).",
    "subtype": "ACLED sub-event types, comma-separated.",
    "governorate": "A governorate: its P-code or any spelling ('Deir ez-Zor', 'Dayr az Zawr').",
    "district": "A district: its P-code or any spelling ('Al Mayadin', SY0903).",
    "subdistrict": "A subdistrict: its P-code or any spelling ('Hajin', SY090201).",
    "bbox": "west,south,east,north in degrees.",
    "q": "Words in the title or description.",
}


class Command(BaseCommand):
    help = (
        "Export the published events as CSV (ACLED's column names where ACLED has the field, or "
        "a dataset's own layout with --layout) or GeoJSON, with the map's filters. The same as "
        "/api/events?format=csv|geojson[&layout=acled|ucdp]."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "geojson"], default="csv")
        parser.add_argument(
            "--layout",
            choices=LAYOUTS,
            default="atlas",
            help="A CSV's columns: atlas (ACLED's names where ACLED has the field, then Atlas's "
            "own), acled or ucdp (the dataset's layout: each event imported from it gives back "
            "its row as the file wrote it).",
        )
        parser.add_argument("--output", "-o", type=Path, help="A file (default: stdout).")
        for name, text in FILTERS.items():
            parser.add_argument(f"--{name}", help=text)

    def handle(self, *args, format: str, layout: str, output: Path | None, **options):
        if format != "csv" and layout != "atlas":
            raise CommandError("--layout is a CSV's columns: use it with --format csv")
        params = {name: options[name] for name in FILTERS if options.get(name) is not None}
        form = EventFilterForm(params)
        if not form.is_valid():
            problems = "; ".join(
                f"--{name}: {' '.join(messages)}"
                for name, messages in form.errors_by_parameter().items()
            )
            raise CommandError(f"invalid filters: {problems}")
        events = form.events()
        output = Path(output) if output else None
        handle = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
        try:
            if format == "csv":
                for chunk in serializers.events_csv(events, layout):
                    handle.write(chunk)
            else:
                body = orjson.dumps(serializers.events_geojson(events), option=orjson.OPT_INDENT_2)
                handle.write(body.decode())
                handle.write("\n")
        finally:
            if output:
                handle.close()
        if output:
            self.stderr.write(f"Wrote {events.count()} events to {output}.")
