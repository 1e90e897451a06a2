from events.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a UCDP GED CSV file (the full column set, or a file with some columns missing). "
        "A second run updates changed rows and never duplicates."
    )
    layout = "ucdp"
