from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.pipeline.corpus import SPLITS
from events.pipeline.corpus_eval import CorpusMismatch, corpus_evaluate
from events.pipeline.evaluate import GOLD_PATH, extraction_evaluate, gold_load


class Command(BaseCommand):
    help = (
        "Score extraction against the hand-annotated gold file: precision, recall and F1 for "
        "places, actors, dates, event types and whole events. Needs the gazetteer and the "
        "actors loaded (make setup); writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gold", default=str(GOLD_PATH), help="The gold file (JSON).")
        parser.add_argument(
            "--errors", action="store_true", help="List every miss and every extra."
        )
        parser.add_argument(
            "--corpus",
            type=Path,
            help="A folder of rebuilt reports (var/corpus/dev): score on it, with --gold an "
            "annotation file of fixtures/gold/corpus/ (JSON Lines) or that folder (all of its "
            "adjudicated gold.*.jsonl files).",
        )
        parser.add_argument("--split", choices=sorted(SPLITS), help="dev (001-100), test (101-150)")
        parser.add_argument(
            "--against",
            type=Path,
            help="Score this annotation file against --gold instead of Atlas's extraction "
            "(the agreement between two annotators).",
        )

    def handle(self, *args, gold: str, errors: bool, **options):
        if options["corpus"]:
            return self.corpus(
                Path(gold), options["corpus"], options["split"], options["against"], errors
            )
        reports = gold_load(Path(gold))
        scores = extraction_evaluate(reports)
        self.stdout.write(f"{len(reports)} reports, {gold}")
        self.stdout.write(f"{'':8} precision recall     F1   tp   fp   fn")
        for name, s in scores.items():
            figures = f"{s.precision:9.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:4} {s.fp:4} {s.fn:4}"
            self.stdout.write(f"{name:8} {figures}")
        if errors:
            for name, s in scores.items():
                for miss in s.misses:
                    self.stdout.write(f"  missed {name} {miss}")
                for extra in s.extras:
                    self.stdout.write(f"  extra  {name} {extra}")

    def corpus(self, gold: Path, folder: Path, split, against, errors: bool) -> None:
        if gold == GOLD_PATH:
            raise CommandError("--corpus needs --gold, an annotation file of fixtures/gold/corpus/")
        try:
            scores = corpus_evaluate(folder, gold, split, against)
        except CorpusMismatch as error:
            raise CommandError(f"the texts are not the annotated ones:\n{error}") from None
        what = (
            f"{against.name} against {gold.name}" if against else f"extraction against {gold.name}"
        )
        self.stdout.write(f"{scores.reports} reports ({split or 'all'}), {what}")
        self.stdout.write(
            f"events   precision {scores.precision:.2f} recall {scores.recall:.2f} "
            f"F1 {scores.f1:.2f}  (tp {scores.tp}, fp {scores.fp}, fn {scores.fn})"
        )
        self.stdout.write(
            f"candidates per true event {scores.per_report:.2f} "
            f"({scores.predicted} for {scores.gold})"
        )
        for name, field_score in scores.fields.items():
            right, total = field_score.right, field_score.total
            self.stdout.write(f"{name:12} right {field_score.rate:.2f} ({right} of {total})")
        for floor, (right, proposed) in scores.bands.items():
            if proposed:
                self.stdout.write(
                    f"confidence >= {floor:.1f}: precision {right / proposed:.2f} "
                    f"({right} of {proposed} candidates)"
                )
        self.stdout.write("errors by cause:")
        for cause, count in scores.causes.most_common():
            self.stdout.write(f"  {count:4}  {cause}")
        if errors:
            for miss in scores.misses:
                self.stdout.write(f"  {miss}")
            for extra in scores.extras:
                self.stdout.write(f"  {extra}")
            for name, field_score in scores.fields.items():
                for wrong in field_score.wrong:
                    self.stdout.write(f"  wrong {name}: {wrong}")
