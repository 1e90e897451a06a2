from django.core.management.base import BaseCommand

from events.curation.duplicates import duplicates_find
from events.models import OWN_DATASETS, Event


class Command(BaseCommand):
    help = (
        "List likely duplicates across datasets (an ACLED and a UCDP record of one incident; "
        "with --within also two records of one dataset), each pair once, best first, with the "
        "reasons the admin's review page gives. Writes nothing: an editor merges in the admin, "
        "and the merged record keeps its dataset's row."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset", help="Only events of this dataset (default: all imported)."
        )
        parser.add_argument(
            "--min-score", type=float, default=0.75, help="Leave out weaker matches (0-1)."
        )
        parser.add_argument(
            "--within",
            action="store_true",
            help="Also pairs of one dataset (two ACLED files with different ids for one "
            "incident); a dataset's own records are distinct incidents by default.",
        )

    def handle(self, *args, dataset: str | None, min_score: float, within: bool, **options):
        events = Event.objects.filter(
            status__in=[Event.Status.IN_REVIEW, Event.Status.PUBLISHED]
        ).exclude(dataset__in=OWN_DATASETS)
        if dataset:
            events = events.filter(dataset=dataset)
        pairs: dict[tuple[int, int], tuple] = {}
        for event in events.order_by("date_start", "pk").iterator():
            for found in duplicates_find(event, limit=10):
                other = found.event
                if other.dataset in OWN_DATASETS or found.score < min_score:
                    continue
                if other.dataset == event.dataset and not within:
                    continue
                key = (min(event.pk, other.pk), max(event.pk, other.pk))
                pairs.setdefault(key, (found.score, event, other, found.reasons))
        for score, event, other, reasons in sorted(pairs.values(), key=lambda p: -p[0]):
            self.stdout.write(
                f"{score:.2f}  {event.dataset.upper()} {event.import_ref} (#{event.pk}) ~ "
                f"{other.dataset.upper()} {other.import_ref} (#{other.pk}): {'; '.join(reasons)}"
            )
        self.stdout.write(f"{len(pairs)} likely duplicate pairs.")
