from pathlib import Path

from django.core.management.base import BaseCommand

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

    def handle(self, *args, gold: str, errors: bool, **options):
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
