"""From report to candidates: ingest, extraction, evidence, re-runs, edits, bad input, admin."""

import io
import json
import tempfile
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from events.gazetteer.online import place_lookup_online
from events.models import Event, Evidence, Report
from events.pipeline.evaluate import extraction_evaluate, gold_load
from events.pipeline.extract import report_extract
from events.pipeline.ingest import InputError, ReportInput, report_ingest
from tests.base import AtlasTestCase

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
PASTED = "On Tuesday, ISIS cells attacked SDF positions in Hajin, killing two fighters."
SOHR_STYLE = (
    "TITLE: ISIS cells attack regime checkpoint in the Badia\n"
    "SOURCE: Test Observatory\n"
    "PUBLISHED: 2024-03-08\n"
    "URL: https://example.org/reports/1\n"
    "\n"
    "On Tuesday, ISIS cells attacked a checkpoint of regime forces near As Sukhnah in the "
    "eastern desert of Homs, killing three soldiers and wounding five others.\n"
    "Meanwhile, Russian warplanes carried out airstrikes on ISIS positions in the Badia.\n"
)


def seed_texts() -> list[str]:
    return [
        o["fields"]["text"] for o in json.loads(SEED.read_text()) if o["model"] == "events.report"
    ]


def ingest(*paths: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("ingest", *paths, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


class IngestTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        for n, text in enumerate(seed_texts()):
            (self.folder / f"seed_{n}.txt").write_text(text)

    def test_the_seed_reports_yield_candidates_with_their_evidence(self):
        output = ingest(str(self.folder))
        self.assertIn("Reports: 5 created, 0 updated, 0 skipped, 0 failed.", output)
        candidates = Event.objects.filter(dataset="extraction")
        self.assertGreater(candidates.count(), 25)
        self.assertFalse(candidates.exclude(status=Event.Status.EXTRACTED).exists())
        self.assertFalse(Event.objects.published().exists())  # nothing unreviewed is public
        for evidence in Evidence.objects.select_related("report"):
            self.assertEqual(evidence.report.text[evidence.start : evidence.end], evidence.quote)
            self.assertTrue(any(r.startswith("type:") for r in evidence.rules))
        hajin = candidates.filter(place__slug="hajin", event_type="battles")
        self.assertTrue(
            hajin.filter(actors__slug="sdf").filter(actors__slug="islamic-state").exists()
        )

    def test_ingesting_again_duplicates_nothing_and_keeps_what_editors_changed(self):
        ingest(str(self.folder))
        first = set(Event.objects.values_list("pk", flat=True))
        edited = Event.objects.filter(dataset="extraction").first()
        edited.title = "Corrected by an editor"
        edited.edited_at = edited.updated_at
        edited.save()
        output = ingest(str(self.folder))
        self.assertIn("Reports: 0 created, 0 updated, 5 skipped, 0 failed.", output)
        self.assertEqual(set(Event.objects.values_list("pk", flat=True)), first)
        self.assertEqual(Report.objects.count(), 5)
        edited.refresh_from_db()
        self.assertEqual(edited.title, "Corrected by an editor")
        self.assertIn("1 kept as edited", output)

    def test_headers_json_lines_and_standard_input(self):
        (self.folder / "sohr.txt").write_text(SOHR_STYLE)
        ingest(str(self.folder / "sohr.txt"))
        report = Report.objects.get(url="https://example.org/reports/1")
        self.assertEqual(
            (report.source.name, report.published), ("Test Observatory", date(2024, 3, 8))
        )
        clash = Event.objects.get(evidence__report=report, event_type="battles")
        self.assertEqual((clash.date_start, clash.fatalities_best), (date(2024, 3, 5), 3))
        self.assertEqual(clash.place.slug, "as-sukhnah")
        self.assertEqual(
            set(clash.event_actors.values_list("actor__slug", "role")),
            {("islamic-state", "actor1"), ("syrian-army", "actor2")},
        )
        strike = Event.objects.get(evidence__report=report, sub_event_type="air_drone_strike")
        self.assertEqual(strike.event_actors.get(role="actor1").actor.slug, "russian-forces")
        lines = [
            json.dumps({"title": "One", "source": "JSON outlet", "published": "2024-01-02",
                        "text": "Yesterday SDF fighters clashed with ISIS cells in Hajin."}),
            "{not json",
            json.dumps({"title": "No text"}),
        ]  # fmt: skip
        (self.folder / "batch.jsonl").write_text("\n".join(lines))
        output = ingest(str(self.folder / "batch.jsonl"))
        self.assertIn("1 created", output)
        self.assertIn("batch.jsonl:2: not valid JSON", output)
        self.assertIn("batch.jsonl:3: expected an object with a 'text' string", output)
        output = ingest(
            "-", stdin="On Monday ISIS attacked SDF positions in Hajin, killing two fighters."
        )
        self.assertIn("1 created", output)

    def test_a_nul_character_in_json_lines_fails_that_line_only_on_both_databases(self):
        lines = [
            json.dumps({"title": "One", "published": "2024-01-02",
                        "text": "Yesterday SDF fighters clashed with ISIS cells in Hajin."}),
            json.dumps({"title": "Bad\u0000title", "published": "2024-01-02",
                        "text": "On Monday ISIS attacked SDF positions in Hajin."}),
            json.dumps({"title": "Bad text", "published": "2024-01-02",
                        "text": "On Monday ISIS\u0000attacked SDF positions in al-Busayrah."}),
            json.dumps({"title": "Three", "published": "2024-01-03",
                        "text": "On Tuesday a landmine killed two shepherds near al-Mayadin."}),
        ]  # fmt: skip
        (self.folder / "batch.jsonl").write_text("\n".join(lines))
        output = ingest(str(self.folder / "batch.jsonl"))
        self.assertIn("Reports: 2 created, 0 updated, 0 skipped, 2 failed.", output)
        self.assertIn("batch.jsonl:2: title holds a NUL character", output)
        self.assertIn("batch.jsonl:3: text holds a NUL character", output)
        self.assertEqual(sorted(Report.objects.values_list("title", flat=True)), ["One", "Three"])

    def test_bad_input_gets_a_clear_message_and_leaves_nothing(self):
        (self.folder / "empty.txt").write_text("  \n")
        (self.folder / "arabic.txt").write_text(
            "هاجمت خلايا داعش حاجزا لقوات النظام في بادية دير الزور"
        )
        (self.folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
        (self.folder / "big.txt").write_text("Clashes in Hajin. " * 300_000)
        (self.folder / "page.html").write_text(
            "<html><body><p>ISIS cells <b>attacked</b> SDF positions in Hajin.</p>"
            "<script>document.write('x')</script></body></html>"
        )
        before = Report.objects.count()
        output = ingest(
            *(
                str(self.folder / n)
                for n in ["empty.txt", "arabic.txt", "binary.txt", "big.txt", "page.html"]
            )
        )
        self.assertIn("1 created", output)
        self.assertIn("4 failed", output)
        self.assertIn("empty.txt is empty", output)
        self.assertIn("not in English (mostly Arabic script)", output)
        self.assertIn("binary.txt is a binary file", output)
        self.assertIn("big.txt is 5.4 MB", output)
        self.assertEqual(Report.objects.count(), before + 1)
        page = Report.objects.get(title__startswith="ISIS cells attacked")
        self.assertEqual(page.text, "ISIS cells attacked SDF positions in Hajin.")

    def test_a_report_and_its_candidates_are_saved_together_or_not_at_all(self):
        item = ReportInput(origin="x", text="ISIS attacked SDF positions in Hajin.", url="ftp://x")
        with self.assertRaisesMessage(InputError, "not an http(s) address"):
            report_ingest(item)
        report_ingest(
            ReportInput(origin="a", text="ISIS attacked SDF in Hajin.", url="https://e.org/1")
        )
        with self.assertRaisesMessage(InputError, "already belongs to another report"):
            report_ingest(ReportInput(origin="b", text="SDF raided Diban.", url="https://e.org/1"))
        self.assertEqual(Report.objects.count(), 1)

    def test_no_date_in_the_text_gives_the_week_before_publication(self):
        result = report_ingest(
            ReportInput(
                origin="a", text="ISIS attacked SDF positions in Hajin.", published="2024-05-10"
            )
        )
        event = Event.objects.get(evidence__report=result.report)
        self.assertEqual(
            (event.date_start, event.date_end, event.date_precision),
            (date(2024, 5, 3), date(2024, 5, 10), 3),
        )
        self.assertIn("date:publication", event.evidence.get().rules)

    @override_settings(ATLAS_INDEX_RECHECK_SECONDS=3600)  # the workers use the indexes forked
    def test_ingest_with_several_processes_proposes_exactly_what_one_process_does(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        reports = json.loads(SEED.read_text())
        texts = [o["fields"]["text"] for o in reports if o["model"] == "events.report"]
        for n, text in enumerate(texts):
            (folder / f"{n}.txt").write_text(f"PUBLISHED: 2023-12-29\n\n{text}\n")
        (folder / "bad.txt").write_text("PUBLISHED: not a date at all\n\nSDF raided Diban.\n")

        def signature():
            events = Event.objects.filter(dataset="extraction")
            return sorted(
                events.values_list(
                    "import_ref", "sub_event_type", "date_start", "date_end", "place__slug",
                    "fatalities_best", "evidence__quote",
                )
            )  # fmt: skip

        out = io.StringIO()
        call_command("ingest", str(folder), jobs=2, stdout=out)
        self.assertIn("5 created, 0 updated, 0 skipped, 1 failed", out.getvalue())
        parallel = signature()
        self.assertGreater(len(parallel), 20)
        Event.objects.filter(dataset="extraction").delete()
        Report.objects.all().delete()
        out = io.StringIO()
        call_command("ingest", str(folder), jobs=1, stdout=out)
        self.assertIn("5 created, 0 updated, 0 skipped, 1 failed", out.getvalue())
        self.assertEqual(signature(), parallel)

    def test_an_undated_report_is_dated_from_its_own_text(self):
        """PUBLISHED empty or unknown is accepted; relative dates are read against the day the
        report itself gives (here a weekday that agrees with a day of the month in a year it
        names), and the editor is told how."""
        text = (
            "ISIS attacked SDF positions in Hajin on Monday. The attack followed a raid on "
            "Thursday, June 9, in which the SDF arrested two men; such raids began in 2022."
        )
        result = report_ingest(ReportInput(origin="a", text=text, published="unknown"))
        report = result.report
        self.assertIsNone(report.published)
        self.assertIn("read against 2022-06-09", report.published_note)
        self.assertIn("Thursday 9 agrees with June 2022", report.published_note)
        attack = Event.objects.get(evidence__report=report, evidence__quote__contains="Hajin")
        self.assertEqual((attack.date_start, attack.date_end), (date(2022, 6, 6),) * 2)

    def test_when_nothing_dates_a_report_relative_dates_stay_unresolved_and_say_so(self):
        text = "ISIS attacked SDF positions in Hajin on Monday."
        result = report_ingest(ReportInput(origin="a", text=text, published=""))
        self.assertIn("nothing in the report dates it", result.report.published_note)
        event = Event.objects.get(evidence__report=result.report)
        self.assertEqual(event.date_start, date(2011, 3, 15))  # the widest window, not a week
        self.assertEqual(event.date_precision, 5)
        self.assertIn("date:undated-report", event.evidence.get().rules)

    def test_a_name_the_gazetteer_lacks_is_kept_on_the_candidate(self):
        result = report_ingest(
            ReportInput(
                origin="a",
                text="The SDF is advancing at Hajin and Zarqulan.",
                published="2018-09-01",
            )
        )
        unplaced = Event.objects.get(evidence__report=result.report, place__isnull=True)
        self.assertIn("Place not in the gazetteer: Zarqulan.", unplaced.description)

    def test_the_online_geocoder_is_off_unless_asked_for(self):
        self.assertIsNone(place_lookup_online("Harse"))

    @override_settings(ATLAS_GEOCODER_ONLINE=False)
    def test_re_extraction_removes_only_untouched_candidates_it_no_longer_proposes(self):
        result = report_ingest(
            ReportInput(
                origin="a", text="ISIS attacked SDF positions in Hajin.", published="2024-05-10"
            )
        )
        report = result.report
        Event.objects.filter(evidence__report=report).update(title="stale", import_ref="gone")
        outcome = report_extract(report)
        self.assertEqual((outcome.created, outcome.removed), (1, 0))  # "gone" is not its key


class EvaluationTests(AtlasTestCase):
    """The scores reached on the gold file; they may rise, never fall."""

    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)
    FLOOR = {"places": 0.95, "actors": 0.95, "dates": 0.9, "types": 0.9, "events": 0.7}

    def test_extraction_scores_hold_on_the_gold_file(self):
        gold = gold_load()
        self.assertEqual(sum(len(r["events"]) for r in gold), 35)
        scores = extraction_evaluate(gold)
        for name, floor in self.FLOOR.items():
            with self.subTest(name):
                self.assertGreaterEqual(scores[name].f1, floor, scores[name].misses)

    def test_the_command_prints_precision_recall_and_f1(self):
        out = io.StringIO()
        call_command("evaluate_extraction", stdout=out)
        self.assertRegex(out.getvalue(), r"events\s+0\.\d\d\s+0\.\d\d\s+0\.\d\d")


class AdminExtractionTests(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_a_pasted_report_is_extracted_on_save_and_shows_its_candidates(self):
        self.client.force_login(self.admin)
        source = self.make_report().source
        response = self.client.post(
            reverse("admin:events_report_add"),
            {
                "source": source.pk,
                "title": "Pasted",
                "language": "en",
                "published": "2024-03-08",
                "text": f"<p>{PASTED}</p>",
                "evidence-TOTAL_FORMS": 0,
                "evidence-INITIAL_FORMS": 0,
            },
            follow=True,
        )
        self.assertContains(response, "Extraction: candidate events 1 new")
        report = Report.objects.get(title="Pasted")
        self.assertEqual(
            report.text,
            "On Tuesday, ISIS cells attacked SDF positions in Hajin, killing two fighters.",
        )
        page = self.client.get(reverse("admin:events_report_change", args=[report.pk]))
        self.assertContains(page, "Armed clash: Islamic State (ISIS) vs Syrian Democratic Forces")
        self.assertContains(page, "type:attack")

    def test_a_pasted_text_that_is_not_english_is_refused_and_nothing_is_saved(self):
        self.client.force_login(self.admin)
        source = self.make_report().source
        response = self.client.post(
            reverse("admin:events_report_add"),
            {"source": source.pk, "title": "Arabic", "language": "en", "published": "2024-03-08",
             "text": "هاجمت خلايا داعش حاجزا لقوات النظام", "evidence-TOTAL_FORMS": 0,
             "evidence-INITIAL_FORMS": 0},
        )  # fmt: skip
        self.assertContains(response, "not in English")
        self.assertFalse(Report.objects.filter(title="Arabic").exists())

    def test_an_editor_saving_a_candidate_protects_it_from_re_extraction(self):
        self.client.force_login(self.editor)
        result = report_ingest(
            ReportInput(
                origin="a", text="ISIS attacked SDF positions in Hajin.", published="2024-05-10"
            )
        )
        event = Event.objects.get(evidence__report=result.report)
        self.assertIsNone(event.edited_at)
        self.client.post(
            reverse("admin:events_event_changelist"),
            {"action": "submit_for_review", "_selected_action": [event.pk]},
        )
        event.refresh_from_db()
        self.assertEqual(event.status, Event.Status.IN_REVIEW)
        self.assertIsNotNone(event.edited_at)
        self.assertEqual(report_extract(result.report).kept, 1)
