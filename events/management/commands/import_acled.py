from events.importers.datasets import acled_row
from events.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an ACLED CSV export (upper- or lower-case headers, dates as ISO or 15-Jan-22), "
        "or Atlas's own CSV export. A second run updates changed rows and never duplicates."
    )
    dataset = "acled"
    required = ["event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude"]
    convert = staticmethod(acled_row)
