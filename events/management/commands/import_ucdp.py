from events.importers.datasets import ucdp_row
from events.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a UCDP GED CSV file (the full column set, or a file with some columns missing). "
        "A second run updates changed rows and never duplicates."
    )
    dataset = "ucdp"
    required = ["type_of_violence", "side_a", "date_start", "date_end", "latitude", "longitude"]
    convert = staticmethod(ucdp_row)
