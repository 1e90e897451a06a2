"""The corpus evaluator and the annotation tools, on a small corpus written here (CI cannot
rebuild the real reports: their texts are never committed)."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from events.pipeline.corpus import SPLITS, body_hash, corpus_reports
from events.pipeline.corpus_eval import CorpusMismatch, corpus_evaluate
from tests.base import AtlasTestCase

REPORTS = {
    # file: (published, body)
    "007.txt": (
        "2024-03-08",
        "Gunmen kill SDF fighter in Hajin\n\nUnknown gunmen shot dead a member of the SDF in "
        "the town of Hajin in the eastern Deir ez-Zor countryside on Thursday. No other "
        "clashes were reported.",
    ),
    "120.txt": (
        "2023-12-29",
        "Strike near Al-Bukamal\n\nAn unidentified drone struck a truck of the IRGC near "
        "Al-Bukamal on Friday, killing three militiamen.",
    ),
}


def span(body: str, words: str) -> list[int]:
    start = body.index(words)
    return [start, start + len(words)]


def gold_events() -> dict[str, list[dict]]:
    hajin = REPORTS["007.txt"][1]
    bukamal = REPORTS["120.txt"][1]
    return {
        "007.txt": [
            {
                "event_type": "violence_against_civilians",
                "sub_event_type": "attack",
                "date_start": "2024-03-07",
                "date_end": "2024-03-07",
                "date_precision": 1,
                "place_text": "Hajin",
                "place": "hajin",
                "location_precision": 1,
                "actors": {"actor1": ["unidentified-armed-group"], "actor2": ["sdf"]},
                "deaths": {"best": 1, "low": 1, "high": None},
                "evidence": [span(hajin, "Unknown gunmen shot dead")],
            }
        ],
        "120.txt": [
            {
                "event_type": "explosions",
                "sub_event_type": "air_drone_strike",
                "date_start": "2023-12-29",
                "date_end": "2023-12-29",
                "date_precision": 1,
                "place_text": "Al-Bukamal",
                "place": "abu-kamal",
                "location_precision": 2,
                "actors": {"actor1": ["unidentified-armed-group"], "actor2": ["irgc"]},
                "deaths": {"best": 3, "low": 3, "high": None},
                "evidence": [span(bukamal, "An unidentified drone struck")],
            }
        ],
    }


class CorpusEvaluationTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.corpus = self.folder / "corpus"
        self.corpus.mkdir()
        for name, (published, body) in REPORTS.items():
            header = f"URL: https://example.org/{name}\nTITLE: t\nSOURCE: s\nPUBLISHED: {published}"
            (self.corpus / name).write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        self.gold = self.write("gold.jsonl", gold_events())

    def write(self, name: str, events: dict[str, list[dict]]) -> Path:
        path = self.folder / name
        lines = [
            json.dumps({"file": f, "body_sha256": body_hash(REPORTS[f][1]), "events": e})
            for f, e in events.items()
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def test_two_identical_annotations_agree_fully(self):
        scores = corpus_evaluate(self.corpus, self.gold, None, against=self.gold)
        self.assertEqual((scores.tp, scores.fp, scores.fn), (2, 0, 0))
        self.assertEqual({name: f.rate for name, f in scores.fields.items()}, dict.fromkeys(
            ("place", "actor slots", "date window", "deaths", "sub-type"), 1.0))  # fmt: skip

    def test_a_differing_annotation_is_scored_field_by_field(self):
        other = gold_events()
        other["007.txt"][0]["date_start"] = other["007.txt"][0]["date_end"] = "2024-03-01"
        other["120.txt"][0]["deaths"] = {"best": 2}
        other["120.txt"][0]["actors"]["actor2"] = ["iran-backed-militias"]
        other["120.txt"].append(dict(other["120.txt"][0], event_type="battles"))
        scores = corpus_evaluate(self.corpus, self.gold, None, against=self.write("b.jsonl", other))
        # The Hajin event's window no longer overlaps: a miss and an extra.
        self.assertEqual((scores.tp, scores.fp, scores.fn), (1, 2, 1))
        self.assertEqual(scores.fields["deaths"].rate, 0.0)
        self.assertEqual(scores.fields["actor slots"].right, 1)  # actor1 right, actor2 not
        self.assertAlmostEqual(scores.per_report, 1.5)

    def test_extraction_is_scored_on_the_split_named(self):
        self.assertEqual((SPLITS["test"].start, SPLITS["test"].stop), (101, 151))
        self.assertEqual([r.file for r in corpus_reports(self.corpus, "test")], ["120.txt"])
        scores = corpus_evaluate(self.corpus, self.gold, "dev")
        self.assertEqual(scores.reports, 1)
        self.assertEqual(scores.gold, 1)
        self.assertEqual(scores.tp, 1, scores.misses + scores.extras)
        self.assertEqual(scores.fields["place"].rate, 1.0)
        # Every candidate has a confidence: the lowest band holds them all, the right ones too.
        self.assertEqual(scores.bands[0.0], [scores.tp, scores.predicted])

    def test_a_folder_of_annotation_files_is_scored_as_one(self):
        pooled = self.folder / "pooled"
        pooled.mkdir()
        events = gold_events()
        for name in events:  # one adjudicated file per report, and a second annotator's beside
            self.write(f"pooled/gold.{name[:3]}.jsonl", {name: events[name]})
        self.write("pooled/b.007.jsonl", {"007.txt": []})
        out = StringIO()
        call_command("evaluate_extraction", corpus=self.corpus, gold=str(pooled), stdout=out)
        self.assertIn("2 reports (all), extraction against pooled", out.getvalue())
        self.assertEqual(corpus_evaluate(self.corpus, pooled, "test").gold, 1)

    def test_a_text_that_is_not_the_annotated_one_is_refused_by_name(self):
        path = self.corpus / "120.txt"
        path.write_text(path.read_text().replace("three", "four"), encoding="utf-8")
        with self.assertRaisesMessage(CorpusMismatch, "120.txt: the text differs"):
            corpus_evaluate(self.corpus, self.gold, None)
        with self.assertRaisesMessage(CommandError, "120.txt: the text differs"):
            call_command(
                "evaluate_extraction", corpus=self.corpus, gold=str(self.gold), stdout=StringIO()
            )

    def test_the_annotation_tools(self):
        out = StringIO()
        call_command("corpus", "span", "007.txt", "Hajin", dir=self.corpus, stdout=out)
        body = REPORTS["007.txt"][1]
        self.assertIn(f"[{body.index('Hajin')}, {body.index('Hajin') + 5}]", out.getvalue())
        out = StringIO()
        # With Django's system checks on, as `manage.py corpus` runs them.
        call_command("corpus", "hash", "120.txt", dir=self.corpus, stdout=out, skip_checks=False)
        self.assertEqual(out.getvalue().strip(), body_hash(REPORTS["120.txt"][1]))
        broken = gold_events()
        broken["007.txt"][0]["evidence"] = [[10, 99999]]
        broken["007.txt"][0]["sub_event_type"] = "picnic"
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "2 problems"):
            call_command(
                "corpus", "check", str(self.write("x.jsonl", broken)), dir=self.corpus, stdout=out
            )
        self.assertIn("007.txt event 1: evidence [10, 99999] is outside the body", out.getvalue())
        self.assertIn("sub_event_type 'picnic' unknown", out.getvalue())

    def test_a_note_may_not_copy_the_report_and_clean_turns_it_into_offsets(self):
        body = REPORTS["007.txt"][1]
        events = gold_events()
        copied = "shot dead a member of the SDF in the town of Hajin"
        events["007.txt"][0]["note"] = f"Victim: '{copied}', off duty."
        path = self.write("n.jsonl", events)
        with self.assertRaisesMessage(CommandError, "1 problems"):
            call_command("corpus", "check", str(path), dir=self.corpus, stdout=StringIO())
        call_command("corpus", "clean", str(path), dir=self.corpus, stdout=StringIO())
        note = json.loads(path.read_text().splitlines()[0])["events"][0]["note"]
        at = body.index(copied)
        self.assertEqual(note, f"Victim: '[body {at}:{at + len(copied)}]', off duty.")
        call_command("corpus", "check", str(path), dir=self.corpus, stdout=StringIO())


class ErrorCauseTests(AtlasTestCase):
    """Each error of the corpus evaluation says why it is one."""

    def record(self, sub, place, spans, actors=("sdf",), event_type="battles"):
        from events.pipeline.scoring import Record

        return Record(
            event_type=event_type, sub_event_type=sub, date_start=None, date_end=None,
            place=place, place_text=place, point=None, location_precision=1,
            actors={"actor1": frozenset(actors)}, deaths=None, label=place, spans=spans,
        )  # fmt: skip

    def test_it_names_the_cause_of_each_miss_and_extra(self):
        from events.pipeline.scoring import EventScores, score_report

        gold = [
            self.record("armed_clash", "hajin", ((0, 50),)),
            self.record("armed_clash", "diban", ((60, 90),)),
            self.record("armed_clash", "hajin", ((200, 250),), event_type="explosions"),
        ]
        found = [
            self.record("armed_clash", "hajin", ((0, 50),)),  # right
            self.record("armed_clash", "hajin", ((10, 40),)),  # the same sentence again
            self.record("armed_clash", "al-busayrah", ((60, 90),)),  # the place is wrong
            self.record("armed_clash", "hajin", ((120, 150),)),  # background
        ]
        scores = EventScores()
        score_report(scores, found, gold, {})
        self.assertEqual(
            dict(scores.causes),
            {
                "extra: restates an event already found": 1,
                "extra: place wrong": 1,
                "extra: its sentences report no annotated event": 1,
                "missed: proposed with another place": 1,
                "missed: nothing proposed from its sentences": 1,
            },
        )
        self.assertTrue(all(m.startswith("[missed: ") for m in scores.misses))
