import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.pipeline.corpus import (
    annotation_notes,
    annotation_problems,
    annotations_load,
    note_clean,
    report_read,
)

DEFAULT_DIR = Path("var/corpus/dev")


class Command(BaseCommand):
    help = (
        "Tools for annotating the development corpus (fixtures/gold/corpus/GUIDELINES.md): "
        '`hash NNN.txt` prints the body\'s SHA-256, `span NNN.txt "words"` the offsets of '
        "each occurrence in the body, `check FILE.jsonl` what is wrong with an annotation file, "
        "`clean FILE.jsonl` turns text a note copied from a report into its offsets."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["hash", "span", "check", "clean"])
        parser.add_argument("target", help="A report (NNN.txt) or an annotation file (.jsonl).")
        parser.add_argument("words", nargs="?", default="")
        parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="The rebuilt reports.")

    def handle(self, *args, action: str, target: str, words: str, dir: Path, **options):
        if action == "check":
            return self.check_file(Path(target), dir)
        if action == "clean":
            return self.clean_file(Path(target), dir)
        path = Path(target) if Path(target).exists() else dir / target
        if not path.is_file():
            raise CommandError(f"{path}: no such report")
        report = report_read(path)
        if action == "hash":
            self.stdout.write(report.body_sha256)
            return
        if not words:
            raise CommandError("span needs the words to find")
        start = report.body.find(words)
        if start < 0:
            raise CommandError(f"{words!r} is not in the body of {path.name}")
        while start >= 0:
            self.stdout.write(f"[{start}, {start + len(words)}]")
            start = report.body.find(words, start + 1)

    def check_file(self, path: Path, folder: Path) -> None:
        try:
            annotations = annotations_load(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        problems = []
        for name, annotation in sorted(annotations.items()):
            report_path = folder / name
            if not report_path.is_file():
                problems.append(f"{name}: not rebuilt in {folder}")
                continue
            problems += annotation_problems(annotation, report_read(report_path))
        for problem in problems:
            self.stdout.write(problem)
        events = sum(len(a.get("events", [])) for a in annotations.values())
        self.stdout.write(f"{len(annotations)} reports, {events} events, {len(problems)} problems.")
        if problems:
            raise CommandError(f"{len(problems)} problems in {path}")

    def clean_file(self, path: Path, folder: Path) -> None:
        annotations = annotations_load(path)
        cleaned = 0
        for name, annotation in annotations.items():
            report_path = folder / name
            if not report_path.is_file():
                continue
            body = report_read(report_path).body
            for holder, key in annotation_notes(annotation):
                clean = note_clean(holder[key], body)
                cleaned += clean != holder[key]
                holder[key] = clean
        lines = [json.dumps(a, ensure_ascii=False) for a in annotations.values()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(f"{path}: {cleaned} notes no longer copy a report's text.")
