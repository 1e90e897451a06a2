from events.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an ACLED CSV export (upper- or lower-case headers, dates as ISO or 15-Jan-22), "
        "or Atlas's own CSV export. A second run updates changed rows and never duplicates."
    )
    layout = "acled"
